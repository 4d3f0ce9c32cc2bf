// Recursive-descent parser for Jinja expressions, with Jinja's precedence:
// cond < or < and < not < compare < + - < ~ < * / // % < ** < unary < postfix/filters/tests.
import { pyFloat } from '../core/python-float.js';
import type { Args, BinaryOp, CompareOp, Expr } from './ast.js';
import type { Stream } from './stream.js';
import { table } from '../core/table.js';
import { syntaxError } from './errors.js';

/** Deeper nesting than any real expression: refused with its position, never a stack overflow. */
export const MAX_EXPR_DEPTH = 100;

const CONSTANTS: Readonly<Record<string, unknown>> = table({
  true: true,
  false: false,
  True: true,
  False: false,
  none: null,
  None: null,
  null: null,
});
const COMPARE_OPS = new Set(['==', '!=', '<', '>', '<=', '>=']);
const NO_TEST_ARG = new Set(['else', 'or', 'and', 'if', 'in', 'is', 'not']);

export class ExprParser {
  constructor(private readonly s: Stream) {}

  /** Full expression, including `a if c else b` unless `withCond` is false. */
  private depth = 0;

  /** Counts one level of nesting around `parse`; too deep is a positioned syntax error. */
  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_EXPR_DEPTH) {
      this.depth = 0;
      throw syntaxError(`expression nested more than ${MAX_EXPR_DEPTH} deep`, this.s.peek().at);
    }
    try {
      return parse();
    } finally {
      if (this.depth > 0) this.depth--;
    }
  }

  parseExpr(withCond = true): Expr {
    return this.nested(() => this.parseExprAt(withCond));
  }

  private parseExprAt(withCond: boolean): Expr {
    let e = this.parseOr();
    while (withCond && this.s.isName('if')) {
      const at = this.s.next().at;
      const test = this.parseOr();
      const other = this.s.skipName('else') ? this.parseExpr() : null;
      e = { t: 'cond', test, then: e, else: other, at };
    }
    return e;
  }

  /** `a, b` without parentheses (set and for targets' values) becomes a tuple. */
  parseTupleExpr(withCond = true): Expr {
    const first = this.parseExpr(withCond);
    if (!this.s.isOp(',')) return first;
    const items = [first];
    while (this.s.skipOp(',')) {
      if (this.atEnd()) break;
      items.push(this.parseExpr(withCond));
    }
    return { t: 'tuple', items, at: first.at };
  }

  private atEnd(): boolean {
    const t = this.s.peek();
    return t.type === 'eof' || t.type === 'block_end' || t.type === 'var_end';
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.s.isName('or')) {
      const at = this.s.next().at;
      left = { t: 'or', left, right: this.parseAnd(), at };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.s.isName('and')) {
      const at = this.s.next().at;
      left = { t: 'and', left, right: this.parseNot(), at };
    }
    return left;
  }

  private parseNot(): Expr {
    if (this.s.isName('not')) {
      const at = this.s.next().at;
      return { t: 'not', arg: this.nested(() => this.parseNot()), at };
    }
    return this.parseCompare();
  }

  private parseCompare(): Expr {
    const first = this.parseMath1();
    const rest: { op: CompareOp; expr: Expr }[] = [];
    for (;;) {
      const tok = this.s.peek();
      let op: CompareOp;
      if (tok.type === 'op' && COMPARE_OPS.has(tok.value)) {
        op = tok.value as CompareOp;
        this.s.next();
      } else if (this.s.isName('in')) {
        op = 'in';
        this.s.next();
      } else if (this.s.isName('not') && this.s.isName('in', 1)) {
        op = 'not in';
        this.s.next();
        this.s.next();
      } else break;
      rest.push({ op, expr: this.parseMath1() });
    }
    return rest.length ? { t: 'compare', first, rest, at: first.at } : first;
  }

  private binary(ops: readonly string[], sub: () => Expr): Expr {
    let left = sub();
    for (;;) {
      const tok = this.s.peek();
      if (tok.type !== 'op' || !ops.includes(tok.value)) return left;
      this.s.next();
      left = { t: 'binary', op: tok.value as BinaryOp, left, right: sub(), at: tok.at };
    }
  }

  private parseMath1(): Expr {
    return this.binary(['+', '-'], () => this.parseConcat());
  }

  private parseConcat(): Expr {
    return this.binary(['~'], () => this.parseMath2());
  }

  private parseMath2(): Expr {
    return this.binary(['*', '/', '//', '%'], () => this.parsePow());
  }

  private parsePow(): Expr {
    return this.binary(['**'], () => this.parseUnary());
  }

  private parseUnary(withFilter = true): Expr {
    const tok = this.s.peek();
    let node: Expr;
    if (this.s.isOp('-') || this.s.isOp('+')) {
      this.s.next();
      node = { t: tok.value === '-' ? 'neg' : 'pos', arg: this.nested(() => this.parseUnary(false)), at: tok.at };
    } else {
      node = this.parsePostfix(this.parsePrimary());
    }
    return withFilter ? this.parseFilterExpr(node) : node;
  }

  private parsePrimary(): Expr {
    const tok = this.s.peek();
    switch (tok.type) {
      case 'name': {
        this.s.next();
        if (Object.hasOwn(CONSTANTS, tok.value)) return { t: 'const', value: CONSTANTS[tok.value], at: tok.at };
        return { t: 'name', name: tok.value, at: tok.at };
      }
      case 'string': {
        let value = this.s.next().value;
        while (this.s.peek().type === 'string') value += this.s.next().value;
        return { t: 'const', value, at: tok.at };
      }
      case 'int':
        this.s.next();
        return { t: 'const', value: Number(tok.value), at: tok.at };
      case 'float':
        this.s.next();
        return { t: 'const', value: pyFloat(Number(tok.value)), at: tok.at };
      case 'op':
        if (tok.value === '(') return this.parseParen();
        if (tok.value === '[') return this.parseList();
        if (tok.value === '{') return this.parseDict();
        break;
      default:
        break;
    }
    return this.s.fail(tok, 'an expression');
  }

  private parseParen(): Expr {
    const at = this.s.expectOp('(').at;
    if (this.s.skipOp(')')) return { t: 'tuple', items: [], at };
    const first = this.parseExpr();
    if (!this.s.isOp(',')) {
      this.s.expectOp(')');
      return first;
    }
    const items = [first];
    while (this.s.skipOp(',')) {
      if (this.s.isOp(')')) break;
      items.push(this.parseExpr());
    }
    this.s.expectOp(')');
    return { t: 'tuple', items, at };
  }

  private parseList(): Expr {
    const at = this.s.expectOp('[').at;
    const items: Expr[] = [];
    while (!this.s.isOp(']')) {
      items.push(this.parseExpr());
      if (!this.s.skipOp(',')) break;
    }
    this.s.expectOp(']');
    return { t: 'list', items, at };
  }

  private parseDict(): Expr {
    const at = this.s.expectOp('{').at;
    const entries: [Expr, Expr][] = [];
    while (!this.s.isOp('}')) {
      const key = this.parseExpr();
      this.s.expectOp(':');
      entries.push([key, this.parseExpr()]);
      if (!this.s.skipOp(',')) break;
    }
    this.s.expectOp('}');
    return { t: 'dict', entries, at };
  }

  private parsePostfix(node: Expr): Expr {
    for (;;) {
      const tok = this.s.peek();
      if (this.s.isOp('.')) {
        this.s.next();
        const key = this.s.peek();
        if (key.type === 'name') node = { t: 'attr', obj: node, name: this.s.next().value, at: key.at };
        else if (key.type === 'int')
          node = { t: 'item', obj: node, key: { t: 'const', value: Number(this.s.next().value), at: key.at }, at: key.at };
        else this.s.fail(key, 'an attribute name');
      } else if (this.s.isOp('[')) {
        this.s.next();
        node = this.parseSubscript(node, tok.at);
      } else if (this.s.isOp('(')) {
        node = { t: 'call', callee: node, ...this.parseArgs(), at: tok.at };
      } else return node;
    }
  }

  private parseSubscript(obj: Expr, at: number): Expr {
    let start: Expr | null = null;
    if (!this.s.isOp(':')) {
      start = this.parseExpr();
      if (this.s.skipOp(']')) return { t: 'item', obj, key: start, at };
    }
    this.s.expectOp(':');
    const stop = this.s.isOp(']') || this.s.isOp(':') ? null : this.parseExpr();
    let step: Expr | null = null;
    if (this.s.skipOp(':') && !this.s.isOp(']')) step = this.parseExpr();
    this.s.expectOp(']');
    return { t: 'slice', obj, start, stop, step, at };
  }

  /** A filter block's chain (Jinja's parse_filter with start_inline): `f(1) | g`, applied to `node`. */
  parseFilterChain(node: Expr): Expr {
    do {
      const { name, at } = this.parseDottedName();
      const args = this.s.isOp('(') ? this.parseArgs() : { args: [], kwargs: [] };
      node = { t: 'filter', arg: node, name, ...args, at };
    } while (this.s.skipOp('|'));
    return node;
  }

  private parseFilterExpr(node: Expr): Expr {
    for (;;) {
      if (this.s.isOp('|')) {
        this.s.next();
        const { name, at } = this.parseDottedName();
        const args = this.s.isOp('(') ? this.parseArgs() : { args: [], kwargs: [] };
        node = { t: 'filter', arg: node, name, ...args, at };
      } else if (this.s.isName('is')) {
        this.s.next();
        const negated = this.s.skipName('not');
        const { name, at } = this.parseDottedName();
        let args: Args = { args: [], kwargs: [] };
        const tok = this.s.peek();
        if (this.s.isOp('(')) args = this.parseArgs();
        else if (
          ['string', 'int', 'float'].includes(tok.type) ||
          (tok.type === 'name' && !NO_TEST_ARG.has(tok.value)) ||
          this.s.isOp('[') ||
          this.s.isOp('{')
        ) {
          args = { args: [this.parsePostfix(this.parsePrimary())], kwargs: [] };
        }
        node = { t: 'test', arg: node, name, negated, ...args, at };
      } else if (this.s.isOp('(')) {
        node = { t: 'call', callee: node, ...this.parseArgs(), at: this.s.peek().at };
      } else return node;
    }
  }

  private parseDottedName(): { name: string; at: number } {
    const first = this.s.expectName();
    let name = first.value;
    while (this.s.isOp('.') && this.s.isName(undefined, 1)) {
      this.s.next();
      name += '.' + this.s.next().value;
    }
    return { name, at: first.at };
  }

  parseArgs(): Args {
    this.s.expectOp('(');
    const args: Expr[] = [];
    const kwargs: [string, Expr][] = [];
    while (!this.s.isOp(')')) {
      if (this.s.isName() && this.s.isOp('=', 1)) {
        const key = this.s.next().value;
        this.s.next();
        kwargs.push([key, this.parseExpr()]);
      } else {
        if (kwargs.length) this.s.fail(this.s.peek(), 'a keyword argument');
        args.push(this.parseExpr());
      }
      if (!this.s.skipOp(',')) break;
    }
    this.s.expectOp(')');
    return { args, kwargs };
  }
}
