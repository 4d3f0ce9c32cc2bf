// Splits template text into data and tag tokens, and tag/expression text into Jinja tokens.
// Whitespace control (`{%-`, `-%}`, `{{-`, `-}}`, `{#-`, `-#}`) and trim_blocks are applied here.
import { syntaxError } from './errors.js';
import { table } from '../core/table.js';
import { readPyEscape } from '../core/python-escape.js';

export type TokenType = 'data' | 'var_begin' | 'var_end' | 'block_begin' | 'block_end' | 'name' | 'int' | 'float' | 'string' | 'op' | 'eof';

export interface Token {
  readonly type: TokenType;
  readonly value: string;
  readonly at: number;
}

const OPS = [
  '**',
  '//',
  '==',
  '!=',
  '<=',
  '>=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '~',
  '<',
  '>',
  '=',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  '.',
  ':',
  '|',
];
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const FLOAT = /(?:\d+(?:_\d+)*\.\d+(?:_\d+)*(?:[eE][+-]?\d+)?|\d+(?:_\d+)*[eE][+-]?\d+)/y;
const INT = /\d+(?:_\d+)*/y;
const WS = /\s+/y;
const CLOSING: Readonly<Record<string, string>> = table({ ')': '(', ']': '[', '}': '{' });
const RAW_BEGIN = /\{%[-+]?\s*raw\s*([-+]?)%\}/y;
const RAW_END = /\{%([-+]?)\s*endraw\s*([-+]?)%\}/g;

function sticky(re: RegExp, src: string, pos: number): string | null {
  re.lastIndex = pos;
  const m = re.exec(src);
  return m ? m[0] : null;
}

/** Reads a quoted string at `pos`; returns the decoded value and the position after it. */
function readString(src: string, pos: number): [string, number] {
  const quote = src[pos];
  let out = '';
  let i = pos + 1;
  while (i < src.length) {
    const ch = src[i] as string;
    if (ch === quote) return [out, i + 1];
    if (ch === '\\' && i + 1 < src.length) {
      const e = readPyEscape(src, i);
      if (!e.ok) throw syntaxError(e.error, i);
      out += e.text;
      i = e.end;
      continue;
    }
    out += ch;
    i++;
  }
  throw syntaxError('unterminated string', pos);
}

/**
 * A string literal inside `{{ }}` of a playbook value, as Ansible reads it: its templar doubles
 * every backslash in those literals before Jinja lexes them (`_escape_backslashes`), so
 * `'{{ l | join("\n") }}'` joins with a backslash and an n, and `'\1'` reaches regex_replace
 * as written. A quote escaped with a backslash then ends the string (Ansible's re-lexed text is
 * a syntax error): refused here, with the way out.
 */
function readVerbatimString(src: string, pos: number): [string, number] {
  const quote = src[pos];
  for (let i = pos + 1; i < src.length; i++) {
    const ch = src[i];
    if (ch === quote) return [src.slice(pos + 1, i), i + 1];
    if (ch !== '\\') continue;
    if (src[i + 1] === quote)
      throw syntaxError(
        `a quote escaped with a backslash inside {{ }}: Ansible doubles the backslashes of a playbook value's string literals (escape_backslashes), which ends the string there; use the other kind of quote`,
        i,
      );
    i++;
  }
  throw syntaxError('unterminated string', pos);
}

/**
 * Tokenizes expression text from `pos` until `closer` ('}}' or '%}') at bracket depth 0,
 * or until the end of text when `closer` is null. Returns the position after the closer and
 * whether the closer asked to strip the whitespace that follows (`-}}`).
 */
function lexExpr(
  src: string,
  pos: number,
  closer: string | null,
  out: Token[],
  tagStart: number,
  verbatimStrings: boolean,
): [number, boolean, boolean] {
  const stack: { ch: string; at: number }[] = [];
  for (;;) {
    const ws = sticky(WS, src, pos);
    if (ws) pos += ws.length;
    if (pos >= src.length) {
      if (closer !== null) throw syntaxError(`unclosed '${closer === '}}' ? '{{' : '{%'}'`, tagStart);
      const open = stack[stack.length - 1];
      if (open) throw syntaxError(`unclosed '${open.ch}'`, open.at);
      return [pos, false, false];
    }
    if (closer !== null && stack.length === 0) {
      if (src.startsWith(closer, pos)) return [pos + 2, false, false];
      if (src.startsWith('-' + closer, pos)) return [pos + 3, true, false];
      if (closer === '%}' && src.startsWith('+%}', pos)) return [pos + 3, false, true];
    }
    const ch = src[pos] as string;
    if (ch === "'" || ch === '"') {
      const [value, end] = verbatimStrings ? readVerbatimString(src, pos) : readString(src, pos);
      out.push({ type: 'string', value, at: pos });
      pos = end;
      continue;
    }
    const prev = out[out.length - 1];
    const afterDot = prev !== undefined && prev.type === 'op' && prev.value === '.';
    const num = (afterDot ? null : sticky(FLOAT, src, pos)) ?? sticky(INT, src, pos);
    if (num !== null) {
      out.push({ type: num.includes('.') || /[eE]/.test(num) ? 'float' : 'int', value: num.replace(/_/g, ''), at: pos });
      pos += num.length;
      continue;
    }
    const name = sticky(NAME, src, pos);
    if (name !== null) {
      out.push({ type: 'name', value: name, at: pos });
      pos += name.length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, pos));
    if (op === undefined) throw syntaxError(`unexpected char '${ch}'`, pos);
    if (op === '(' || op === '[' || op === '{') stack.push({ ch: op, at: pos });
    else if (op === ')' || op === ']' || op === '}') {
      const open = stack.pop();
      if (open === undefined) throw syntaxError(`unexpected '${op}'`, pos);
      if (open.ch !== CLOSING[op]) throw syntaxError(`unexpected '${op}', expected '${closerOf(open.ch)}'`, pos);
    }
    out.push({ type: 'op', value: op, at: pos });
    pos += op.length;
  }
}

