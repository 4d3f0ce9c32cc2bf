// Packages for the `package` module: the wanted state, the manager of the host (apt-get, dnf,
// yum, zypper, apk, pacman; found with `command -v`, or forced with `use:`), and for the
// managers other than apt (support/apt-ops.ts) what is installed and the commands that install,
// upgrade and remove. Names are checked (no leading '-', no spaces) and passed as arguments.
import type { ModuleContext } from '../types.js';
import { list } from './args.js';
import { factOpts } from './exec.js';

export type PackageState = 'present' | 'absent' | 'latest';
export type ManagerName = 'apt' | 'dnf' | 'yum' | 'zypper' | 'apk' | 'pacman';

export const MANAGERS: readonly ManagerName[] = ['apt', 'dnf', 'yum', 'zypper', 'apk', 'pacman'];

/** present/installed → present, absent/removed → absent, latest; an error message otherwise. */
export function packageState(v: string | undefined): PackageState | { error: string } {
  const s = v ?? 'present';
  if (s === 'present' || s === 'installed') return 'present';
  if (s === 'absent' || s === 'removed') return 'absent';
  if (s === 'latest') return 'latest';
  return { error: `state must be one of present, installed, latest, absent, removed (got '${s}')` };
}

/** `name:` as a list or a comma-separated string; blank entries dropped. */
export function packageNames(v: unknown): string[] {
  return list(v)
    .map((n) => n.trim())
    .filter((n) => n !== '');
}

/** A name the non-apt managers get as an argument: no option, path, URL, space or glob. */
export function checkPackageName(name: string): string | undefined {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_+.:~=<>@-]*$/.test(name))
    return `invalid package name '${name}' (names only: no paths, URLs, wildcards or spaces)`;
  return undefined;
}

// the binaries, in the order a host is searched (the first found wins)
const DETECT =
  'for m in apt-get dnf5 dnf yum zypper apk pacman; do if command -v "$m" >/dev/null 2>&1; then echo "$m"; exit 0; fi; done; echo none';

export async function detectManager(ctx: ModuleContext): Promise<ManagerName | undefined> {
  const r = await ctx.conn.exec(['/bin/sh', '-c', DETECT], factOpts(ctx));
  const m = r.stdout.trim();
  if (m === 'apt-get') return 'apt';
  if (m === 'dnf5') return 'dnf';
  return (MANAGERS as readonly string[]).includes(m) ? (m as ManagerName) : undefined;
}

/** Whether the host has the manager's command (apt-get for apt; dnf also as dnf5). */
export async function hasManager(ctx: ModuleContext, m: ManagerName): Promise<boolean> {
  const bins = m === 'apt' ? ['apt-get', 'dpkg-query'] : m === 'dnf' ? ['dnf'] : [m];
  const script =
    m === 'dnf'
      ? 'command -v dnf >/dev/null 2>&1 || command -v dnf5 >/dev/null 2>&1'
      : bins.map((b) => `command -v ${b} >/dev/null 2>&1`).join(' && ');
  const r = await ctx.conn.exec(['/bin/sh', '-c', script], factOpts(ctx));
  return r.rc === 0;
}

/** `use:` → the manager; Ansible's module names (ansible.builtin.dnf, community.general.apk...) too. */
export function managerFromUse(use: string): ManagerName | 'auto' | { error: string } {
  const short = use.split('.').pop() ?? use;
  if (short === 'auto') return 'auto';
  if (short === 'dnf5') return 'dnf';
  if ((MANAGERS as readonly string[]).includes(short)) return short as ManagerName;
  return { error: `use must be auto or one of ${MANAGERS.join(', ')} (got '${use}')` };
}

/** What is installed, by name given: the version ('' when the manager does not say), or null. */
export type Installed = Map<string, string | null>;

