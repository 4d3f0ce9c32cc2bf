// Evaluation context: local frames over the caller's scope, plus Ansible's lazy variables
// (a variable whose value is itself a template is rendered on access, recursion detected).
// Rendering that template is the recursive step of the engine (render → evaluate → context →
// render); the top-level call passes it in (`Shared.render`, render.ts's renderText), so this
// file does not import the renderer and the three files are no import cycle.
import { PyFloat } from '../core/python-float.js';
import type { Node } from './ast.js';
import { isNamespace } from './callable.js';
import { dateTimeAttr, isDateTime } from './datetime.js';
import type { Scope } from './index.js';
import { TemplateError, Undef } from './errors.js';
import { builtinFunction } from './globals.js';
import { isDict, Lazy, objectTypeRepr, ownValue } from './values.js';

const MAX_DEPTH = 64;

/** The text of a template file by the name a template gives (`'base.j2'`), or undefined when none. */
export type TemplateLoader = (name: string) => string | undefined;

/** Renders a template string (a lazy variable's value) in a context: render.ts's renderText. */
export type LazyRenderer = (text: string, ctx: Ctx) => unknown;

/** State shared by one top-level call (render/evaluate) and the lazy renders it triggers. */
export interface Shared {
  /** renders the template a variable holds, on access */
  readonly render: LazyRenderer;
  readonly lazy: Map<string, unknown>;
  readonly active: string[];
  readonly materialized: WeakMap<object, unknown>;
  readonly inProgress: WeakSet<object>;
  /** reads the files `{% include %}` / `{% extends %}` name (template files only) */
  readonly loader?: TemplateLoader;
}

export interface Ctx {
  readonly scope: Scope;
  readonly frames: Map<string, unknown>[];
  readonly shared: Shared;
  /** under `{% extends %}`: the derived templates' bodies of each block, most derived first */
  readonly blocks?: ReadonlyMap<string, readonly (readonly Node[])[]>;
}

/** The state of a new top-level call: `render` renders lazy variables, `loader` reads template files. */
export function newShared(render: LazyRenderer, loader?: TemplateLoader): Shared {
  return { render, lazy: new Map(), active: [], materialized: new WeakMap(), inProgress: new WeakSet(), ...(loader ? { loader } : {}) };
}

export function newCtx(scope: Scope, shared: Shared): Ctx {
  return { scope, frames: [new Map()], shared };
}

export function isTemplate(text: string): boolean {
  return text.includes('{{') || text.includes('{%') || text.includes('{#');
}

/** A scope variable: own properties along the prototype chain, never Object.prototype's. */
function scopeValue(scope: Scope, name: string): { found: boolean; value: unknown } {
  let obj: object | null = scope;
  while (obj !== null && obj !== Object.prototype) {
    const r = ownValue(obj, name);
    if (r.found) return r;
    obj = Object.getPrototypeOf(obj) as object | null;
  }
  return { found: false, value: undefined };
}

export function lookupName(ctx: Ctx, name: string): unknown {
  for (let i = ctx.frames.length - 1; i >= 0; i--) {
    const f = ctx.frames[i];
    if (f?.has(name)) return f.get(name);
  }
  const r = scopeValue(ctx.scope, name);
  if (r.found) {
    if (typeof r.value !== 'string' || !isTemplate(r.value)) return r.value;
    if (ctx.shared.lazy.has(name)) return ctx.shared.lazy.get(name);
    const v = resolveLazy(ctx, name, r.value);
    ctx.shared.lazy.set(name, v);
    return v;
  }
  const b = builtinFunction(name);
  if (b !== undefined) return b;
  return new Undef(name, `'${name}' is undefined`);
}

/** Renders a template string found in the variables, guarding against self-reference. */
export function resolveLazy(ctx: Ctx, label: string, text: string): unknown {
  const { active } = ctx.shared;
  if (active.includes(label) || active.length >= MAX_DEPTH) {
    const name = active.includes(label) ? label : (active[0] ?? label);
    throw new TemplateError('recursion', `recursive loop detected in template string for variable '${name}'`, { variable: name });
  }
  active.push(label);
  try {
    return ctx.shared.render(text, newCtx(ctx.scope, ctx.shared));
  } catch (err) {
    // A variable built on an undefined one is itself undefined (`default`/`is defined` apply).
    if (err instanceof TemplateError && err.kind === 'undefined') return new Undef(err.variable ?? label, err.message);
    throw err;
  } finally {
    active.pop();
  }
}