function closerOf(open: string): string {
  return open === '(' ? ')' : open === '[' ? ']' : '}';
}

/** `escapeBackslashes`: the expression stands for `{{ expr }}` in a playbook value (debug's `var`) */
export function lexExpression(src: string, escapeBackslashes = false): Token[] {
  const out: Token[] = [];
  lexExpr(src, 0, null, out, 0, escapeBackslashes);
  out.push({ type: 'eof', value: '', at: src.length });
  return out;
}

/**
 * `escapeBackslashes`: the text is a playbook value (Ansible's templar default), whose string
 * literals inside `{{ }}` are read verbatim; off for template files (the template module and
 * lookup('template') turn it off) and for what `{% %}` holds.
 */
export function lexTemplate(src: string, escapeBackslashes: boolean): Token[] {
  const out: Token[] = [];
  const tagRe = /\{[{%#]/g;
  let pos = 0;
  let stripNext = false;
  let trimNewline = false;
  const pushData = (text: string, at: number, stripEnd: boolean): void => {
    let data = text;
    if (stripNext) data = data.replace(/^\s+/, '');
    else if (trimNewline) data = data.replace(/^\r?\n/, '');
    if (stripEnd) data = data.replace(/\s+$/, '');
    if (data) out.push({ type: 'data', value: data, at });
    stripNext = false;
    trimNewline = false;
  };
  while (pos < src.length) {
    tagRe.lastIndex = pos;
    const m = tagRe.exec(src);
    if (!m) {
      pushData(src.slice(pos), pos, false);
      break;
    }
    const start = m.index;
    const kind = src[start + 1];
    const dash = src[start + 2] === '-';
    pushData(src.slice(pos, start), pos, dash);
    const inner = start + 2 + (dash || src[start + 2] === '+' ? 1 : 0);
    if (kind === '#') {
      const end = src.indexOf('#}', inner);
      if (end < 0) throw syntaxError("unclosed comment '{#'", start);
      stripNext = src[end - 1] === '-' && end - 1 >= inner;
      trimNewline = true;
      pos = end + 2;
    } else if (kind === '%' && sticky(RAW_BEGIN, src, start) !== null) {
      pos = lexRaw(src, start, out);
      trimNewline = true;
    } else if (kind === '%') {
      out.push({ type: 'block_begin', value: '{%', at: start });
      const [end, strip, keepNewline] = lexExpr(src, inner, '%}', out, start, false);
      out.push({ type: 'block_end', value: '%}', at: end - 2 });
      stripNext = strip;
      trimNewline = !keepNewline;
      pos = end;
    } else {
      out.push({ type: 'var_begin', value: '{{', at: start });
      const [end, strip] = lexExpr(src, inner, '}}', out, start, escapeBackslashes);
      out.push({ type: 'var_end', value: '}}', at: end - 2 });
      stripNext = strip;
      pos = end;
    }
  }
  out.push({ type: 'eof', value: '', at: src.length });
  return out;
}

/** `{% raw %}...{% endraw %}`: the text between is data, verbatim. */
function lexRaw(src: string, start: number, out: Token[]): number {
  RAW_BEGIN.lastIndex = start;
  const open = RAW_BEGIN.exec(src);
  const bodyStart = start + (open?.[0].length ?? 0);
  RAW_END.lastIndex = bodyStart;
  const close = RAW_END.exec(src);
  if (!close) throw syntaxError("expected 'endraw'", start);
  let body = src.slice(bodyStart, close.index);
  if (open?.[1] === '-') body = body.replace(/^\s+/, '');
  else body = body.replace(/^\r?\n/, '');
  if (close[1] === '-') body = body.replace(/\s+$/, '');
  if (body) out.push({ type: 'data', value: body, at: bodyStart });
  return close.index + close[0].length;
}
