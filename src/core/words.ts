// The one word splitter: Python's shlex.split in POSIX mode (what Ansible's command module and
// its INI inventory call), with the options its callers need. Quotes group and are removed, a
// backslash escapes outside single quotes (inside double quotes only `"` and `\`), nothing is
// expanded: `echo "a b" c` → ['echo', 'a b', 'c'].
// - comments: `#` outside quotes ends the line, even inside a word (`pw=ab#cd` → `pw=ab`), as
//   shlex with commenters='#' that Ansible's INI inventory uses;
// - templates: blanks inside `{{ }}`, `{% %}`, `{# #}` do not split (Ansible's split_args, for
//   free-form `k=v` arguments), and with escapes off a backslash outside quotes is a character;
// - unclosed 'word': an unclosed quote runs to the end of the text instead of failing.
// Each word keeps where it stands (start/end), so a caller can read its raw text.

export interface Word {
  /** the word with quotes removed and escapes applied */
  readonly text: string;
  /** 0-based offsets in the line: line.slice(start, end) is the word as written */
  readonly start: number;
  readonly end: number;
}

export interface WordOptions {
  readonly comments?: boolean;
  readonly templates?: boolean;
  /** a backslash outside quotes escapes the next character (default true, as shlex) */
  readonly escapes?: boolean;
  readonly unclosed?: 'error' | 'word';
}

export type WordSplit =
  { readonly ok: true; readonly words: Word[] } | { readonly ok: false; readonly message: string; readonly at: number };

const BLANK = new Set([' ', '\t', '\r', '\n']);
const OPEN = new Set(['{{', '{%', '{#']);
const CLOSE = new Set(['}}', '%}', '#}']);

export function scanWords(line: string, opts: WordOptions = {}): WordSplit {
  const escapes = opts.escapes ?? true;
  const words: Word[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && BLANK.has(line[i]!)) i++;
    if (i >= line.length || (opts.comments && line[i] === '#')) break;
    const start = i;
    let text = '';
    let quote: string | undefined;
    let quoteAt = 0;
    let depth = 0;
    let comment = false;
    while (i < line.length) {
      const c = line[i]!;
      if (quote) {
        if (c === quote) quote = undefined;
        else if (c === '\\' && quote === '"' && i + 1 < line.length) {
          const n = line[i + 1]!;
          text += n === '"' || n === '\\' ? n : c + n;
          i += 2;
          continue;
        } else text += c;
        i++;
        continue;
      }
      const two = line.slice(i, i + 2);
      if (opts.templates && (OPEN.has(two) || (depth > 0 && CLOSE.has(two)))) {
        depth += OPEN.has(two) ? 1 : -1;
        text += two;
        i += 2;
        continue;
      }
      if (c === "'" || c === '"') {
        quote = c;
        quoteAt = i;
      } else if (c === '\\' && escapes) {
        if (i + 1 >= line.length) return { ok: false, message: 'no escaped character', at: i };
        text += line[i + 1];
        i += 2;
        continue;
      } else if (depth === 0 && BLANK.has(c)) break;
      else if (depth === 0 && opts.comments && c === '#') {
        comment = true;
        break;
      } else text += c;
      i++;
    }
    if (quote && opts.unclosed !== 'word') return { ok: false, message: 'no closing quotation', at: quoteAt };
    words.push({ text, start, end: i });
    if (comment) break;
  }
  return { ok: true, words };
}

/** shlex.split: the words' text; an unclosed quote or a trailing backslash throws. */
export function splitWords(line: string): string[] {
  const r = scanWords(line);
  if (!r.ok) throw new Error(r.message);
  return r.words.map((w) => w.text);
}