/**
 * Containers a template reads as written: their values are never rendered, nor those of the
 * containers inside them (Ansible's `vars`, the raw variables; a `hostvars` entry, rendered
 * already against its own host). Inner containers are read through a marked shallow copy, so
 * the same dict reached by its variable's name is still rendered.
 */
const AS_WRITTEN = new WeakSet<object>();
const writtenViews = new WeakMap<object, object>();

export function asWritten<T extends object>(obj: T): T {
  AS_WRITTEN.add(obj);
  return obj;
}

function writtenView(v: unknown): unknown {
  if (typeof v !== 'object' || v === null || AS_WRITTEN.has(v) || !(Array.isArray(v) || isDict(v))) return v;
  let view = writtenViews.get(v);
  if (!view) writtenViews.set(v, (view = asWritten(Array.isArray(v) ? [...(v as unknown[])] : { ...v })));
  return view;
}

function join(label: string, key: string | number): string {
  if (typeof key === 'number') return `${label}[${key}]`;
  return label ? `${label}.${key}` : key;
}

/** `obj.key` / `obj[key]`: own data of dicts, list/str indexes; an Undef when missing. */
export function getItem(ctx: Ctx, obj: unknown, written: unknown, label: string): unknown {
  if (obj instanceof Undef) return obj;
  // a dict's key 2.0 is its key 2 (Python hashes them alike)
  const key = written instanceof PyFloat && isDict(obj) ? written.value : written;
  const path = typeof key === 'string' || typeof key === 'number' ? join(label, key) : label;
  let found = false;
  let value: unknown;
  if (isDict(obj) && (typeof key === 'string' || (typeof key === 'number' && Number.isInteger(key)))) {
    ({ found, value } = ownValue(obj, String(key)));
  } else if (isDateTime(obj) && typeof key === 'string') {
    ({ found, value } = dateTimeAttr(obj, key));
  } else if ((Array.isArray(obj) || typeof obj === 'string') && typeof key === 'number' && Number.isInteger(key)) {
    const i = key < 0 ? obj.length + key : key;
    if (i >= 0 && i < obj.length) {
      found = true;
      value = obj[i];
    }
  }
  if (!found) {
    const keyRepr = typeof key === 'string' ? `'${key}'` : String(key);
    const msg =
      typeof key === 'string' ? `'${objectTypeRepr(obj)}' has no attribute ${keyRepr}` : `${objectTypeRepr(obj)} has no element ${keyRepr}`;
    return new Undef(path, msg);
  }
  if (typeof obj === 'object' && obj !== null && AS_WRITTEN.has(obj)) return value === undefined ? null : writtenView(value);
  if (typeof value === 'string' && isTemplate(value)) return resolveLazy(ctx, path, value);
  return value === undefined ? null : value;
}

/** Deep-renders template strings inside lists/dicts (identity kept when nothing changes). */
export function materialize(ctx: Ctx, v: unknown, label = ''): unknown {
  if (v instanceof Lazy) v = v.get();
  if (v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v !== 'object' || v === null) return v;
  if (!Array.isArray(v) && !isDict(v)) return v;
  if (AS_WRITTEN.has(v)) return v;
  const { materialized, inProgress } = ctx.shared;
  const hit = materialized.get(v);
  if (hit !== undefined) return hit;
  if (inProgress.has(v)) {
    const name = ctx.shared.active[0] ?? (label || '?');
    throw new TemplateError('recursion', `recursive loop detected in template string for variable '${name}'`, { variable: name });
  }
  inProgress.add(v);
  try {
    let changed = false;
    const step = (x: unknown, k: string | number): unknown => {
      const path = join(label, k);
      const y = typeof x === 'string' && isTemplate(x) ? resolveLazy(ctx, path, x) : x;
      if (y instanceof Undef) throw y.error();
      const z = materialize(ctx, y, path);
      if (z !== x) changed = true;
      return z;
    };
    let out: unknown;
    if (Array.isArray(v)) {
      const arr = v.map((x: unknown, i) => step(x, i));
      out = changed ? arr : v;
    } else {
      const entries = Object.keys(v).map((k) => [k, step(ownValue(v, k).value, k)] as const);
      out = changed ? Object.fromEntries(entries) : v;
    }
    if (!isNamespace(v)) materialized.set(v, out);
    return out;
  } finally {
    inProgress.delete(v);
  }
}
