// Archives on the host (unarchive): probe the source and the tools, list and compare members,
// unpack, set attributes. Commands are argv; paths that can be many (members) travel on stdin
// to xargs, never in a script's text.
import type { ExecResult } from '../../../connection/types.js';
import type { ModuleContext } from '../../types.js';
import { execOpts } from '../../support/exec.js';
import type { WantedAttrs } from '../../support/files.js';
import {
  attrFixes,
  parseProbe,
  parseTarList,
  parseZipCompare,
  tarArgv,
  tarDifferences,
  unzipArgv,
  type ArchiveFormat,
  type ArchiveProbe,
  type DiffContext,
  type MemberOptions,
} from './archive.js';

// $1 src. The C locale so tar's and stat's words parse the same everywhere.
const PROBE = [
  'if [ -e "$1" ]; then echo "size=$(stat -L -c %s -- "$1")"; echo "magic=$(head -c 262 -- "$1" | od -An -tx1 -v | tr -d \' \\n\')"; fi',
  'echo "tar=$(tar --version 2>/dev/null | head -n 1)"',
  'if command -v unzip >/dev/null 2>&1; then echo unzip=yes; else echo unzip=no; fi',
  'echo "uid=$(id -u)"',
].join('\n');

const C = { LC_ALL: 'C' };

function why(r: ExecResult): string {
  return (r.stderr || r.stdout).trim().split('\n').slice(-3).join('; ') || `rc ${r.rc}`;
}

export async function probeArchive(ctx: ModuleContext, src: string): Promise<ArchiveProbe> {
  const r = await ctx.conn.exec(['/bin/sh', '-c', PROBE, 'sh', src], execOpts(ctx, { env: C }));
  if (r.rc !== 0) throw new Error(`cannot examine ${src}: ${why(r)}`);
  return parseProbe(r.stdout);
}

export async function tarMembers(
  ctx: ModuleContext,
  format: Exclude<ArchiveFormat, 'zip'>,
  src: string,
  dest: string,
  o: MemberOptions,
): Promise<string[] | { error: string }> {
  const r = await ctx.conn.exec(tarArgv('list', format, src, dest, o), execOpts(ctx, { env: C }));
  if (r.rc !== 0) return { error: `Unable to list files in the archive ${src}: ${why(r)}` };
  return parseTarList(r.stdout);
}

/** The `tar --diff` lines that mean unpacking would change dest. */
export async function tarDiff(
  ctx: ModuleContext,
  format: Exclude<ArchiveFormat, 'zip'>,
  src: string,
  dest: string,
  o: MemberOptions,
  c: DiffContext,
): Promise<string[] | { error: string }> {
  const r = await ctx.conn.exec(tarArgv('diff', format, src, dest, o), execOpts(ctx, { env: C }));
  const differences = tarDifferences(r.stdout, r.stderr, c);
  // rc 1: differences; 2: trouble (an unreadable file in dest...) that tar could not word as one
  if (r.rc > 1 && differences.length === 0) return { error: `tar --diff of ${src} against ${dest} failed: ${why(r)}` };
  return differences;
}

// $1 dest, $2 '1' to compare modes, then unzip's arguments up to -d. Unpacks into a temp
// directory and prints `M\t<path>` per unpacked path and `D\t<path>` per path dest lacks or
// holds differently (type, content, link target, mode). The temp directory is always removed.
const ZIP_COMPARE = String.raw`dest=$1 modes=$2
shift 2
case $dest in /*) ;; *) dest=$(pwd)/$dest;; esac
tmp=$(mktemp -d) || exit 3
trap 'rm -rf -- "$tmp"' EXIT
trap 'exit 130' HUP INT TERM
unzip "$@" -d "$tmp" >/dev/null
rc=$?
[ $rc -le 1 ] || exit 4
cd "$tmp" || exit 3
find . -mindepth 1 | while IFS= read -r p; do
  p=${'$'}{p#./}
  d=$dest/$p
  printf 'M\t%s\n' "$p"
  if [ -L "$p" ]; then
    { [ -L "$d" ] && [ "$(readlink -- "$p")" = "$(readlink -- "$d")" ]; } || printf 'D\t%s\n' "$p"
    continue
  elif [ -d "$p" ]; then
    { [ -d "$d" ] && [ ! -L "$d" ]; } || { printf 'D\t%s\n' "$p"; continue; }
  else
    { [ -f "$d" ] && [ ! -L "$d" ] && cmp -s -- "$p" "$d"; } || { printf 'D\t%s\n' "$p"; continue; }
  fi
  [ -z "$modes" ] || [ "$(stat -c %a -- "$p")" = "$(stat -c %a -- "$d")" ] || printf 'D\t%s\n' "$p"
done`;

