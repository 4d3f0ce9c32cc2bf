// apt on the host, the parts that are pure: package specs (name[:arch][=version]), what
// dpkg-query says is installed, what `apt-cache policy` says is installed and the candidate,
// the age of the package lists, and the apt-get commands (non-interactive, names after `--`).

export interface AptSpec {
  /** as given: `nginx`, `nginx:amd64`, `nginx=1.22*` */
  readonly spec: string;
  /** name with its architecture qualifier, if any */
  readonly name: string;
  /** name without the architecture (what dpkg-query prints as ${Package}) */
  readonly base: string;
  /** wanted version (a glob with `*`), if any */
  readonly version?: string;
}

const APT_SPEC = /^([a-z0-9][a-z0-9+.-]*)(:[a-z0-9][a-z0-9-]*)?(?:=([A-Za-z0-9.+~:*-]+))?$/;

/** A package spec, or an error message (wildcards in names and `>=` are not supported). */
export function parseAptSpec(spec: string): AptSpec | { error: string } {
  const s = spec.trim();
  if (/[?[\]!]/.test(s) || /^[^=]*\*/.test(s)) return { error: `package name wildcards are not supported: '${s}' (name the packages)` };
  if (s.includes('>=')) return { error: `'>=' version constraints are not supported: '${s}' (give name=version)` };
  if ((s.match(/=/g) ?? []).length > 1) return { error: `invalid package spec: ${s}` };
  const m = APT_SPEC.exec(s);
  if (!m) return { error: `invalid package name '${s}'` };
  return { spec: s, name: m[1]! + (m[2] ?? ''), base: m[1]!, ...(m[3] !== undefined ? { version: m[3] } : {}) };
}

/** Whether an installed version satisfies a wanted one (`1.2*` globs as fnmatch does). */
export function versionMatches(installed: string, wanted: string): boolean {
  const re = new RegExp(
    '^' +
      wanted
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.') +
      '$',
  );
  return re.test(installed);
}

export type DpkgState = 'installed' | 'config-files' | 'not-installed' | 'partial';

export interface DpkgStatus {
  readonly state: DpkgState;
  readonly version: string;
}

/**
 * `dpkg-query -W -f '${Package}\t${Status}\t${Version}\n'` → status by package name.
 * The status' third word is the state: installed, config-files (removed, configuration kept),
 * not-installed, or a half-done state (unpacked, half-configured...) reported as partial.
 * A name installed for two architectures counts as installed when one of them is.
 */
export function parseDpkgQuery(stdout: string): Map<string, DpkgStatus> {
  const out = new Map<string, DpkgStatus>();
  for (const line of stdout.split('\n')) {
    const [pkg, status, version] = line.split('\t');
    if (!pkg || status === undefined) continue;
    const word = status.trim().split(/\s+/)[2] ?? '';
    const state: DpkgState = word === 'installed' || word === 'config-files' || word === 'not-installed' ? word : 'partial';
    const prev = out.get(pkg);
    if (prev?.state === 'installed') continue;
    out.set(pkg, { state, version: state === 'not-installed' ? '' : (version ?? '').trim() });
  }
  return out;
}

export interface PolicyEntry {
  readonly installed?: string;
  readonly candidate?: string;
}

/**
 * `apt-cache policy NAME...` (LC_ALL=C) → installed and candidate version by name as given;
 * `(none)` is left out. A name apt knows nothing about is not in the map at all.
 */
export function parsePolicy(stdout: string): Map<string, PolicyEntry> {
  const out = new Map<string, PolicyEntry>();
  let cur: string | undefined;
  let entry: { installed?: string; candidate?: string } = {};
  const flush = (): void => {
    if (cur !== undefined) out.set(cur, entry);
  };
  for (const line of stdout.split('\n')) {
    const head = /^(\S+):\s*$/.exec(line);
    if (head) {
      flush();
      cur = head[1]!;
      entry = {};
      continue;
    }
    const m = /^\s+(Installed|Candidate):\s*(\S+)/.exec(line);
    if (m && cur !== undefined && m[2] !== '(none)') entry[m[1] === 'Installed' ? 'installed' : 'candidate'] = m[2]!;
  }
  flush();
  return out;
}

/**
 * `apt-cache showpkg NAME` (LC_ALL=C) → the packages under "Reverse Provides:", the providers of
 * a virtual package (each once; apt lists one line per version).
 */
export function parseProviders(stdout: string): string[] {
  const at = stdout.indexOf('\nReverse Provides:');
  if (at < 0) return [];
  const names = stdout
    .slice(at + 1)
    .split('\n')
    .slice(1)
    .map((l) => /^(\S+) \S+/.exec(l)?.[1])
    .filter((n): n is string => n !== undefined);
  return [...new Set(names)];
}

