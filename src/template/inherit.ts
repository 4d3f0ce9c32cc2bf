// Jinja's statements for template files: {% extends %} with {% block %} (and super()),
// {% include %} and {% macro %}. Files are read through the loader the caller gives (the
// template module and lookup('template') search the role's and playbook's templates/ and the
// template's own directory, as Ansible's template action does); a plain string has none.
import type { Node } from './ast.js';
import { templateFunction } from './callable.js';
import type { Ctx } from './context.js';
import { TemplateError, Undef } from './errors.js';
import { evalValue } from './evaluate.js';
import { parseTemplate } from './parser.js';
import { renderNodes } from './render.js';
import { pyStr } from './values.js';

/** The text of a template file by the name a template gives (`'base.j2'`), or undefined when none. */
export type TemplateLoader = (name: string) => string | undefined;

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
  renderNodes(ctx, nodes.slice(at + 1).filter((n) => n.t === 'set' || n.t === 'setblock' || n.t === 'macro'), []);
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
  if (!node.ignoreMissing) throw new TemplateError('type', `template not found: ${names.map((n) => `'${n}'`).join(', ')} (in {% include %})`);
}

/** `{% macro name(a, b=1) %}`: a function returning its body rendered with the arguments. */
export function macroValue(ctx: Ctx, node: Extract<Node, { t: 'macro' }>): unknown {
  return templateFunction((args, kwargs) => {
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
  });
}

function withFrame(ctx: Ctx, f: Map<string, unknown>, run: () => void): void {
  if (ctx.frames.length >= MAX_FRAMES) throw new TemplateError('recursion', `templates nested more than ${MAX_FRAMES} deep (a template including itself?)`);
  ctx.frames.push(f);
  try {
    run();
  } finally {
    ctx.frames.pop();
  }
}

function load(ctx: Ctx, name: string): readonly Node[] | undefined {
  const loader = ctx.shared.loader;
  if (!loader) throw new TemplateError('type', `{% include %} and {% extends %} ('${name}') work in template files (the template module, lookup('template')), not in a task's values`);
  const text = loader(name);
  return text === undefined ? undefined : parseTemplate(text).nodes;
}
