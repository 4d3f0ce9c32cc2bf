// A cursor over tokens with the small helpers the parsers share.
import { syntaxError } from './errors.js';
import type { Token } from './lexer.js';

export function describe(tok: Token): string {
  switch (tok.type) {
    case 'eof':
      return 'end of template';
    case 'data':
      return 'template data';
    case 'string':
      return 'string';
    case 'var_begin':
    case 'var_end':
    case 'block_begin':
    case 'block_end':
    case 'op':
    case 'name':
    case 'int':
    case 'float':
      return tok.value;
  }
}

export class Stream {
  private i = 0;

  constructor(
    private readonly toks: readonly Token[],
    private readonly eofWord = 'end of template',
  ) {}

  peek(ahead = 0): Token {
    const t = this.toks[Math.min(this.i + ahead, this.toks.length - 1)];
    if (t === undefined) throw syntaxError('empty token stream', 0);
    return t;
  }

  next(): Token {
    const t = this.peek();
    if (this.i < this.toks.length - 1) this.i++;
    return t;
  }

  isOp(v: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.type === 'op' && t.value === v;
  }

  isName(v?: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.type === 'name' && (v === undefined || t.value === v);
  }

  skipOp(v: string): boolean {
    if (!this.isOp(v)) return false;
    this.next();
    return true;
  }

  skipName(v: string): boolean {
    if (!this.isName(v)) return false;
    this.next();
    return true;
  }

  fail(tok: Token = this.peek(), expected?: string): never {
    const what = tok.type === 'eof' ? this.eofWord : `'${describe(tok)}'`;
    const msg = tok.type === 'eof' ? `unexpected ${what}` : `unexpected ${what}`;
    throw syntaxError(expected ? `${msg}, expected ${expected}` : msg, tok.at);
  }

  expectOp(v: string): Token {
    if (!this.isOp(v)) this.fail(this.peek(), `'${v}'`);
    return this.next();
  }

  expectName(v?: string): Token {
    if (!this.isName(v)) this.fail(this.peek(), v ? `'${v}'` : 'a name');
    return this.next();
  }

  expectType(type: Token['type'], what: string): Token {
    if (this.peek().type !== type) this.fail(this.peek(), what);
    return this.next();
  }
}
