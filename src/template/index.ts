// Public API of the template engine: a safe Jinja2 subset with Ansible's semantics
// (native types for a lone `{{ expr }}`, strict undefined, lazy variables). Playbook text is
// parsed and interpreted here; it is never evaluated as JavaScript.
import type { Expr, Node } from './ast.js';
import { templateFunction as markFunction, templateFunctionOf, type TemplateFn } from './callable.js';
import { asWritten as markAsWritten, isTemplate as hasMarkers, newCtx, newShared, type Ctx } from './context.js';
import { TemplateError, Undef } from './errors.js';
import { keepsType, loneValue, singleVariable } from './native.js';
import { evalValue } from './evaluate.js';
import { FILTERS } from './filters.js';
import { findIn } from './env.js';
import { parseExpression, parseTemplate, type TextKind } from './parser.js';
import { renderText } from './render.js';
import type { TemplateLoader } from './context.js';
import { TESTS } from './tests.js';
import { FALSE_STRINGS, isDict, Lazy, pyStr, truthy } from './values.js';

export type Scope = Readonly<Record<string, unknown>>;
export { TemplateError };
export type { TemplateLoader } from './context.js';
export type { TemplateErrorKind } from './errors.js';
export { loopCounters } from './render.js';
export { pyStr } from './values.js';

export function isTemplate(text: string): boolean {
  return hasMarkers(text);
}

/** The context of a top-level call: lazy variables are rendered by renderText. */
function topCtx(scope: Scope, loader?: TemplateLoader): Ctx {
  return newCtx(scope, newShared(renderText, loader));
}

