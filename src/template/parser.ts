// Template statements: {% if %} / {% for %} / {% set %} around {{ expressions }} and data.
// Parsed templates and expressions are cached by their text and kind.
import { FILTER_BODY, type Expr, type Node, type SetTarget, type Template } from './ast.js';
import { syntaxError } from './errors.js';
import { lexExpression, lexTemplate } from './lexer.js';
import { ExprParser } from './parse-expr.js';
import { Stream } from './stream.js';

const CACHE_LIMIT = 2000;
const templateCache = new Map<string, Template>();
const exprCache = new Map<string, Expr>();

function remember<T>(cache: Map<string, T>, key: string, value: T): T {
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(key, value);
  return value;
}

/**
 * What a template's text is. A playbook `value` (a task's argument, a variable, a name…): as in
 * Ansible's templar, string literals inside its `{{ }}` are read verbatim (escape_backslashes).
 * A template `file` (the template module, lookup('template'), what they include): Python's escapes.
 */
export type TextKind = 'value' | 'file';

/**
 * A bare expression: a `condition` (`when:`, `failed_when`, assert's `that`: Ansible wraps it in
 * `{% if %}`, so Python's escapes) or a `value` (debug's `var`, which Ansible reads as `{{ var }}`).
 */
export type ExpressionKind = 'condition' | 'value';

interface Body {
  readonly nodes: Node[];
  readonly end: string | null;
}

class TemplateParser {
  private readonly s: Stream;
  private readonly ep: ExprParser;

  constructor(text: string, kind: TextKind) {
    this.s = new Stream(lexTemplate(text, kind === 'value'));
    this.ep = new ExprParser(this.s);
  }

  parse(): Node[] {
    return this.body([], null).nodes;
  }

  /** Nodes up to one of the `ends` tags (consumed up to the tag name) or the end of text. */
  private body(ends: readonly string[], opener: { tag: string; at: number } | null): Body {
    const nodes: Node[] = [];
    for (;;) {
      const tok = this.s.peek();
      if (tok.type === 'eof') {
        if (opener) {
          const want = ends[ends.length - 1] ?? 'end';
          throw syntaxError(`unexpected end of template, expected '${want}' (to close '${opener.tag}')`, opener.at);
        }
        return { nodes, end: null };
      }
      if (tok.type === 'data') {
        nodes.push({ t: 'text', text: this.s.next().value });
      } else if (tok.type === 'var_begin') {
        this.s.next();
        if (this.s.peek().type === 'var_end') this.s.fail(this.s.peek(), 'an expression');
        const expr = this.ep.parseTupleExpr();
        this.s.expectType('var_end', "'}}'");
        nodes.push({ t: 'output', expr });
      } else if (tok.type === 'block_begin') {
        this.s.next();
        const name = this.s.expectName();
        if (ends.includes(name.value)) return { nodes, end: name.value };
        nodes.push(this.statement(name.value, name.at));
      } else {
        this.s.fail(tok);
      }
    }
  }

  private endTag(): void {
    this.s.expectType('block_end', "'%}'");
  }

  private statement(tag: string, at: number): Node {
    switch (tag) {
      case 'if':
        return this.ifStatement(at);
      case 'for':
        return this.forStatement(at);
      case 'set':
        return this.setStatement(at);
      case 'block':
        return this.blockStatement(at);
      case 'extends': {
        const name = this.ep.parseExpr();
        this.endTag();
        return { t: 'extends', name, at };
      }
      case 'include':
        return this.includeStatement(at);
      case 'macro':
        return this.macroStatement(at);
      case 'filter': {
        const filter = this.ep.parseFilterChain({ t: 'name', name: FILTER_BODY, at: this.s.peek().at });
        this.endTag();
        const body = this.body(['endfilter'], { tag: 'filter', at }).nodes;
        this.endTag();
        return { t: 'filterblock', filter, body };
      }
      case 'endfilter':
      case 'endif':
      case 'endfor':
      case 'endset':
      case 'endblock':
      case 'endmacro':
      case 'else':
      case 'elif':
      case 'endraw':
        throw syntaxError(`unexpected '${tag}'`, at);
      default:
        throw syntaxError(`unknown tag '${tag}'`, at);
    }
  }

  private ifStatement(at: number): Node {
    const branches: { test: Expr; body: readonly Node[] }[] = [];
    let test = this.ep.parseTupleExpr();
    let elseBody: readonly Node[] = [];
    for (;;) {
      this.endTag();
      const b = this.body(['elif', 'else', 'endif'], { tag: 'if', at });
      branches.push({ test, body: b.nodes });
      if (b.end === 'elif') {
        test = this.ep.parseTupleExpr();
        continue;
      }
      if (b.end === 'else') {
        this.endTag();
        elseBody = this.body(['endif'], { tag: 'if', at }).nodes;
      }
      this.endTag();
      return { t: 'if', branches, else: elseBody };
    }
  }

