// An INI host line split as Ansible splits it: Python's shlex in POSIX mode with comments on.
// Quotes group and are removed (`x="a b"` → `x=a b`), a backslash escapes outside single
// quotes, and `#` starts a comment even inside a word (`pw=ab#cd` → `pw=ab`), which is why
// Ansible's docs quote such values.

export interface Token {
  readonly text: string;
  /** 0-based offset in the line where the token starts, for diagnostics */
  readonly start: number;
}

export type SplitResult = { readonly ok: true; readonly tokens: Token[] } | { readonly ok: false; readonly message: string; readonly at: number };

const SPACE = new Set([' ', '\t', '\r', '\n']);

export function shlexSplit(line: string): SplitResult {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && SPACE.has(line[i]!)) i++;
    if (i >= line.length || line[i] === '#') break;
    const start = i;
    let text = '';
    let comment = false;
    while (i < line.length && !SPACE.has(line[i]!)) {
      const c = line[i]!;
      if (c === '#') {
        comment = true;
        break;
      }
      if (c === "'") {
        const close = line.indexOf("'", i + 1);
        if (close < 0) return { ok: false, message: 'no closing quotation', at: i };
        text += line.slice(i + 1, close);
        i = close + 1;
      } else if (c === '"') {
        const r = doubleQuoted(line, i + 1);
        if (r === undefined) return { ok: false, message: 'no closing quotation', at: i };
        text += r.text;
        i = r.next;
      } else if (c === '\\') {
        if (i + 1 >= line.length) return { ok: false, message: 'no escaped character', at: i };
        text += line[i + 1];
        i += 2;
      } else {
        text += c;
        i++;
      }
    }
    tokens.push({ text, start });
    if (comment) break;
  }
  return { ok: true, tokens };
}

/** Inside "...": a backslash escapes only `"` and `\`; otherwise it stays. */
function doubleQuoted(line: string, from: number): { text: string; next: number } | undefined {
  let text = '';
  let i = from;
  while (i < line.length) {
    const c = line[i]!;
    if (c === '"') return { text, next: i + 1 };
    if (c === '\\' && i + 1 < line.length) {
      const n = line[i + 1]!;
      text += n === '"' || n === '\\' ? n : c + n;
      i += 2;
      continue;
    }
    text += c;
    i++;
  }
  return undefined;
}