// For each name ($@): `name<TAB>version` when installed, `name<TAB>-` when not.
const QUERY: Readonly<Record<Exclude<ManagerName, 'apt'>, string>> = {
  dnf: `command -v rpm >/dev/null 2>&1 || { echo 'rpm is not installed' >&2; exit 3; }; for p do if v=$(rpm -q --qf '%{VERSION}-%{RELEASE}\\n' "$p" 2>/dev/null); then printf '%s\\t%s\\n' "$p" "$(printf '%s\\n' "$v" | head -n 1)"; else printf '%s\\t-\\n' "$p"; fi; done`,
  yum: '',
  zypper: '',
  apk: `command -v apk >/dev/null 2>&1 || { echo 'apk is not installed' >&2; exit 3; }; for p do if apk info -e "$p" >/dev/null 2>&1; then printf '%s\\t\\n' "$p"; else printf '%s\\t-\\n' "$p"; fi; done`,
  pacman: `command -v pacman >/dev/null 2>&1 || { echo 'pacman is not installed' >&2; exit 3; }; for p do if v=$(pacman -Q -- "$p" 2>/dev/null); then printf '%s\\t%s\\n' "$p" "\${v#* }"; else printf '%s\\t-\\n' "$p"; fi; done`,
};

function queryScript(m: Exclude<ManagerName, 'apt'>): string {
  return QUERY[m] || QUERY.dnf; // yum and zypper ask rpm as dnf does
}

/** Parse the query script's output. */
export function parseInstalled(stdout: string, names: readonly string[]): Installed {
  const out: Installed = new Map(names.map((n) => [n, null]));
  for (const line of stdout.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const name = line.slice(0, tab);
    const v = line.slice(tab + 1).trim();
    if (out.has(name)) out.set(name, v === '-' ? null : v);
  }
  return out;
}

export async function queryInstalled(ctx: ModuleContext, m: Exclude<ManagerName, 'apt'>, names: readonly string[]): Promise<Installed> {
  const r = await ctx.conn.exec(['/bin/sh', '-c', queryScript(m), 'sh', ...names], factOpts(ctx));
  if (r.rc !== 0) throw new Error(`cannot read the installed packages (rc ${r.rc}): ${(r.stderr || r.stdout).trim()}`);
  return parseInstalled(r.stdout, names);
}

export type Op = 'install' | 'upgrade' | 'remove';

/**
 * The non-interactive command of a manager. `--` ends the options where the tool is known to
 * honour it; rpm-, apk- and zypper-style parsers get names that checkPackageName allowed.
 */
export function managerArgv(m: Exclude<ManagerName, 'apt'>, op: Op, names: readonly string[], flags: readonly string[] = []): string[] {
  switch (m) {
    case 'dnf':
    case 'yum':
      return [m, '-y', ...flags, op === 'install' ? 'install' : op === 'upgrade' ? 'upgrade' : 'remove', '--', ...names];
    case 'zypper':
      return ['zypper', '--non-interactive', op === 'install' ? 'install' : op === 'upgrade' ? 'update' : 'remove', ...names];
    case 'apk':
      return op === 'remove' ? ['apk', 'del', ...names] : ['apk', 'add', ...(op === 'upgrade' ? ['--upgrade'] : []), ...names];
    case 'pacman':
      return op === 'remove'
        ? ['pacman', '-R', '--noconfirm', '--', ...names]
        : ['pacman', '-S', '--noconfirm', ...(op === 'install' ? ['--needed'] : []), '--', ...names];
  }
}

export interface GenericPlan {
  readonly install: readonly string[];
  readonly remove: readonly string[];
  /** latest: installed names that may have a newer version (only running the upgrade tells) */
  readonly maybeUpgrade: readonly string[];
}

/** What to do for `state` given what is installed (pure). */
export function genericPlan(state: PackageState, names: readonly string[], installed: Installed): GenericPlan {
  const present = names.filter((n) => installed.get(n) != null);
  const missing = names.filter((n) => installed.get(n) == null);
  if (state === 'absent') return { install: [], remove: present, maybeUpgrade: [] };
  return { install: missing, remove: [], maybeUpgrade: state === 'latest' ? present : [] };
}
