// File facts read on the host with one small script (GNU stat), checksums, diffs, backups
// and attribute changes. Values reach the scripts as positional parameters ("$1"), never
// spliced into the script text.
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { readBounded, refusalLine } from '../../core/read-bounded.js';
import type { TemplateLoader } from '../../template/index.js';
import type { FileDiff } from '../../core/result.js';
import type { ModuleContext } from '../types.js';
import { modeText } from './args.js';
import { applySymbolicMode } from './mode.js';
import { execOpts, factOpts } from './exec.js';

export type FileType = 'file' | 'directory' | 'link' | 'other';

export interface FileFacts {
  readonly exists: boolean;
  readonly type?: FileType;
  /** the stat %F text: 'regular file', 'fifo'... */
  readonly typeText?: string;
  readonly mode?: number;
  readonly owner?: string;
  readonly group?: string;
  readonly uid?: number;
  readonly gid?: number;
  readonly size?: number;
  readonly mtime?: number;
  readonly linkTarget?: string;
  /** sha1 of a regular file's content, when asked for and readable */
  readonly checksum?: string;
  /** `file -b --mime` output (stat get_mime) */
  readonly mimeLine?: string;
  /** `lsattr -vd` output (stat get_attributes) */
  readonly attrLine?: string;
}

// $1 path, $2 'follow' or '', $3 a checksum algorithm (sha1, sha256, md5...) or '', $4 'mime'
// or '', $5 'attr' or ''. Output: ABSENT, or 8 stat lines, the link target line, the checksum
// line, then (when asked) `file --mime` and `lsattr -vd` lines (stat's get_mime/get_attributes).
const FACT_SCRIPT = [
  'p=$1',
  'if [ "$2" = follow ]; then out=$(stat -L --printf \'%F\\n%a\\n%U\\n%G\\n%u\\n%g\\n%s\\n%Y\\n\' -- "$p" 2>&1); else out=$(stat --printf \'%F\\n%a\\n%U\\n%G\\n%u\\n%g\\n%s\\n%Y\\n\' -- "$p" 2>&1); fi',
  'if [ $? -ne 0 ]; then case $out in *"No such file"*|*"Not a directory"*) echo ABSENT; exit 0;; esac; printf \'%s\\n\' "$out" >&2; exit 1; fi',
  'printf \'%s\\n\' "$out"',
  'if [ -L "$p" ]; then readlink -- "$p"; else echo; fi',
  'case $out in "regular "*) if [ -n "$3" ] && [ -r "$p" ]; then "$3"sum -- "$p" | cut -d" " -f1; else echo; fi;; *) echo;; esac',
  'if [ "$4" = mime ]; then file -b --mime -- "$p" 2>/dev/null || echo; else echo; fi',
  'if [ "$5" = attr ]; then lsattr -vd -- "$p" 2>/dev/null || echo; else echo; fi',
].join('\n');

/** the checksum algorithms stat and the file modules may ask for (each has a `<name>sum` tool) */
export const CHECKSUM_ALGORITHMS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'] as const;

export function parseFacts(stdout: string): FileFacts {
  if (stdout.trim() === 'ABSENT') return { exists: false };
  const l = stdout.split('\n');
  if (l.length < 8) throw new Error(`unexpected stat output: ${JSON.stringify(stdout.slice(0, 200))}`);
  const typeText = l[0]!;
  const type: FileType = typeText.startsWith('regular')
    ? 'file'
    : typeText === 'directory'
      ? 'directory'
      : typeText === 'symbolic link'
        ? 'link'
        : 'other';
  const link = l[8] ?? '';
  const sum = (l[9] ?? '').trim();
  return {
    exists: true,
    type,
    typeText,
    mode: parseInt(l[1]!, 8),
    owner: l[2]!,
    group: l[3]!,
    uid: Number(l[4]),
    gid: Number(l[5]),
    size: Number(l[6]),
    mtime: Number(l[7]),
    ...(type === 'link' && link !== '' ? { linkTarget: link } : {}),
    ...(sum !== '' ? { checksum: sum } : {}),
    ...(l[10] ? { mimeLine: l[10] } : {}),
    ...(l[11] ? { attrLine: l[11] } : {}),
  };
}