// The time of the last `apt-get update`, as Ansible reads it: the mtime of
// <Dir::State>periodic/update-success-stamp, else of the lists directory, else 0; and the
// host's clock. apt-config gives the directories (so APT_CONFIG is honoured).
export const CACHE_TIME_SCRIPT = [
  'cfg=$(apt-config shell S Dir::State/d L Dir::State::lists/d 2>/dev/null)',
  `state=$(printf '%s\\n' "$cfg" | sed -n "s/^S='\\(.*\\)'$/\\1/p")`,
  `lists=$(printf '%s\\n' "$cfg" | sed -n "s/^L='\\(.*\\)'$/\\1/p")`,
  'stamp=${state:-/var/lib/apt/}periodic/update-success-stamp',
  'lists=${lists:-/var/lib/apt/lists/}',
  'if [ -e "$stamp" ]; then f=$stamp; elif [ -e "$lists" ]; then f=$lists; else f=; fi',
  // sub-second mtimes where stat has them: two updates within a second still differ
  'if [ -n "$f" ]; then t=$(stat -c %.9Y -- "$f" 2>/dev/null); case $t in *[!0-9.]*|"") t=$(stat -c %Y -- "$f");; esac; else t=0; fi',
  'echo "mtime=$t"',
  'echo "now=$(date +%s)"',
].join('\n');

export function parseCacheTime(stdout: string): { mtime: number; now: number } {
  const mtime = /^mtime=(\d+(?:\.\d+)?)$/m.exec(stdout)?.[1];
  const now = /^now=(\d+)$/m.exec(stdout)?.[1];
  return { mtime: mtime ? Number(mtime) : 0, now: now ? Number(now) : Math.floor(Date.now() / 1000) };
}

/** Whether update_cache/cache_valid_time ask for an `apt-get update` now (Ansible's test). */
export function cacheUpdateDue(o: { updateCache: boolean; validSeconds: number; mtime: number; now: number }): boolean {
  if (!o.updateCache && o.validSeconds <= 0) return false;
  return !(o.mtime + o.validSeconds >= o.now);
}

export interface AptOptions {
  readonly lockTimeout: number;
  /** undefined: the host's default */
  readonly installRecommends?: boolean | undefined;
  readonly purge: boolean;
  /** default_release: apt-get -t, and the candidate apt-cache policy reports */
  readonly defaultRelease?: string | undefined;
  readonly allowDowngrade?: boolean | undefined;
  /** policy_rc_d: the exit code /usr/sbin/policy-rc.d gives while apt-get runs */
  readonly policyRcD?: number | undefined;
}

/** Environment of every apt-get run: no debconf questions, messages in English. */
export const APT_ENV: Readonly<Record<string, string>> = { DEBIAN_FRONTEND: 'noninteractive', LC_ALL: 'C' };

function common(o: AptOptions): string[] {
  return [
    '-y',
    '-q',
    '-o',
    `DPkg::Lock::Timeout=${o.lockTimeout}`,
    '-o',
    'Dpkg::Options::=--force-confdef',
    '-o',
    'Dpkg::Options::=--force-confold',
  ];
}

export function aptInstallArgv(specs: readonly string[], o: AptOptions): string[] {
  const rec = o.installRecommends === undefined ? [] : ['-o', `APT::Install-Recommends=${o.installRecommends ? 'yes' : 'no'}`];
  const rel = o.defaultRelease ? ['-t', o.defaultRelease] : [];
  const down = o.allowDowngrade ? ['--allow-downgrades'] : [];
  return withPolicyRcD(['apt-get', ...common(o), ...rec, ...rel, ...down, 'install', '--', ...specs], o);
}

// As Ansible's apt: /usr/sbin/policy-rc.d is written ('exit N', mode 0755) for the run and
// removed after it; one that was there is moved aside and put back.
const POLICY_RC_D = [
  'p=/usr/sbin/policy-rc.d; code=$1; shift; b=',
  'if [ -e "$p" ]; then b=$(mktemp /usr/sbin/.policy-rc.d.XXXXXX) && mv -f "$p" "$b" || exit 1; fi',
  'printf \'#!/bin/sh\\nexit %d\\n\' "$code" > "$p" && chmod 0755 "$p" || exit 1',
  '"$@"; rc=$?; rm -f "$p"; if [ -n "$b" ]; then mv -f "$b" "$p"; fi; exit $rc',
].join('\n');

function withPolicyRcD(argv: string[], o: AptOptions): string[] {
  return o.policyRcD === undefined ? argv : ['/bin/sh', '-c', POLICY_RC_D, 'sh', String(o.policyRcD), ...argv];
}

export function aptRemoveArgv(names: readonly string[], o: AptOptions): string[] {
  return withPolicyRcD(['apt-get', ...common(o), o.purge ? 'purge' : 'remove', '--', ...names], o);
}

export function aptUpdateArgv(o: AptOptions): string[] {
  return ['apt-get', '-q', '-o', `DPkg::Lock::Timeout=${o.lockTimeout}`, 'update'];
}

export function dpkgQueryArgv(names: readonly string[]): string[] {
  return ['dpkg-query', '-W', '-f', '${Package}\\t${Status}\\t${Version}\\n', '--', ...names];
}

export function policyArgv(names: readonly string[], o?: AptOptions): string[] {
  const rel = o?.defaultRelease ? ['-o', `APT::Default-Release=${o.defaultRelease}`] : [];
  return ['apt-cache', ...rel, 'policy', '--', ...names];
}