/** Renders strings inside arrays and plain objects (keys too); other values are returned as is. */
export function renderDeep(value: unknown, scope: Scope): unknown {
  const ctx = topCtx(scope);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return isTemplate(v) ? renderText(v, newCtx(scope, ctx.shared)) : v;
    if (Array.isArray(v)) return v.map(walk);
    if (isDict(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const key = isTemplate(k) ? pyStr(renderText(k, newCtx(scope, ctx.shared), false)) : k;
        Object.defineProperty(out, key, { value: walk(x), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    return v;
  };
  return walk(value);
}

export function render(text: string, scope: Scope): unknown {
  return renderDeep(text, scope);
}

/** A playbook value's text rendered to a string (string literals in its `{{ }}` read verbatim, as Ansible's templar). */
export function renderString(text: string, scope: Scope): string {
  if (!isTemplate(text)) return text;
  return pyStr(renderText(text, topCtx(scope), false));
}

/**
 * A template file's text (the template module, lookup('template')): Python's escapes in its
 * string literals, as Ansible renders them; `loader` reads the files its `{% include %}` /
 * `{% extends %}` name.
 */
export function renderFile(text: string, scope: Scope, loader: TemplateLoader): string {
  if (!isTemplate(text)) return text;
  return pyStr(renderText(text, topCtx(scope, loader), false, 'file'));
}

/**
 * A bare expression to its native value, its string literals with Python's escapes as Jinja
 * reads them: how a condition reads (Ansible renders `when:` inside `{% if %}`).
 */
export function evaluate(expr: string, scope: Scope): unknown {
  const trimmed = expr.trim();
  if (trimmed.startsWith('{{') && isTemplate(trimmed)) return render(trimmed, scope);
  return evalValue(topCtx(scope), parseExpression(expr, 'condition'));
}

/**
 * A bare expression read as `{{ expr }}` in a playbook value (debug's `var`: Ansible's
 * convert_bare, escape_backslashes on): a lone variable's number, boolean or None as it is,
 * anything else its text read back (template/native.ts), so `var: 10 / 5` shows "2.0".
 */
export function evaluateBare(expr: string, scope: Scope): unknown {
  const trimmed = expr.trim();
  if (trimmed.startsWith('{{') && isTemplate(trimmed)) return render(trimmed, scope);
  const v = evalValue(topCtx(scope), parseExpression(expr, 'value'));
  if (v === undefined || v instanceof Undef || (singleVariable(`{{ ${trimmed} }}`) !== undefined && keepsType(v))) return v;
  return loneValue(v);
}

/** Ansible `when:` semantics. */
export function evaluateBool(expr: string | boolean, scope: Scope): boolean {
  if (typeof expr === 'boolean') return expr;
  if (!isTemplate(expr)) return truthy(evaluate(expr, scope));
  const tpl = parseTemplate(expr, 'value');
  const ctx = topCtx(scope);
  if (tpl.single) {
    const v = evalValue(ctx, tpl.single);
    if (typeof v === 'string') return !FALSE_STRINGS.has(v.trim().toLowerCase());
    return truthy(v);
  }
  const text = pyStr(renderText(expr, ctx, false)).trim();
  if (FALSE_STRINGS.has(text.toLowerCase())) return false;
  if (['true', 'yes', 'on', '1', 'y', 't'].includes(text.toLowerCase())) return true;
  return truthy(evaluate(text, scope));
}

type SyntaxCheck = { ok: true } | { ok: false; message: string; offset: number };

function unknownNames(e: Expr): { message: string; offset: number } | null {
  const kids: Expr[] = [];
  switch (e.t) {
    case 'filter':
    case 'test':
      if (e.t === 'filter' && !findIn(FILTERS, e.name)) return { message: `no filter named '${e.name}'`, offset: e.at };
      if (e.t === 'test' && !findIn(TESTS, e.name)) return { message: `no test named '${e.name}'`, offset: e.at };
      kids.push(e.arg, ...e.args, ...e.kwargs.map((k) => k[1]));
      break;
    case 'call':
      kids.push(e.callee, ...e.args, ...e.kwargs.map((k) => k[1]));
      break;
    case 'attr':
    case 'neg':
    case 'pos':
    case 'not':
      kids.push(e.t === 'attr' ? e.obj : e.arg);
      break;
    case 'item':
      kids.push(e.obj, e.key);
      break;
    case 'slice':
      for (const k of [e.obj, e.start, e.stop, e.step]) if (k) kids.push(k);
      break;
    case 'list':
    case 'tuple':
      kids.push(...e.items);
      break;
    case 'dict':
      for (const [k, v] of e.entries) kids.push(k, v);
      break;
    case 'binary':
    case 'and':
    case 'or':
      kids.push(e.left, e.right);
      break;
    case 'compare':
      kids.push(e.first, ...e.rest.map((r) => r.expr));
      break;
    case 'cond':
      kids.push(e.test, e.then);
      if (e.else) kids.push(e.else);
      break;
    case 'const':
    case 'name':
      break;
  }
  for (const k of kids) {
    const bad = unknownNames(k);
    if (bad) return bad;
  }
  return null;
}

function nodeExprs(nodes: readonly Node[]): Expr[] {
  const out: Expr[] = [];
  for (const n of nodes) {
    if (n.t === 'output') out.push(n.expr);
    else if (n.t === 'set') out.push(n.value);
    else if (n.t === 'setblock' || n.t === 'block') out.push(...nodeExprs(n.body));
    else if (n.t === 'filterblock') out.push(n.filter, ...nodeExprs(n.body));
    else if (n.t === 'macro') out.push(...n.params.flatMap((p) => (p.default ? [p.default] : [])), ...nodeExprs(n.body));
    else if (n.t === 'include' || n.t === 'extends') out.push(n.name);
    else if (n.t === 'if') {
      for (const b of n.branches) out.push(b.test, ...nodeExprs(b.body));
      out.push(...nodeExprs(n.else));
    } else if (n.t === 'for') {
      out.push(n.iter, ...(n.filter ? [n.filter] : []), ...nodeExprs(n.body), ...nodeExprs(n.else));
    }
  }
  return out;
}

function check(parse: () => Expr[]): SyntaxCheck {
  try {
    for (const e of parse()) {
      const bad = unknownNames(e);
      if (bad) return { ok: false, ...bad };
    }
    return { ok: true };
  } catch (err) {
    if (err instanceof TemplateError && err.kind === 'syntax') return { ok: false, message: err.message, offset: err.offset ?? 0 };
    throw err;
  }
}

/** A playbook value's template syntax, or (`kind` 'file') a template file's. */
export function checkSyntax(text: string, kind: TextKind = 'value'): SyntaxCheck {
  return check(() => nodeExprs(parseTemplate(text, kind).nodes));
}

/** A bare expression (`when:`); text with template markers is checked as a template, as evaluateBool renders it. */
export function checkExpressionSyntax(expr: string): SyntaxCheck {
  if (isTemplate(expr)) return checkSyntax(expr);
  return check(() => [parseExpression(expr, 'condition')]);
}

export function templateFunction(fn: (args: unknown[], kwargs: Record<string, unknown>) => unknown): unknown {
  return markFunction(fn satisfies TemplateFn);
}

/** The function behind a value templateFunction() made (a lookup), to call it from code. */
export function calledFunction(v: unknown): ((args: unknown[], kwargs: Record<string, unknown>) => unknown) | undefined {
  return templateFunctionOf(v);
}

/** A variable value computed on first read by a template (the executor's hostvars view, its magic host lists). */
export function lazyValue(fn: () => unknown): unknown {
  return new Lazy(fn);
}

/** A dict (or list) whose values templates read as written, never rendered (Ansible's `vars`; see context.ts). */
export function asWritten<T extends object>(obj: T): T {
  return markAsWritten(obj);
}

/** A scope's value as a template reads it: a lazyValue() computed (code that reads a scope by name, e.g. lookup('vars')). */
export function readValue(v: unknown): unknown {
  return v instanceof Lazy ? v.get() : v;
}