  private forStatement(at: number): Node {
    const targets: string[] = [];
    const paren = this.s.skipOp('(');
    do targets.push(this.s.expectName().value);
    while (this.s.skipOp(','));
    if (paren) this.s.expectOp(')');
    this.s.expectName('in');
    const iter = this.ep.parseTupleExpr(false);
    const filter = this.s.skipName('if') ? this.ep.parseExpr() : null;
    if (this.s.isName('recursive')) throw syntaxError('recursive loops are not supported', this.s.peek().at);
    this.endTag();
    const b = this.body(['else', 'endfor'], { tag: 'for', at });
    let elseBody: readonly Node[] = [];
    if (b.end === 'else') {
      this.endTag();
      elseBody = this.body(['endfor'], { tag: 'for', at }).nodes;
    }
    this.endTag();
    return { t: 'for', targets, iter, filter, body: b.nodes, else: elseBody, at };
  }

  private blockStatement(at: number): Node {
    const name = this.s.expectName().value;
    this.s.skipName('scoped');
    this.s.skipName('required');
    this.endTag();
    const body = this.body(['endblock'], { tag: 'block', at }).nodes;
    if (this.s.peek().type === 'name') {
      const end = this.s.next();
      if (end.value !== name) throw syntaxError(`'endblock' names '${end.value}', expected '${name}'`, end.at);
    }
    this.endTag();
    return { t: 'block', name, body, at };
  }

  private includeStatement(at: number): Node {
    const name = this.ep.parseExpr();
    let ignoreMissing = false;
    let withContext = true;
    if (this.s.skipName('ignore')) {
      this.s.expectName('missing');
      ignoreMissing = true;
    }
    if (this.s.isName('with') || this.s.isName('without')) {
      withContext = this.s.next().value === 'with';
      this.s.expectName('context');
    }
    this.endTag();
    return { t: 'include', name, ignoreMissing, withContext, at };
  }

  private macroStatement(at: number): Node {
    const name = this.s.expectName().value;
    const params: { name: string; default: Expr | null }[] = [];
    this.s.expectOp('(');
    while (!this.s.skipOp(')')) {
      if (params.length > 0) this.s.expectOp(',');
      if (this.s.skipOp(')')) break;
      const p = this.s.expectName().value;
      params.push({ name: p, default: this.s.skipOp('=') ? this.ep.parseExpr() : null });
    }
    this.endTag();
    const body = this.body(['endmacro'], { tag: 'macro', at }).nodes;
    if (this.s.peek().type === 'name') this.s.next();
    this.endTag();
    return { t: 'macro', name, params, body };
  }

  private setStatement(at: number): Node {
    const first = this.s.expectName();
    let target: SetTarget;
    if (this.s.isOp('.')) {
      this.s.next();
      target = { t: 'ns', ns: first.value, attr: this.s.expectName().value, at: first.at };
    } else {
      const names = [first.value];
      while (this.s.skipOp(',')) names.push(this.s.expectName().value);
      target = { t: 'names', names };
    }
    if (this.s.skipOp('=')) {
      const value = this.ep.parseTupleExpr();
      this.endTag();
      return { t: 'set', target, value };
    }
    if (target.t !== 'names' || target.names.length !== 1) this.s.fail(this.s.peek(), "'='");
    this.endTag();
    const body = this.body(['endset'], { tag: 'set', at }).nodes;
    this.endTag();
    return { t: 'setblock', name: first.value, body };
  }
}

function singleExpr(nodes: readonly Node[]): Expr | null {
  let found: Expr | null = null;
  for (const n of nodes) {
    if (n.t === 'output' && found === null) found = n.expr;
    else if (n.t !== 'text' || n.text.trim() !== '') return null;
  }
  return found;
}

export function parseTemplate(text: string, kind: TextKind): Template {
  const key = kind + '\0' + text;
  const hit = templateCache.get(key);
  if (hit) return hit;
  const nodes = new TemplateParser(text, kind).parse();
  return remember(templateCache, key, { nodes, single: singleExpr(nodes) });
}

export function parseExpression(text: string, kind: ExpressionKind): Expr {
  const key = kind + '\0' + text;
  const hit = exprCache.get(key);
  if (hit) return hit;
  const s = new Stream(lexExpression(text, kind === 'value'), 'end of expression');
  if (s.peek().type === 'eof') s.fail(s.peek(), 'an expression');
  const expr = new ExprParser(s).parseTupleExpr();
  if (s.peek().type !== 'eof') s.fail(s.peek(), 'end of expression');
  return remember(exprCache, key, expr);
}
