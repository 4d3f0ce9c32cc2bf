// The keywords of a task, a block, an include or a role entry, read into the model's
// TaskKeywords, and the small readers every task parser shares (loops, lists, did-you-mean).
// Nothing here reads a task file or a role, so tasks.ts, include-tasks.ts, role-tasks.ts and
// roles.ts all build on it without importing one another for it.
import { isMap, type YAMLMap } from 'yaml';
import { isPlainObject } from '../core/plain-object.js';
import { suggest } from '../core/suggest.js';
import type { LoadContext } from './context.js';
import { checkSchema } from './checks.js';
import { conditions } from './guards.js';
import { BLOCK_KEYWORDS, INHERITED_SCALARS, LOOP_KEYWORDS, UNSUPPORTED_KEYWORDS } from './keywords.js';
import type { Block, Loop, TaskKeywords, TaskNode } from './model.js';
import { diagAt, keyNode, posOf, type YamlNode, type YamlSource } from '../core/yaml-source.js';
import { isPyFloat } from '../core/python-float.js';

type Raw = Record<string, unknown>;

export function keywords(ctx: LoadContext, src: YamlSource, node: YAMLMap, raw: Raw): TaskKeywords {
  const k: Record<string, unknown> = {
    when: conditions(raw['when']),
    tags: stringList(raw['tags']),
    vars: isPlainObject(raw['vars']) ? raw['vars'] : {},
    pos: posOf(src, node),
  };
  const map: Record<string, string> = { name: 'name', environment: 'environment', ...INHERITED_SCALARS };
  for (const [from, to] of Object.entries(map)) if (raw[from] !== undefined && raw[from] !== null) k[to] = raw[from];
  void ctx;
  return k as unknown as TaskKeywords;
}

export function loopOf(raw: Raw): { loop?: Loop } {
  const written = LOOP_KEYWORDS.find((s) => raw[s] !== undefined);
  if (!written) return {};
  const style = written === 'with_community.general.flattened' ? 'with_flattened' : written;
  const lc = isPlainObject(raw['loop_control']) ? raw['loop_control'] : {};
  const loop: Loop = {
    items: raw[written],
    style,
    loopVar: typeof lc['loop_var'] === 'string' ? lc['loop_var'] : 'item',
    ...(typeof lc['index_var'] === 'string' ? { indexVar: lc['index_var'] } : {}),
    ...(typeof lc['label'] === 'string' ? { label: lc['label'] } : {}),
    ...(typeof lc['pause'] === 'number' || typeof lc['pause'] === 'string'
      ? { pauseSeconds: lc['pause'] }
      : isPyFloat(lc['pause'])
        ? { pauseSeconds: Number(lc['pause']) }
        : {}),
  };
  return { loop };
}

export function stringList(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.map((x) => String(x));
  return String(v)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function didYouMean(k: string, set: Iterable<string>): string {
  const s = suggest(k, set);
  return s ? ` (did you mean '${s}'?)` : '';
}

/** `apply:` of include_role / include_tasks: block keywords given to every included task */
export function applyKeywords(
  ctx: LoadContext,
  src: YamlSource,
  at: YamlNode | undefined,
  value: unknown,
  what: string,
): TaskKeywords | undefined {
  if (!isPlainObject(value) || !isMap(at)) {
    ctx.add(diagAt(src, at, `${what} apply: must be a mapping of keywords (when, tags, become...)`));
    return undefined;
  }
  const bad = Object.keys(value).filter((k) => !BLOCK_KEYWORDS.has(k) || ['block', 'rescue', 'always', 'name'].includes(k));
  if (bad.length > 0) {
    ctx.add(diagAt(src, keyNode(at, bad[0]!) ?? at, `${what} apply: '${bad[0]}' cannot be applied to the included tasks`));
    return undefined;
  }
  return keywords(ctx, src, at, value);
}

/** Keywords of a `roles:` / `dependencies:` entry; every other key is a role param. */
const ROLE_ENTRY_KEYWORDS = new Set([
  'role',
  'name',
  'vars',
  'when',
  'tags',
  'become',
  'become_user',
  'become_method',
  'environment',
  'ignore_errors',
  'ignore_unreachable',
  'no_log',
  'check_mode',
  'diff',
  'delegate_to',
  'any_errors_fatal',
  'timeout',
  'connection',
  'remote_user',
  'run_once',
]);

/** Split a role entry into the keywords applied to its tasks and its params. */
export function roleKeywords(
  ctx: LoadContext,
  src: YamlSource,
  node: YamlNode | undefined,
  entry: Raw,
): { keywords?: TaskKeywords; params: Raw } {
  const params: Raw = {};
  const kw: Raw = {};
  for (const [k, v] of Object.entries(entry)) {
    const why = UNSUPPORTED_KEYWORDS[k];
    if (why !== undefined) {
      ctx.add(diagAt(src, keyNode(node, k) ?? node, `'${k}' is not supported: ${why}`));
      return { params };
    }
    if (ROLE_ENTRY_KEYWORDS.has(k)) kw[k] = v;
    else params[k] = v;
  }
  if (isMap(node)) {
    const { role: _r, name: _n, ...keysOnly } = kw;
    void _r;
    void _n;
    if (!checkSchema(ctx, src, node, keysOnly, 'playbook.json#/definitions/task')) return { params };
    const k = keywords(ctx, src, node, { ...kw, name: undefined, vars: undefined });
    return { keywords: k, params };
  }
  return { keywords: { when: [], tags: [], vars: {}, pos: posOf(src, node) }, params };
}

export function wrap(kw: TaskKeywords, nodes: TaskNode[]): Block {
  return { kind: 'block', ...kw, block: nodes, rescue: [], always: [] };
}
