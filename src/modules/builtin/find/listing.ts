// The two host scripts of find and the readers of what they print. Values reach the scripts as
// positional parameters, never spliced into their text. Output is NUL-separated records, so any
// file name (newlines included) reads back as it is.
import type { EntryStat, PathListing } from './walk.js';

/**
 * $1 -H or -L (follow), $2 find's -maxdepth, then the paths. Prints `T` and the host's clock,
 * then per path `N path` (not a directory) or `P path`, one `Y<%Y> path` record per entry (find:
 * readdir order), the entries' lstat as `S...` records (stat, batched by -exec +) and `E` with
 * find's errors (a directory it could not read).
 */
export const LIST_SCRIPT = [
  'follow=$1; maxdepth=$2; shift 2',
  'printf \'T\\0%s\\0\' "$(date +%s.%N)"',
  'for p in "$@"; do',
  '  case $p in "~") p=$HOME;; "~/"*) p=$HOME/${p#"~/"};; esac',
  '  if [ ! -d "$p" ]; then printf \'N\\0%s\\0\' "$p"; continue; fi',
  '  printf \'P\\0%s\\0\' "$p"',
  '  { errs=$(find "$follow" "$p" -mindepth 1 -maxdepth "$maxdepth" -printf \'Y%Y\\0%p\\0\' \\',
  "      -exec stat --printf 'S%f %u %g %s %i %d %h %X %Y %Z\\0%x\\0%y\\0%z\\0%U\\0%G\\0%n\\0' -- {} + 2>&1 >&3); } 3>&1",
  '  printf \'E\\0%s\\0\' "$errs"',
  'done',
].join('\n');

/**
 * $1 the contains pattern ('' for none), $2 'whole' or '', $3 'sums' or '', then the files.
 * Prints `G`, the files grep -P matched (each NUL-terminated) and an empty record, then
 * `sha1sum -z`'s lines. Exit 3: this grep has no -P.
 */
export const CONTENT_SCRIPT = [
  'pat=$1; whole=$2; sums=$3; shift 3',
  "printf 'G\\0'",
  'if [ -n "$pat" ]; then',
  '  grep -qP -e x /dev/null 2>/dev/null; [ $? -eq 2 ] && { echo "grep -P (PCRE) is not available on this host" >&2; exit 3; }',
  '  if [ "$whole" = whole ]; then grep -lsZ -z -P -e "$pat" -- "$@"; else grep -lsZ -P -e "^(?:$pat)" -- "$@"; fi',
  'fi',
  "printf '\\0'",
  'if [ "$sums" = sums ]; then sha1sum -z -- "$@" 2>/dev/null; fi',
  'exit 0',
].join('\n');

/** `2026-12-07 17:52:02.916131538 +0000` → 916131538 */
function nanos(human: string): number {
  const m = /\.(\d+)/.exec(human);
  return m ? Number((m[1] ?? '').padEnd(9, '0').slice(0, 9)) : 0;
}

/** Python's st_*time: the float CPython makes of seconds and nanoseconds (sec + nsec * 1e-9). */
const pyTime = (sec: string, human: string): number => Number(sec) + nanos(human) * 1e-9;

/** find's error lines `find: 'X': Permission denied` → X → the message. */
function findErrors(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^find: ['‘](.*)['’]: ([^:]+)$/.exec(line);
    if (m) out.set(m[1] ?? '', m[2] ?? '');
  }
  return out;
}

/** The listing script's output, path by path, and the host's clock. */
export function parseListing(stdout: string): { now: number; listings: PathListing[] } {
  const t = stdout.split('\0');
  let i = 0;
  let now = Date.now() / 1000;
  const listings: PathListing[] = [];
  let cur: { path: string; entries: { path: string; followedType: string }[]; stats: Map<string, EntryStat> } | undefined;
  while (i < t.length) {
    const tag = t[i++] ?? '';
    if (tag === '') continue;
    if (tag === 'T') now = Number(t[i++]);
    else if (tag === 'N') listings.push({ kind: 'not-dir', path: t[i++] ?? '' });
    else if (tag === 'P') cur = { path: t[i++] ?? '', entries: [], stats: new Map() };
    else if (tag.startsWith('Y')) cur?.entries.push({ followedType: tag.slice(1), path: t[i++] ?? '' });
    else if (tag.startsWith('S')) {
      const [mode, uid, gid, size, inode, dev, nlink, asec, msec, csec] = tag.slice(1).split(' ');
      const [ax, mx, cx, owner, group, name] = t.slice(i, i + 6);
      i += 6;
      cur?.stats.set(name ?? '', {
        mode: parseInt(mode ?? '0', 16),
        uid: Number(uid),
        gid: Number(gid),
        size: Number(size),
        inode: Number(inode),
        dev: Number(dev),
        nlink: Number(nlink),
        atime: pyTime(asec ?? '0', ax ?? ''),
        mtime: pyTime(msec ?? '0', mx ?? ''),
        ctime: pyTime(csec ?? '0', cx ?? ''),
        // GNU stat prints UNKNOWN for an id without a name; Python's pwd lookup gives ''
        owner: owner === 'UNKNOWN' ? '' : (owner ?? ''),
        group: group === 'UNKNOWN' ? '' : (group ?? ''),
      });
    } else if (tag === 'E') {
      const errs = t[i++] ?? '';
      if (cur) listings.push({ kind: 'dir', ...cur, unreadable: findErrors(errs) });
      cur = undefined;
    } else throw new Error(`unexpected find listing record ${JSON.stringify(tag.slice(0, 40))}`);
  }
  return { now, listings };
}

/** The content script's output: the files contains matched, and each file's SHA-1. */
export function parseContent(stdout: string): { matched: Set<string>; sums: Map<string, string> } {
  const start = stdout.indexOf('G\0') + 2;
  const end = stdout.indexOf('\0\0', start - 1);
  const matched = new Set(end > start ? stdout.slice(start, end).split('\0') : []);
  const sums = new Map<string, string>();
  for (const line of stdout.slice(end + 2).split('\0')) {
    const m = /^([0-9a-f]{40}) [ *](.*)$/s.exec(line);
    if (m) sums.set(m[2] ?? '', m[1] ?? '');
  }
  return { matched, sums };
}
