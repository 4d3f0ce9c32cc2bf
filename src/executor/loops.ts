// A task's loop (`loop:` or the with_* forms) → the list of items, after templating.
import { ansibleBoolean } from '../core/boolean.js';
import type { Loop } from '../playbook/model.js';
import { loopCounters, pyStr } from '../template/index.js';
import { flattenAll } from './lookups.js';

export type LoopItems = { ok: true; items: unknown[] } | { ok: false; message: string };

/** `with_first_found`: the first of these files that exists, searched as the task's module would */
export type FirstFound = (names: readonly string[], paths: readonly string[]) => string | undefined;

/** What the lookup-backed loops need from the run (files beside the task, the inventory). */
export interface LoopEnv {
  readonly firstFound?: FirstFound;
  /** files matching a glob, as the fileglob lookup finds them */
  readonly fileglob?: (pattern: string) => string[];
  /** hosts a pattern selects */
  readonly hosts?: (pattern: string) => string[];
  /** the lookup plugin of that name on these terms, as query() (it may throw) */
  readonly query?: (plugin: string, terms: unknown[]) => unknown[];
}

/** with_<lookup> loops that are the lookup itself on the listified terms (Ansible's rule), by their plugin */
const LOOKUP_LOOPS: Readonly<Partial<Record<Loop['style'], string>>> = {
  with_lines: 'lines',
  with_file: 'file',
  with_together: 'together',
  with_pipe: 'pipe',
  with_env: 'env',
  with_template: 'template',
  with_varnames: 'varnames',
  with_url: 'url',
};

export function loopItems(loop: Loop, rendered: unknown, env: LoopEnv = {}): LoopItems {
  const terms = (): unknown[] => (Array.isArray(rendered) ? rendered : rendered === null || rendered === undefined ? [] : [rendered]);
  const plugin = LOOKUP_LOOPS[loop.style];
  if (plugin !== undefined) {
    if (!env.query) return { ok: false, message: `'${loop.style}' needs the ${plugin} lookup, not available here` };
    return { ok: true, items: env.query(plugin, terms()) };
  }
  switch (loop.style) {
    case 'with_first_found':
      return findFirst(rendered, env.firstFound);
    case 'with_flattened':
      return { ok: true, items: flattenAll(terms()) };
    case 'with_fileglob':
      return { ok: true, items: terms().flatMap((t) => env.fileglob?.(String(t)) ?? []) };
    case 'with_inventory_hostnames':
      return {
        ok: true,
        items: [
          ...new Set(
            terms()
              .flatMap((t) => (Array.isArray(t) ? t : [t]))
              .flatMap((p) => env.hosts?.(String(p)) ?? []),
          ),
        ],
      };
    case 'with_subelements':
      return subelements(rendered);
    case 'loop':
    case 'with_list':
      if (!Array.isArray(rendered)) return { ok: false, message: `'${loop.style}' needs a list, got ${kind(rendered)}` };
      return { ok: true, items: rendered };
    case 'with_items':
      if (!Array.isArray(rendered)) return { ok: true, items: rendered === null || rendered === undefined ? [] : [rendered] };
      // with_items flattens one level
      return { ok: true, items: rendered.flatMap((x) => (Array.isArray(x) ? x : [x])) };
    case 'with_dict':
      if (!isObject(rendered)) return { ok: false, message: `'with_dict' needs a mapping, got ${kind(rendered)}` };
      return { ok: true, items: Object.entries(rendered).map(([key, value]) => ({ key, value })) };
    case 'with_indexed_items':
      if (!Array.isArray(rendered)) return { ok: false, message: `'with_indexed_items' needs a list, got ${kind(rendered)}` };
      return { ok: true, items: rendered.map((x, i) => [i, x]) };
    case 'with_nested': {
      if (!Array.isArray(rendered) || !rendered.every(Array.isArray)) return { ok: false, message: "'with_nested' needs a list of lists" };
      let acc: unknown[][] = [[]];
      for (const list of rendered as unknown[][]) acc = acc.flatMap((prefix) => list.map((x) => [...prefix, x]));
      return { ok: true, items: acc };
    }
    case 'with_sequence':
      return sequence(String(rendered));
    default:
      return { ok: false, message: `'${loop.style}' is not a loop runbook has` };
  }
}

