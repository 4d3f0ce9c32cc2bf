// Local accounts (user, group): the passwd/group/shadow entries read with getent, the
// supplementary groups with `id -Gn`, and the pure parsing of their output. Names reach the
// commands as arguments after `--`, never inside a script.
import type { ModuleContext } from '../types.js';
import { factOpts } from './exec.js';

export interface GroupEntry {
  readonly name: string;
  readonly gid: number;
  readonly members: readonly string[];
}

export interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  /** the GECOS field */
  readonly comment: string;
  readonly home: string;
  readonly shell: string;
}

/** `name:x:gid:a,b` → the group; undefined for a line that is not a group entry. */
export function parseGroupLine(line: string): GroupEntry | undefined {
  const f = line.replace(/\r?\n$/, '').split(':');
  if (f.length < 4 || f[0] === '' || !/^\d+$/.test(f[2]!)) return undefined;
  return {
    name: f[0]!,
    gid: Number(f[2]),
    members: f
      .slice(3)
      .join(':')
      .split(',')
      .filter((m) => m !== ''),
  };
}

/** `name:x:uid:gid:gecos:home:shell` → the user; undefined for a line that is not one. */
export function parsePasswdLine(line: string): PasswdEntry | undefined {
  const f = line.replace(/\r?\n$/, '').split(':');
  if (f.length < 7 || f[0] === '' || !/^\d+$/.test(f[2]!) || !/^\d+$/.test(f[3]!)) return undefined;
  // a GECOS field never holds ':'; home and shell are the last two fields
  return {
    name: f[0]!,
    uid: Number(f[2]),
    gid: Number(f[3]),
    comment: f.slice(4, -2).join(':'),
    home: f[f.length - 2]!,
    shell: f[f.length - 1]!,
  };
}

/** The password field of a `getent shadow` line (undefined when the line is not one). */
export function parseShadowPassword(line: string): string | undefined {
  const f = line.replace(/\r?\n$/, '').split(':');
  return f.length >= 2 && f[0] !== '' ? f[1] : undefined;
}

/** Ansible's test: a password starting with '!' is locked. */
export function isLocked(password: string): boolean {
  return password.startsWith('!');
}

/** `id -Gn` output → group names (primary first, as id prints them). */
export function parseIdGroups(stdout: string): string[] {
  return stdout
    .trim()
    .split(/\s+/)
    .filter((g) => g !== '');
}

/** A numeric name (a gid or uid given as `group: 1000`). */
export function isNumericId(v: string): boolean {
  return /^\d+$/.test(v);
}

/** Names valid for useradd/groupadd, checked before any command runs (no leading '-', no ':' or spaces). */
export function checkAccountName(kind: 'user' | 'group', name: string): string | undefined {
  if (name === '') return `${kind} name must not be empty`;
  if (name.startsWith('-') || /[\s:,/]/.test(name) || name.length > 256) return `invalid ${kind} name '${name}'`;
  return undefined;
}

/** The getent entry of `key` in `db`; null when there is none (rc 2), an error otherwise. */
async function getent(ctx: ModuleContext, db: 'passwd' | 'group' | 'shadow', key: string): Promise<string | null> {
  const r = await ctx.conn.exec(['getent', db, '--', key], factOpts(ctx));
  if (r.rc === 2) return null;
  if (r.rc !== 0) throw new Error(`getent ${db} ${key} failed (rc ${r.rc}): ${(r.stderr || r.stdout).trim() || 'no output'}`);
  return r.stdout.split('\n')[0] ?? '';
}

/** The group named `name` (or with gid `name` when numeric); null when it does not exist. */
export async function readGroup(ctx: ModuleContext, name: string): Promise<GroupEntry | null> {
  const line = await getent(ctx, 'group', name);
  if (line === null) return null;
  const g = parseGroupLine(line);
  if (!g) throw new Error(`unexpected getent group output: ${JSON.stringify(line.slice(0, 200))}`);
  // getent resolves a numeric key as a gid: only a numeric lookup may answer with another name
  return g.name === name || (isNumericId(name) && g.gid === Number(name)) ? g : null;
}