/** Facts about one path on the host; throws when the path cannot be examined (permissions). */
export async function fileFacts(
  ctx: ModuleContext,
  path: string,
  opts: { follow?: boolean; checksum?: boolean | (typeof CHECKSUM_ALGORITHMS)[number]; mime?: boolean; attributes?: boolean } = {},
): Promise<FileFacts> {
  const algo = opts.checksum === true ? 'sha1' : opts.checksum ? opts.checksum : '';
  if (algo && !(CHECKSUM_ALGORITHMS as readonly string[]).includes(algo)) throw new Error(`unsupported checksum algorithm '${algo}'`);
  const r = await ctx.conn.exec(
    ['/bin/sh', '-c', FACT_SCRIPT, 'sh', path, opts.follow ? 'follow' : '', algo, opts.mime ? 'mime' : '', opts.attributes ? 'attr' : ''],
    factOpts(ctx),
  );
  if (r.rc !== 0) throw new Error(`cannot examine ${path}: ${(r.stderr || r.stdout).trim()}`);
  return parseFacts(r.stdout);
}

export function sha1(data: string | Buffer): string {
  return createHash('sha1').update(data).digest('hex');
}

export function isText(data: Buffer): boolean {
  return !data.subarray(0, 8192).includes(0);
}

/** A diff entry when both sides are text; undefined for binary content. */
export function fileDiff(path: string, before: Buffer | string | null, after: Buffer | string | null): FileDiff | undefined {
  const b = before === null ? Buffer.alloc(0) : Buffer.from(before);
  const a = after === null ? Buffer.alloc(0) : Buffer.from(after);
  if (!isText(b) || !isText(a)) return undefined;
  return { path, before: b.toString('utf8'), after: a.toString('utf8') };
}

/** The fields Ansible adds to a result about the file at its `path`/`dest` (add_path_info); unarchive's dest is a directory. */
export function pathInfo(f: FileFacts, state: 'file' | 'directory' = 'file'): Record<string, unknown> {
  if (!f.exists) return {};
  return {
    ...(f.mode !== undefined ? { mode: modeText(f.mode) } : {}),
    owner: f.owner,
    group: f.group,
    uid: f.uid,
    gid: f.gid,
    size: f.size,
    state,
  };
}

export interface WantedAttrs {
  readonly mode?: number | undefined;
  /** a symbolic mode (u+rwX...): the octal one follows from the file's current mode */
  readonly symbolic?: string | undefined;
  readonly owner?: string | undefined;
  readonly group?: string | undefined;
}

/** The octal mode wanted for this file (a symbolic one applied to its current mode). */
function resolvedMode(f: FileFacts, want: WantedAttrs): WantedAttrs {
  if (want.symbolic === undefined || f.mode === undefined) return want;
  return { ...want, mode: applySymbolicMode(f.mode, want.symbolic, f.type === 'directory') };
}

/**
 * seuser/serole/setype/selevel: as Ansible, nothing to do where SELinux is disabled; runbook sets
 * no contexts, so on a host with SELinux enabled they fail the task. An error message, or undefined.
 */
export async function selinuxArgs(
  ctx: ModuleContext,
  args: { seuser?: unknown; serole?: unknown; setype?: unknown; selevel?: unknown },
): Promise<string | undefined> {
  const given = (['seuser', 'serole', 'setype', 'selevel'] as const).filter(
    (k) => args[k] !== undefined && args[k] !== null && args[k] !== '',
  );
  if (!given.length) return undefined;
  const r = await ctx.conn.exec(['/bin/sh', '-c', 'test -e /sys/fs/selinux/enforce'], factOpts(ctx));
  return r.rc === 0 ? `${given.join(', ')}: SELinux is enabled on ${ctx.host} and runbook does not set SELinux contexts` : undefined;
}

/** The mode a written file ends with: the wanted one (symbolic: applied to its mode, 0644 when new), else its own. */
export function writeMode(f: FileFacts, want: WantedAttrs): number | undefined {
  if (want.symbolic !== undefined) return applySymbolicMode(f.exists && f.mode !== undefined ? f.mode : 0o644, want.symbolic, false);
  return want.mode ?? f.mode;
}

/** What differs between the facts and the wanted attributes, as words for a summary. */
export function attrChanges(f: FileFacts, wanted: WantedAttrs): string[] {
  const out: string[] = [];
  const want = resolvedMode(f, wanted);
  if (want.symbolic !== undefined && want.mode === undefined) out.push(`mode → ${want.symbolic}`);
  if (want.mode !== undefined && f.mode !== want.mode)
    out.push(`mode ${f.mode !== undefined ? modeText(f.mode) : '?'} → ${modeText(want.mode)}`);
  if (want.owner !== undefined && want.owner !== f.owner && want.owner !== String(f.uid))
    out.push(`owner ${f.owner ?? '?'} → ${want.owner}`);
  if (want.group !== undefined && want.group !== f.group && want.group !== String(f.gid))
    out.push(`group ${f.group ?? '?'} → ${want.group}`);
  return out;
}