/** names, or `{files: [...], paths: [...], skip: bool}` (alone or in the list), as Ansible's first_found */
function findFirst(rendered: unknown, firstFound: FirstFound | undefined): LoopItems {
  const names: string[] = [];
  const paths: string[] = [];
  let skip = false;
  const split = (v: unknown): string[] =>
    Array.isArray(v)
      ? v.map(String)
      : typeof v === 'string'
        ? v
            .split(/[,;]/)
            .map((x) => x.trim())
            .filter(Boolean)
        : [];
  for (const term of Array.isArray(rendered) ? rendered : [rendered]) {
    if (isObject(term)) {
      names.push(...split(term['files']));
      paths.push(...split(term['paths']));
      if (ansibleBoolean(term['skip']) === true) skip = true;
    } else if (term !== null && term !== undefined) names.push(String(term));
  }
  const found = firstFound?.(names, paths);
  if (found !== undefined) return { ok: true, items: [found] };
  if (skip) return { ok: true, items: [] };
  return { ok: false, message: `No file was found when using first_found (looked for ${names.map((n) => `'${n}'`).join(', ')})` };
}

/** `with_sequence: start=1 end=5 stride=1 format=x%02d` or `1-5`. */
function sequence(spec: string): LoopItems {
  const kv: Record<string, string> = {};
  const short = /^\s*(\d+)-(\d+)(?:\/(\d+))?\s*$/.exec(spec);
  if (short) {
    kv['start'] = short[1]!;
    kv['end'] = short[2]!;
    if (short[3]) kv['stride'] = short[3];
  } else {
    for (const part of spec.trim().split(/\s+/)) {
      const [k, v] = part.split('=');
      if (!k || v === undefined) return { ok: false, message: `bad with_sequence '${spec}'` };
      kv[k] = v;
    }
  }
  const start = parseInt(kv['start'] ?? '1', 10);
  const end = kv['count'] !== undefined ? start + parseInt(kv['count'], 10) - 1 : parseInt(kv['end'] ?? '', 10);
  const stride = parseInt(kv['stride'] ?? '1', 10);
  if (![start, end, stride].every(Number.isFinite) || stride === 0) return { ok: false, message: `bad with_sequence '${spec}'` };
  const items: string[] = [];
  for (let i = start; stride > 0 ? i <= end : i >= end; i += stride) {
    items.push(kv['format'] ? kv['format'].replace(/%0?(\d*)d/, (_m, w: string) => String(i).padStart(Number(w || 0), '0')) : String(i));
    if (items.length > 100000) return { ok: false, message: 'with_sequence is too long' };
  }
  return { ok: true, items };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function kind(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

/** `(item=…)`: Python's str() of the item, as Ansible's callback formats it (`{'name': 'a'}`, `True`, `None`). */
export function itemLabel(item: unknown): string {
  return pyStr(item);
}

/** Ansible's subelements: [list (or dict of) elements, 'key.path', {skip_missing}] → [element, subitem] pairs. */
function subelements(rendered: unknown): LoopItems {
  if (!Array.isArray(rendered) || rendered.length < 2 || rendered.length > 3 || typeof rendered[1] !== 'string') {
    return { ok: false, message: "subelements lookup expects a list of two or three items, [list, 'key', {skip_missing: bool}]" };
  }
  const [first, key, flags] = rendered as [unknown, string, unknown];
  const skipMissing =
    isObject(flags) && (flags['skip_missing'] === true || flags['skip_missing'] === 'yes' || flags['skip_missing'] === 'true');
  const elements = isObject(first) ? Object.values(first) : Array.isArray(first) ? first : undefined;
  if (!elements) return { ok: false, message: 'subelements lookup expects a dictionary or a list as its first item' };
  const items: unknown[] = [];
  for (const el of elements) {
    if (isObject(el) && el['skipped'] === true) continue;
    let sub: unknown = el;
    let missing = false;
    for (const part of key.split('.')) {
      if (isObject(sub) && Object.hasOwn(sub, part)) sub = sub[part];
      else {
        missing = true;
        break;
      }
    }
    if (missing) {
      if (skipMissing) continue;
      return { ok: false, message: `could not find '${key}' key in iterated item '${JSON.stringify(el)}'` };
    }
    if (!Array.isArray(sub)) return { ok: false, message: `the key ${key} should point to a list, got '${JSON.stringify(sub)}'` };
    for (const x of sub) items.push([el, x]);
  }
  return { ok: true, items };
}

/**
 * The variables of item `i` of a loop: the loop variable, `ansible_loop_var`, the index_var and
 * `ansible_loop` (Ansible's extended set: index, index0, revindex, revindex0, first, last,
 * length, allitems, previtem, nextitem). One builder for task loops and include loops.
 */
export function loopVars(loop: Pick<Loop, 'loopVar' | 'indexVar'>, items: readonly unknown[], i: number): Record<string, unknown> {
  const n = items.length;
  return {
    [loop.loopVar]: items[i],
    ansible_loop_var: loop.loopVar,
    ansible_loop: {
      ...loopCounters(n, i),
      allitems: items,
      ...(i > 0 ? { previtem: items[i - 1] } : {}),
      ...(i < n - 1 ? { nextitem: items[i + 1] } : {}),
    },
    ...(loop.indexVar ? { [loop.indexVar]: i } : {}),
  };
}