export async function readUser(ctx: ModuleContext, name: string): Promise<PasswdEntry | null> {
  const line = await getent(ctx, 'passwd', name);
  if (line === null) return null;
  const u = parsePasswdLine(line);
  if (!u) throw new Error(`unexpected getent passwd output: ${JSON.stringify(line.slice(0, 200))}`);
  return u.name === name ? u : null;
}

/**
 * The groups named in `keys` (names, or gids when numeric) that exist, by key, in one getent
 * call (it exits 2 when some are missing and prints the others).
 */
export async function readGroups(ctx: ModuleContext, keys: readonly string[]): Promise<Map<string, GroupEntry>> {
  const found = new Map<string, GroupEntry>();
  if (keys.length === 0) return found;
  const r = await ctx.conn.exec(['getent', 'group', '--', ...keys], factOpts(ctx));
  if (r.rc !== 0 && r.rc !== 2) throw new Error(`getent group failed (rc ${r.rc}): ${(r.stderr || r.stdout).trim() || 'no output'}`);
  const entries = r.stdout
    .split('\n')
    .map(parseGroupLine)
    .filter((g): g is GroupEntry => g !== undefined);
  for (const k of keys) {
    const g = entries.find((e) => e.name === k) ?? (isNumericId(k) ? entries.find((e) => e.gid === Number(k)) : undefined);
    if (g) found.set(k, g);
  }
  return found;
}

/** Group names of the user: primary first, then the supplementary ones. */
export async function readUserGroups(ctx: ModuleContext, name: string): Promise<string[]> {
  const r = await ctx.conn.exec(['id', '-Gn', '--', name], factOpts(ctx));
  // a gid without a name makes id exit 1 but still print the others (the number in its place)
  if (r.rc !== 0 && r.stdout.trim() === '') throw new Error(`id -Gn ${name} failed: ${(r.stderr || r.stdout).trim()}`);
  return parseIdGroups(r.stdout);
}

/** The shadow password field; undefined when it cannot be read (not root: use become). */
export async function readPasswordField(ctx: ModuleContext, name: string): Promise<string | undefined> {
  try {
    const line = await getent(ctx, 'shadow', name);
    return line === null ? undefined : parseShadowPassword(line);
  } catch {
    return undefined;
  }
}

/** Whether a path exists on the host. */
export async function pathExists(ctx: ModuleContext, path: string): Promise<boolean> {
  const r = await ctx.conn.exec(['test', '-e', path], factOpts(ctx));
  return r.rc === 0;
}

// $1 home, $2 uid, $3 gid: the missing home of an existing user, made as Ansible does: a copy
// of /etc/skel owned by the user, mode HOME_MODE (else 0777 & ~UMASK, else 0755) of login.defs.
export const MAKE_HOME = [
  'home=$1 uid=$2 gid=$3',
  'mkdir -p -- "$home" || exit 1',
  'if [ -d /etc/skel ]; then cp -RPp /etc/skel/. "$home/" || exit 1; fi',
  'chown -R -- "$uid:$gid" "$home" || exit 1',
  'mode=755',
  'if [ -r /etc/login.defs ]; then',
  "  hm=$(sed -n 's/^HOME_MODE[[:space:]]\\{1,\\}\\([0-7]\\{3,4\\}\\)[[:space:]]*$/\\1/p' /etc/login.defs | head -n 1)",
  "  um=$(sed -n 's/^UMASK[[:space:]]\\{1,\\}\\([0-7]\\{3,4\\}\\)[[:space:]]*$/\\1/p' /etc/login.defs | tail -n 1)",
  '  if [ -n "$hm" ]; then mode=$hm; elif [ -n "$um" ]; then mode=$(printf %o $(( 0777 & ~0$um ))); fi',
  'fi',
  'chmod "$mode" -- "$home"',
].join('\n');
