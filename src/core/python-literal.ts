// Python's ast.literal_eval, falling back to the text itself when it is not a Python literal.
// INI inventory values are read this way (inventory/ini-inventory.ts): `22` is a number, `True`
// a boolean, `true` and `yes` stay strings, `'22'` is the string 22, `[1, 2]` a list and `1,2`
// a list too (a bare tuple), `2.0` a Python float (core/python-float.ts). Tuples and sets become lists, as Ansible converts them. With
// `jsonNames`, `true`, `false` and `null` are literals too: Ansible's Json2Python, used where a
// rendered template that reads as a list or a dict becomes one (template/native.ts).

import { readPyEscape } from './python-escape.js';
import { PyFloat, pyFloat } from './python-float.js';

type Value = unknown;

class NotALiteral extends Error {}

/** CPython's limit of nested brackets (its tokenizer's MAXLEVEL). */
const MAX_NESTING = 200;

export interface LiteralOptions {
  /** JSON's `true`, `false` and `null` read as Python's True, False and None (Ansible's Json2Python) */
  readonly jsonNames?: boolean;
}

export function literalEval(text: string, opts: LiteralOptions = {}): unknown {
  try {
    return new LiteralParser(text, opts.jsonNames ? JSON_NAMES : NAMES).top();
  } catch (e) {
    if (e instanceof NotALiteral) return text;
    throw e;
  }
}

const NAMES: Readonly<Record<string, Value>> = { True: true, False: false, None: null };
const JSON_NAMES: Readonly<Record<string, Value>> = { ...NAMES, true: true, false: false, null: null };

class LiteralParser {
  private i = 0;
  private depth = 0;
  constructor(
    private readonly s: string,
    private readonly names: Readonly<Record<string, Value>>,
  ) {}

  top(): Value {
    this.space();
    if (this.i >= this.s.length) throw new NotALiteral();
    const first = this.expr();
    this.space();
    if (this.peek() !== ',') return this.end(first);
    // a bare tuple: `1, 2`
    const items = [first];
    while (this.peek() === ',') {
      this.i++;
      this.space();
      if (this.i >= this.s.length) break;
      items.push(this.expr());
      this.space();
    }
    return this.end(items);
  }

  private end(v: Value): Value {
    this.space();
    if (this.i < this.s.length) throw new NotALiteral();
    return v;
  }

  private peek(): string {
    return this.s[this.i] ?? '';
  }