/** chmod/chown as needed; returns an error message or undefined. */
export async function setAttrs(
  ctx: ModuleContext,
  path: string,
  f: FileFacts,
  wanted: WantedAttrs,
  opts: { noFollow?: boolean } = {},
): Promise<string | undefined> {
  let want = resolvedMode(f, wanted);
  if (want.symbolic !== undefined && want.mode === undefined) {
    // a file created just now: read its mode, then apply the symbolic one to it
    const now = await fileFacts(ctx, path, { follow: true });
    if (now.mode !== undefined) want = { ...want, mode: applySymbolicMode(now.mode, want.symbolic!, now.type === 'directory') };
    f = now;
  }
  if (want.mode !== undefined && f.mode !== want.mode && !opts.noFollow) {
    // five digits: GNU chmod keeps a directory's setuid/setgid bits for a shorter octal mode (os.chmod does not)
    const r = await ctx.conn.exec(['chmod', want.mode.toString(8).padStart(5, '0'), '--', path], execOpts(ctx));
    if (r.rc !== 0) return `chmod ${modeText(want.mode)} ${path} failed: ${r.stderr.trim()}`;
  }
  const owner = want.owner !== undefined && want.owner !== f.owner && want.owner !== String(f.uid) ? want.owner : undefined;
  const group = want.group !== undefined && want.group !== f.group && want.group !== String(f.gid) ? want.group : undefined;
  if (owner !== undefined || group !== undefined) {
    const spec = `${owner ?? ''}${group !== undefined ? ':' + group : ''}`;
    const r = await ctx.conn.exec(['chown', ...(opts.noFollow ? ['-h'] : []), spec, '--', path], execOpts(ctx));
    if (r.rc !== 0) return `chown ${spec} ${path} failed: ${r.stderr.trim()}`;
  }
  return undefined;
}

/** Ansible's backup name: `path.YYYY-MM-DD@HH:MM:SS~`. */
export function backupName(path: string, now = new Date()): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${path}.${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}@${p(now.getHours())}:${p(now.getMinutes())}:${p(now.getSeconds())}~`;
}

/** Copy the file aside (cp -p) before it is changed; returns the backup path or an error. */
export async function backupFile(ctx: ModuleContext, path: string): Promise<{ path: string } | { error: string }> {
  const dest = backupName(path);
  const r = await ctx.conn.exec(['cp', '-p', '--', path, dest], execOpts(ctx));
  if (r.rc !== 0) return { error: `backup of ${path} failed: ${r.stderr.trim()}` };
  return { path: dest };
}

/** The directories a controller-side `src` is searched in: the role's first, then the playbook's. */
export function searchDirs(ctx: { readonly playbookDir: string; readonly roleDir?: string }): string[] {
  return ctx.roleDir ? [ctx.roleDir, ctx.playbookDir] : [ctx.playbookDir];
}

/**
 * A controller-side file named by `src`: absolute as is, else the first of
 * <dir>/<subdir>/src and <dir>/src that exists, for each dir (the role's, then the playbook's:
 * Ansible's search order).
 */
export function findControllerFile(dirs: string | readonly string[], src: string, subdir: string): string | undefined {
  const list = typeof dirs === 'string' ? [dirs] : dirs;
  const candidates = isAbsolute(src) ? [src] : list.flatMap((d) => [join(d, subdir, src), resolve(d, src)]);
  return candidates.find((p) => existsSync(p));
}

/**
 * What `{% include %}` / `{% extends %}` in the template at `path` read: names relative to the
 * template's own directory, then the role's and the playbook's templates/ (Ansible's searchpath).
 */
export function templateLoader(path: string, dirs: readonly string[]): TemplateLoader {
  return (name) => {
    const found = findControllerFile([dirname(path)], name, '.') ?? findControllerFile(dirs, name, 'templates');
    if (!found || isControllerDir(found)) return undefined;
    const read = readBounded(found);
    if (!read.ok) throw new Error(refusalLine(name, read.why));
    return read.text;
  };
}

/** "looked in A/files and A" for messages */
export function lookedIn(dirs: readonly string[], subdir: string): string {
  return dirs.flatMap((d) => [`${d}/${subdir}`, d]).join(', ');
}

export function isControllerDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
