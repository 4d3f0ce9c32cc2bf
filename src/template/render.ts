// Runs template statements: text, {{ output }}, if, for (with `loop`), set and namespaces; and
// for template files {% extends %} with {% block %} (and super()), {% include %} and {% macro %},
// read through the loader the caller gives (the template module and lookup('template') search
// beside the template, then the role's and playbook's templates/, as Ansible's template action).
import { FILTER_BODY, type Node } from './ast.js';
import { isNamespace, templateFunction } from './callable.js';
import { isTemplate, lookupName, type Ctx } from './context.js';
import { defined, TemplateError, typeError, Undef } from './errors.js';
import { evalExpr, evalValue } from './evaluate.js';
import { fromText, keepsType, loneValue, singleVariable, trailingNewlines } from './native.js';
import { parseTemplate, type TextKind } from './parser.js';
import { iterate, pyStr, pyType, truthy } from './values.js';

/**
 * A template string. `native`: a playbook value, as Ansible 2.14 hands it on (template/native.ts:
 * the text, read back as a list, dict or boolean when it is one; `{{ name }}` of a number, boolean
 * or None as it is). Not `native`: the rendered text (template files, names). A playbook value's
 * text unless `kind` says it is a template file's (parser.ts TextKind: escape_backslashes);
 * lazy variables are values.
 */