  /** whitespace and a `#` comment to the end of the text */
  private space(): void {
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') this.i++;
      else if (c === '#') this.i = this.s.length;
      else break;
    }
  }

  private expr(): Value {
    // Python's parser refuses brackets nested 200 deep ("too many nested parentheses"): not a literal then
    if (++this.depth > MAX_NESTING) throw new NotALiteral();
    try {
      return this.value();
    } finally {
      this.depth--;
    }
  }

  private value(): Value {
    this.space();
    const c = this.peek();
    if (c === '[') return this.sequence('[', ']').items;
    if (c === '(') {
      const { items, trailingComma } = this.sequence('(', ')');
      return items.length === 1 && !trailingComma ? items[0] : items;
    }
    if (c === '{') return this.braces();
    if (c === '-' || c === '+') {
      this.i++;
      this.space();
      const n = this.number();
      return c === '-' ? (n instanceof PyFloat ? new PyFloat(-n.value) : -n) : n;
    }
    if (/[0-9.]/.test(c)) return this.number();
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.i))?.[0];
    if (word !== undefined) {
      const prefix = /^(?:[rRuUbB]|[bB][rR]|[rR][bB])$/.test(word) && /['"]/.test(this.s[this.i + word.length] ?? '');
      if (prefix) return this.strings();
      if (Object.hasOwn(this.names, word)) {
        this.i += word.length;
        return this.names[word];
      }
      throw new NotALiteral();
    }
    if (c === '"' || c === "'") return this.strings();
    throw new NotALiteral();
  }

  private sequence(open: string, close: string): { items: Value[]; trailingComma: boolean } {
    this.i++; // open
    const items: Value[] = [];
    let trailingComma = false;
    for (;;) {
      this.space();
      if (this.peek() === close) break;
      items.push(this.expr());
      this.space();
      trailingComma = false;
      if (this.peek() === ',') {
        this.i++;
        trailingComma = true;
        continue;
      }
      if (this.peek() !== close) throw new NotALiteral();
    }
    this.i++;
    if (open === '(' && items.length === 0) trailingComma = true;
    return { items, trailingComma };
  }

  /** `{}` and `{k: v}` are dicts, `{a, b}` a set (a list here). */
  private braces(): Value {
    this.i++;
    this.space();
    if (this.peek() === '}') {
      this.i++;
      return {};
    }
    const first = this.expr();
    this.space();
    if (this.peek() === ':') {
      const out: Record<string, Value> = {};
      let key = first;
      for (;;) {
        if (this.peek() !== ':') throw new NotALiteral();
        this.i++;
        out[keyText(key)] = this.expr();
        this.space();
        if (this.peek() === '}') break;
        if (this.peek() !== ',') throw new NotALiteral();
        this.i++;
        this.space();
        if (this.peek() === '}') break;
        key = this.expr();
        this.space();
      }
      this.i++;
      return out;
    }
    const items = [first];
    for (;;) {
      if (this.peek() === '}') break;
      if (this.peek() !== ',') throw new NotALiteral();
      this.i++;
      this.space();
      if (this.peek() === '}') break;
      items.push(this.expr());
      this.space();
    }
    this.i++;
    return [...new Set(items)];
  }

  private number(): number | PyFloat {
    const rest = this.s.slice(this.i);
    const m =
      /^0[xX](?:_?[0-9a-fA-F])+|^0[oO](?:_?[0-7])+|^0[bB](?:_?[01])+/.exec(rest) ??
      /^(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*|\d(?:_?\d)*\.?)(?:[eE][+-]?\d(?:_?\d)*)?/.exec(rest);
    if (!m || m[0] === '.') throw new NotALiteral();
    const tok = m[0];
    const after = rest[tok.length] ?? '';
    // `1j` is complex, `1x` a syntax error: neither is a plain number
    if (/[A-Za-z0-9_]/.test(after)) throw new NotALiteral();
    this.i += tok.length;
    const clean = tok.replace(/_/g, '');
    if (/^0[xXoObB]/.test(clean)) return checkedInt(Number(clean));
    if (/^\d+$/.test(clean)) {
      // Python 3 rejects `010`; only zeros may lead with a zero
      if (clean.length > 1 && clean.startsWith('0') && !/^0+$/.test(clean)) throw new NotALiteral();
      return checkedInt(Number(clean));
    }
    return pyFloat(Number(clean));
  }

  /** one or more adjacent string literals, concatenated as Python does */
  private strings(): string {
    let out = '';
    let any = false;
    for (;;) {
      this.space();
      const prefix = /^[rRuUbB]{0,2}(?=['"])/.exec(this.s.slice(this.i))?.[0];
      if (prefix === undefined || !/^(?:|[rRuUbB]|[bB][rR]|[rR][bB])$/.test(prefix)) break;
      this.i += prefix.length;
      out += this.string(/[rR]/.test(prefix));
      any = true;
    }
    if (!any) throw new NotALiteral();
    return out;
  }

  private string(raw: boolean): string {
    const q = this.s[this.i]!;
    const triple = this.s.startsWith(q.repeat(3), this.i);
    const close = triple ? q.repeat(3) : q;
    this.i += close.length;
    let out = '';
    for (;;) {
      if (this.i >= this.s.length) throw new NotALiteral();
      if (this.s.startsWith(close, this.i)) {
        this.i += close.length;
        return out;
      }
      const c = this.s[this.i]!;
      if (c === '\n' && !triple) throw new NotALiteral();
      if (c === '\\') {
        const next = this.s[this.i + 1];
        if (next === undefined) throw new NotALiteral();
        if (raw) {
          out += c + next;
          this.i += 2;
        } else out += this.escape();
        continue;
      }
      out += c;
      this.i++;
    }
  }

  private escape(): string {
    const e = readPyEscape(this.s, this.i);
    if (!e.ok) throw new NotALiteral();
    this.i = e.end;
    return e.text;
  }
}

/** Integers beyond 2^53 would lose digits as JS numbers: keep those as their text. */
function checkedInt(n: number): number {
  if (!Number.isSafeInteger(n)) throw new NotALiteral();
  return n;
}

function keyText(k: Value): string {
  if (k === null) return 'None';
  if (k === true) return 'True';
  if (k === false) return 'False';
  if (typeof k === 'object') throw new NotALiteral(); // lists are not hashable in Python
  return String(k);
}
