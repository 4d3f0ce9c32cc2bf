// assemble's fragments: read from a directory on the host (one command) or on the controller,
// and joined as Ansible 2.14 joins them (pure: joinFragments).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readPyEscape } from '../../../core/python-escape.js';
import type { ModuleContext } from '../../types.js';
import { factOpts } from '../../support/exec.js';

export interface Fragment {
  readonly name: string;
  /** os.path.isfile (through symlinks) */
  readonly isFile: boolean;
  /** the bytes of a regular file; null when it could not be read */
  readonly content: Buffer | null;
}

export type FragmentDir =
  { readonly kind: 'absent' } | { readonly kind: 'not-dir' } | { readonly kind: 'dir'; readonly fragments: Fragment[] };

/**
 * $1 the directory. ABSENT, NOTDIR, or DIR then one line per entry: `F name content` (regular
 * file, both base64; content `!` when unreadable) or `O name` (anything else).
 */
const READ_SCRIPT = [
  'd=$1',
  '[ -e "$d" ] || { echo ABSENT; exit 0; }',
  '[ -d "$d" ] || { echo NOTDIR; exit 0; }',
  'echo DIR',
  'for f in "$d"/* "$d"/.*; do',
  '  n=${f##*/}',
  '  case $n in .|..) continue;; esac',
  '  [ -e "$f" ] || [ -L "$f" ] || continue',
  '  b=$(printf \'%s\' "$n" | base64 -w0)',
  '  if [ -f "$f" ]; then c=$(base64 -w0 -- "$f" 2>/dev/null) || c=!; echo "F $b $c"; else echo "O $b"; fi',
  'done',
].join('\n');

/** Python's sorted() of names: by code point. */
const byCodePoint = (a: Fragment, b: Fragment): number => {
  const x = [...a.name].map((c) => c.codePointAt(0)!);
  const y = [...b.name].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
};

export async function hostFragments(ctx: ModuleContext, dir: string): Promise<FragmentDir> {
  const r = await ctx.conn.exec(['/bin/sh', '-c', READ_SCRIPT, 'sh', dir], factOpts(ctx));
  if (r.rc !== 0) throw new Error(`cannot read ${dir}: ${(r.stderr || r.stdout).trim()}`);
  const lines = r.stdout.split('\n');
  if (lines[0] === 'ABSENT') return { kind: 'absent' };
  if (lines[0] === 'NOTDIR') return { kind: 'not-dir' };
  const fragments: Fragment[] = [];
  for (const line of lines.slice(1)) {
    const [kind, name, content] = line.split(' ');
    if (kind !== 'F' && kind !== 'O') continue;
    fragments.push({
      name: Buffer.from(name ?? '', 'base64').toString('utf8'),
      isFile: kind === 'F',
      content: kind === 'F' && content !== '!' ? Buffer.from(content ?? '', 'base64') : null,
    });
  }
  return { kind: 'dir', fragments: fragments.sort(byCodePoint) };
}

export function controllerFragments(dir: string): FragmentDir {
  let st;
  try {
    st = statSync(dir);
  } catch {
    return { kind: 'absent' };
  }
  if (!st.isDirectory()) return { kind: 'not-dir' };
  const fragments = readdirSync(dir).map((name): Fragment => {
    const path = join(dir, name);
    const isFile = (() => {
      try {
        return statSync(path).isFile();
      } catch {
        return false;
      }
    })();
    let content: Buffer | null = null;
    if (isFile)
      try {
        content = readFileSync(path);
      } catch {
        content = null;
      }
    return { name, isFile, content };
  });
  return { kind: 'dir', fragments: fragments.sort(byCodePoint) };
}

/** Python's codecs.escape_decode: the bytes escapes (no \u), unknown ones kept as written. */
export function escapeDecode(s: Buffer): Buffer {
  const text = s.toString('latin1');
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const next = text[i + 1] ?? '';
    if (c !== '\\' || next === '' || next === 'u' || next === 'U' || next === 'N') {
      out.push(text.charCodeAt(i));
      continue;
    }
    const e = readPyEscape(text, i);
    if (!e.ok) throw new Error(`invalid \\x escape at position ${i}`);
    for (const ch of e.text) out.push(ch.codePointAt(0)! & 0xff);
    i = e.end - 1;
  }
  return Buffer.from(out);
}

/**
 * The assembled bytes, as assemble_from_fragments: a newline between fragments when the previous
 * one did not end with one, the delimiter (decoded again at each use, as Ansible's loop does)
 * between fragments and then a newline unless it ends with one. `controller`: the action
 * plugin's copy of the loop (remote_src false), which compares the delimiter's last byte with
 * b'\n' and so always adds the newline.
 */
export function joinFragments(contents: readonly Buffer[], delimiter: string | undefined, controller: boolean): Buffer {
  const parts: Buffer[] = [];
  let delim: Buffer | undefined = delimiter ? Buffer.from(delimiter, 'utf8') : undefined;
  let delimitMe = false;
  let addNewline = false;
  for (const content of contents) {
    if (addNewline) parts.push(Buffer.from('\n'));
    if (delimitMe && delim && delim.length) {
      delim = escapeDecode(delim);
      parts.push(delim);
      if (controller || delim[delim.length - 1] !== 10) parts.push(Buffer.from('\n'));
    }
    parts.push(content);
    delimitMe = true;
    addNewline = !(content.length && content[content.length - 1] === 10);
  }
  return Buffer.concat(parts);
}