export function renderText(text: string, ctx: Ctx, native = true, kind: TextKind = 'value'): unknown {
  if (!isTemplate(text)) return text;
  const out: string[] = [];
  if (!native) {
    renderDocument(ctx, parseTemplate(text, kind).nodes, out);
    return out.join('');
  }
  const tpl = parseTemplate(text.endsWith('\n') ? text.slice(0, -1) : text, kind);
  const only = tpl.nodes.length === 1 && tpl.nodes[0]!.t === 'output' ? tpl.nodes[0]!.expr : null;
  let v: unknown;
  if (only) {
    v = evalValue(ctx, only);
    if (keepsType(v) && singleVariable(text) !== undefined) return v;
    v = loneValue(v);
  } else {
    renderDocument(ctx, tpl.nodes, out);
    v = fromText(out.join(''));
  }
  return typeof v === 'string' ? trailingNewlines(text, v) : v;
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

/**
 * The position of item i of n as Jinja's `loop` and Ansible's `ansible_loop` (loop_control
 * extended) both count it; each adds its own neighbours (executor/loops.ts for Ansible's).
 */
export function loopCounters(n: number, i: number): Record<string, number | boolean> {
  return { index: i + 1, index0: i, revindex: n - i, revindex0: n - i - 1, first: i === 0, last: i === n - 1, length: n };
}

function loopInfo(items: readonly unknown[], i: number): Record<string, unknown> {
  const n = items.length;
  return { ...loopCounters(n, i), previtem: i > 0 ? items[i - 1] : null, nextitem: i < n - 1 ? items[i + 1] : null };
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
      case 'output': {
        // Ansible's finalize: a None printed by {{ }} is '' (a lone `{{ x }}` keeps its null natively)
        const v = evalValue(ctx, node.expr);
        out.push(v === null ? '' : pyStr(v));
        break;
      }
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
      case 'filterblock': {
        const inner: string[] = [];
        renderNodes(ctx, node.body, inner);
        ctx.frames.push(new Map([[FILTER_BODY, inner.join('')]]));
        try {
          const v = evalValue(ctx, node.filter);
          out.push(v === null ? '' : pyStr(v));
        } finally {
          ctx.frames.pop();
        }
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

const MAX_FRAMES = 200; // includes and macros nested this deep: a template including itself

/** A whole template: an `{% extends %}` renders the parent with this template's blocks in it. */
export function renderDocument(ctx: Ctx, nodes: readonly Node[], out: string[]): void {
  const at = nodes.findIndex((n) => n.t === 'extends');
  if (at < 0) {
    renderNodes(ctx, nodes, out);
    return;
  }
  renderNodes(ctx, nodes.slice(0, at), out);
  // after extends Jinja prints nothing more of the child: only its definitions run
  renderNodes(
    ctx,
    nodes.slice(at + 1).filter((n) => n.t === 'set' || n.t === 'setblock' || n.t === 'macro'),
    [],
  );
  const ext = nodes[at] as Extract<Node, { t: 'extends' }>;
  const name = pyStr(evalValue(ctx, ext.name));
  const parent = load(ctx, name);
  if (parent === undefined) throw new TemplateError('type', `template not found: '${name}' (in {% extends %})`);
  const blocks = new Map(ctx.blocks ?? []);
  for (const [n, body] of blocksOf(nodes)) blocks.set(n, [...(blocks.get(n) ?? []), body]);
  renderDocument({ ...ctx, blocks }, parent, out);
}

function blocksOf(nodes: readonly Node[], into = new Map<string, readonly Node[]>()): Map<string, readonly Node[]> {
  for (const n of nodes) {
    if (n.t === 'block') {
      if (!into.has(n.name)) into.set(n.name, n.body);
      blocksOf(n.body, into);
    } else if (n.t === 'if') {
      for (const b of n.branches) blocksOf(b.body, into);
      blocksOf(n.else, into);
    } else if (n.t === 'for') {
      blocksOf(n.body, into);
      blocksOf(n.else, into);
    }
  }
  return into;
}

/** A block: the most derived template's body, `super()` the next one up. */
export function renderBlock(ctx: Ctx, node: Extract<Node, { t: 'block' }>, out: string[]): void {
  renderChain(ctx, [...(ctx.blocks?.get(node.name) ?? []), node.body], 0, out);
}

function renderChain(ctx: Ctx, chain: readonly (readonly Node[])[], i: number, out: string[]): void {
  const parent = templateFunction(() => {
    if (i + 1 >= chain.length) throw new TemplateError('type', 'there is no parent block called super()');
    const o: string[] = [];
    renderChain(ctx, chain, i + 1, o);
    return o.join('');
  });
  withFrame(ctx, new Map([['super', parent]]), () => renderNodes(ctx, chain[i]!, out));
}

export function renderInclude(ctx: Ctx, node: Extract<Node, { t: 'include' }>, out: string[]): void {
  const v = evalValue(ctx, node.name);
  const names = (Array.isArray(v) ? v : [v]).map(pyStr);
  for (const name of names) {
    const nodes = load(ctx, name);
    if (nodes === undefined) continue;
    const { blocks: _own, ...base } = ctx;
    const inner: Ctx = node.withContext ? base : { ...base, frames: [new Map()] };
    withFrame(inner, new Map(), () => renderDocument(inner, nodes, out));
    return;
  }
  if (!node.ignoreMissing)
    throw new TemplateError('type', `template not found: ${names.map((n) => `'${n}'`).join(', ')} (in {% include %})`);
}

/** `{% macro name(a, b=1) %}`: a function returning its body rendered with the arguments. */
export function macroValue(ctx: Ctx, node: Extract<Node, { t: 'macro' }>): unknown {
  return templateFunction(
    (args, kwargs) => {
      const f = new Map<string, unknown>();
      node.params.forEach((p, i) => {
        if (i < args.length) f.set(p.name, args[i]);
        else if (Object.prototype.hasOwnProperty.call(kwargs, p.name)) f.set(p.name, kwargs[p.name]);
        else if (p.default) f.set(p.name, evalValue(ctx, p.default));
        else f.set(p.name, new Undef(p.name, `'${p.name}' is undefined`));
      });
      const o: string[] = [];
      withFrame(ctx, f, () => renderNodes(ctx, node.body, o));
      return o.join('');
    },
    { undefinedArgs: true },
  );
}

function withFrame(ctx: Ctx, f: Map<string, unknown>, run: () => void): void {
  if (ctx.frames.length >= MAX_FRAMES)
    throw new TemplateError('recursion', `templates nested more than ${MAX_FRAMES} deep (a template including itself?)`);
  ctx.frames.push(f);
  try {
    run();
  } finally {
    ctx.frames.pop();
  }
}

function load(ctx: Ctx, name: string): readonly Node[] | undefined {
  const loader = ctx.shared.loader;
  if (!loader)
    throw new TemplateError(
      'type',
      `{% include %} and {% extends %} ('${name}') work in template files (the template module, lookup('template')), not in a task's values`,
    );
  const text = loader(name);
  return text === undefined ? undefined : parseTemplate(text, 'file').nodes;
}