/** A zip's members and those that differ in dest (found by unpacking into a temp directory). */
export async function zipCompare(
  ctx: ModuleContext,
  src: string,
  dest: string,
  o: MemberOptions,
  compareModes: boolean,
): Promise<{ members: string[]; differing: string[] } | { error: string }> {
  const unzip = unzipArgv(src, '', o, true).slice(1, -2); // without 'unzip' and '-d', ''
  const r = await ctx.conn.exec(['/bin/sh', '-c', ZIP_COMPARE, 'sh', dest, compareModes ? '1' : '', ...unzip], execOpts(ctx, { env: C }));
  if (r.rc === 4) return { error: `Unable to list files in the archive ${src}: ${why(r)}` };
  if (r.rc !== 0) return { error: `comparing ${src} with ${dest} failed: ${why(r)}` };
  return parseZipCompare(r.stdout);
}

/** The members (relative to dest) whose mode or ownership differ from what is wanted. */
export async function memberFixes(
  ctx: ModuleContext,
  dest: string,
  paths: readonly string[],
  want: WantedAttrs,
): Promise<{ chmod: string[]; chown: string[] }> {
  if (paths.length === 0 || (want.mode === undefined && want.owner === undefined && want.group === undefined))
    return { chmod: [], chown: [] };
  const argv = ['xargs', '-d', '\\n', '-r', 'stat', '--printf', '%a\\t%U\\t%G\\t%u\\t%g\\t%F\\t%n\\n', '--'];
  // a member missing from dest (check mode, before unpacking) makes stat fail for it alone
  const r = await ctx.conn.exec(argv, execOpts(ctx, { cwd: dest, stdin: paths.join('\n') + '\n', env: C }));
  return attrFixes(r.stdout, want);
}

/** chmod/chown the members; an error message or undefined. */
export async function fixMembers(
  ctx: ModuleContext,
  dest: string,
  fixes: { chmod: readonly string[]; chown: readonly string[] },
  want: WantedAttrs,
): Promise<string | undefined> {
  const run = async (cmd: string[], paths: readonly string[]): Promise<string | undefined> => {
    if (paths.length === 0) return undefined;
    const r = await ctx.conn.exec(
      ['xargs', '-d', '\\n', '-r', ...cmd, '--'],
      execOpts(ctx, { cwd: dest, stdin: paths.join('\n') + '\n', env: C }),
    );
    return r.rc === 0 ? undefined : `${cmd.join(' ')} in ${dest} failed: ${why(r)}`;
  };
  if (want.mode !== undefined) {
    const err = await run(['chmod', want.mode.toString(8)], fixes.chmod);
    if (err) return err;
  }
  if (want.owner !== undefined || want.group !== undefined) {
    return run(['chown', '-h', `${want.owner ?? ''}${want.group !== undefined ? ':' + want.group : ''}`], fixes.chown);
  }
  return undefined;
}

export async function unpack(
  ctx: ModuleContext,
  format: ArchiveFormat,
  src: string,
  dest: string,
  o: MemberOptions,
): Promise<{ cmd: string[]; r: ExecResult }> {
  const cmd = format === 'zip' ? unzipArgv(src, dest, o, false) : tarArgv('extract', format, src, dest, o);
  return { cmd, r: await ctx.conn.exec(cmd, execOpts(ctx, { env: C })) };
}

/** A controller archive copied to a fresh temp file on the host; the caller removes it. */
export async function uploadArchive(ctx: ModuleContext, content: Buffer): Promise<string> {
  const r = await ctx.conn.exec(['mktemp', '-t', 'runbook-archive.XXXXXXXX'], execOpts(ctx));
  const path = r.stdout.trim();
  if (r.rc !== 0 || path === '') throw new Error(`cannot create a temporary file on ${ctx.host}: ${why(r)}`);
  try {
    await ctx.conn.writeFileAtomic(path, content, { mode: 0o600, ...(ctx.become ? { become: ctx.become } : {}) });
  } catch (e) {
    await removeTemp(ctx, path);
    throw e;
  }
  return path;
}

export async function removeTemp(ctx: ModuleContext, path: string): Promise<void> {
  await ctx.conn.exec(['rm', '-f', '--', path], execOpts(ctx)).catch(() => undefined);
}
