// Runs template statements: text, {{ output }}, if, for (with `loop`), set and namespaces.
import type { Node } from './ast.js';
import { isNamespace } from './callable.js';
import { isDateTime } from './datetime.js';
import { isTemplate, lookupName, type Ctx } from './context.js';
import { defined, TemplateError, typeError } from './errors.js';
import { evalExpr, evalValue } from './evaluate.js';
import { macroValue, renderBlock, renderDocument, renderInclude } from './inherit.js';
import { parseTemplate } from './parser.js';
import { iterate, pyStr, pyType, truthy } from './values.js';

/** A template string: native value for a lone `{{ expr }}` (when `native`), else the rendered text. */
export function renderText(text: string, ctx: Ctx, native = true): unknown {
  if (!isTemplate(text)) return text;
  const tpl = parseTemplate(text);
  if (tpl.single && native) {
    const v = evalValue(ctx, tpl.single);
    // a lone expression keeps its native type; whitespace around a string is kept ("{{ x }}\n")
    // a datetime leaves the engine as Ansible's templating gives it: str(), '2024-03-05 14:07:09.123000'
    if (isDateTime(v)) return pyStr(v);
    if (typeof v !== 'string' || tpl.nodes.length === 1) return v;
  }
  const out: string[] = [];
  renderDocument(ctx, tpl.nodes, out);
  return out.join('');
}

function frame(ctx: Ctx): Map<string, unknown> {
  const f = ctx.frames[ctx.frames.length - 1];
  if (!f) throw new TemplateError('type', 'no frame');
  return f;
}

function unpack(names: readonly string[], value: unknown, into: Map<string, unknown>): void {
  if (names.length === 1) {
    into.set(names[0] as string, value);
    return;
  }
  const items = Array.isArray(value) ? value : typeof value === 'string' ? Array.from(value) : null;
  if (!items) throw typeError(`cannot unpack non-iterable ${pyType(value)} object`);
  if (items.length !== names.length) {
    throw typeError(`cannot unpack ${items.length} values into ${names.length} names`);
  }
  names.forEach((n, i) => into.set(n, items[i]));
}

function loopInfo(items: readonly unknown[], i: number): Record<string, unknown> {
  const n = items.length;
  return {
    index: i + 1,
    index0: i,
    revindex: n - i,
    revindex0: n - i - 1,
    first: i === 0,
    last: i === n - 1,
    length: n,
    previtem: i > 0 ? items[i - 1] : null,
    nextitem: i < n - 1 ? items[i + 1] : null,
  };
}

function renderFor(ctx: Ctx, node: Extract<Node, { t: 'for' }>, out: string[]): void {
  let items = iterate(evalValue(ctx, node.iter));
  if (node.filter) {
    const filter = node.filter;
    items = items.filter((item) => {
      const f = new Map<string, unknown>();
      unpack(node.targets, item, f);
      ctx.frames.push(f);
      try {
        return truthy(evalExpr(ctx, filter));
      } finally {
        ctx.frames.pop();
      }
    });
  }
  if (items.length === 0) {
    renderNodes(ctx, node.else, out);
    return;
  }
  for (let i = 0; i < items.length; i++) {
    const f = new Map<string, unknown>([['loop', loopInfo(items, i)]]);
    unpack(node.targets, items[i], f);
    ctx.frames.push(f);
    try {
      renderNodes(ctx, node.body, out);
    } finally {
      ctx.frames.pop();
    }
  }
}

export function renderNodes(ctx: Ctx, nodes: readonly Node[], out: string[]): void {
  for (const node of nodes) {
    switch (node.t) {
      case 'text':
        out.push(node.text);
        break;
      case 'output':
        out.push(pyStr(evalValue(ctx, node.expr)));
        break;
      case 'if': {
        const hit = node.branches.find((b) => truthy(evalExpr(ctx, b.test)));
        renderNodes(ctx, hit ? hit.body : node.else, out);
        break;
      }
      case 'for':
        renderFor(ctx, node, out);
        break;
      case 'set': {
        const value = evalValue(ctx, node.value);
        if (node.target.t === 'names') {
          unpack(node.target.names, value, frame(ctx));
        } else {
          const ns = defined(lookupName(ctx, node.target.ns));
          if (!isNamespace(ns)) {
            throw typeError(`cannot assign attribute on non-namespace object '${node.target.ns}'`);
          }
          Object.defineProperty(ns, node.target.attr, { value, enumerable: true, writable: true, configurable: true });
        }
        break;
      }
      case 'setblock': {
        const inner: string[] = [];
        renderNodes(ctx, node.body, inner);
        frame(ctx).set(node.name, inner.join(''));
        break;
      }
      case 'block':
        renderBlock(ctx, node, out);
        break;
      case 'include':
        renderInclude(ctx, node, out);
        break;
      case 'macro':
        frame(ctx).set(node.name, macroValue(ctx, node));
        break;
      case 'extends':
        // only at a template's top level (renderDocument); Jinja refuses it elsewhere too
        throw typeError('{% extends %} must be at the top level of a template');
    }
  }
}

