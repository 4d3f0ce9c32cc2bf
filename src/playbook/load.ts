// Load a playbook file into a validated model. Never throws for bad input: every problem is
// a diagnostic at its node; the model is returned only when there is none.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isMap, isSeq, isScalar, type YAMLMap } from 'yaml';
import type { Diagnostic } from '../core/diagnostic.js';
import { suggest } from '../core/suggest.js';
import type { ModuleCatalog } from './catalog.js';
import { checkSchema, checkTemplates } from './checks.js';
import { LoadContext } from './context.js';
import { PLAY_KEYWORDS, TASK_KEYWORDS, UNSUPPORTED_KEYWORDS } from './keywords.js';
import type { Play, Playbook, Serial, Task } from './model.js';
import { isPlainObject, parseTaskList, stringList } from './tasks.js';
import { describeNode, diagAt, keyNode, posOf, valueNode, type YamlNode, type YamlSource } from './yaml-source.js';

export interface LoadResult {
  readonly playbook?: Playbook;
  readonly diagnostics: readonly Diagnostic[];
}

export function loadPlaybook(path: string, catalog: ModuleCatalog, cwd = process.cwd()): LoadResult {
  const abs = resolve(cwd, path);
  const ctx = new LoadContext(catalog, cwd);
  const src = ctx.source(abs);
  if (!src) return { diagnostics: ctx.diagnostics };
  const root = src.doc.contents as YamlNode | null;
  const dir = dirname(abs);
  const plays: Play[] = [];
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) {
    ctx.add({ pos: { file: src.file, line: 1, col: 1 }, message: 'the playbook is empty: expected a list of plays (- hosts: ...)', severity: 'error' });
  } else if (isMap(root)) {
    const looksLikePlay = root.items.some((i) => isScalar(i.key) && String(i.key.value) === 'hosts');
    ctx.add(diagAt(src, root, looksLikePlay
      ? "a playbook is a list of plays: start the play with '- ' (e.g. '- hosts: all')"
      : 'a playbook must be a list of plays, got a mapping'));
  } else if (!isSeq(root)) {
    ctx.add(diagAt(src, root, `a playbook must be a list of plays, got ${describeNode(root)}`));
  } else {
    ctx.stack.push(abs);
    for (const item of root.items) {
      const play = parsePlay(ctx, src, item as YamlNode, dir);
      if (play) plays.push(play);
    }
    ctx.stack.pop();
  }
  const errors = ctx.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return { diagnostics: ctx.diagnostics };
  return { playbook: { file: abs, dir, plays, files: ctx.files }, diagnostics: ctx.diagnostics };
}

function parsePlay(ctx: LoadContext, src: YamlSource, node: YamlNode, dir: string): Play | undefined {
  if (!isMap(node)) {
    ctx.add(diagAt(src, node, `a play must be a mapping with 'hosts:' and 'tasks:', got ${describeNode(node)}`));
    return undefined;
  }
  const raw = node.toJS(src.doc) as Record<string, unknown>;
  let ok = true;
  for (const k of Object.keys(raw)) {
    const why = UNSUPPORTED_KEYWORDS[k];
    if (why !== undefined && !PLAY_KEYWORDS.has(k)) {
      ctx.add(diagAt(src, keyNode(node, k), `'${k}' is not supported: ${why}`));
      ok = false;
    } else if (!PLAY_KEYWORDS.has(k)) {
      ok = false;
      if (!('hosts' in raw) && (TASK_KEYWORDS.has(k) || ctx.catalog.canonical(k))) {
        ctx.add(diagAt(src, keyNode(node, k), `'${k}' belongs to a task, not a play: put tasks under 'tasks:' of a play with 'hosts:'`));
        return undefined;
      }
      const s = suggest(k, PLAY_KEYWORDS);
      if (!s && (TASK_KEYWORDS.has(k) || ctx.catalog.canonical(k))) {
        ctx.add(diagAt(src, keyNode(node, k), `'${k}' belongs to a task, not a play: put it on a task under 'tasks:'`));
        continue;
      }
      ctx.add(diagAt(src, keyNode(node, k), `unknown play keyword '${k}'${s ? ` (did you mean '${s}'?)` : ''}`));
    }
  }
  if (!ok) return undefined;
  if (!('hosts' in raw)) {
    ctx.add(diagAt(src, node, "a play needs 'hosts:' (e.g. 'hosts: etcd')"));
    return undefined;
  }
  const lists = ['pre_tasks', 'tasks', 'post_tasks', 'handlers'];
  const keysOnly = Object.fromEntries(Object.entries(raw).filter(([k]) => !lists.includes(k)));
  ok = checkSchema(ctx, src, node, keysOnly, 'playbook.json#/definitions/play');
  checkTemplates(ctx, src, node, lists);
  const varsFiles = stringList(raw['vars_files']);
  varsFiles.forEach((f, i) => {
    if (!/\{\{/.test(f) && !existsSync(resolve(dir, f))) {
      const at = valueNode(node, 'vars_files');
      ctx.add(diagAt(src, isSeq(at) ? (at.items[i] as YamlNode) : at, `vars file not found: '${f}'`));
      ok = false;
    }
  });
  const preTasks = parseTaskList(ctx, src, valueNode(node, 'pre_tasks'), "'pre_tasks'", dir);
  const tasks = parseTaskList(ctx, src, valueNode(node, 'tasks'), "'tasks'", dir);
  const postTasks = parseTaskList(ctx, src, valueNode(node, 'post_tasks'), "'post_tasks'", dir);
  const handlerNodes = parseTaskList(ctx, src, valueNode(node, 'handlers'), "'handlers'", dir);
  const handlers: Task[] = [];
  for (const h of handlerNodes) {
    if (h.kind === 'task') handlers.push(h);
    else ctx.add({ pos: h.pos, message: 'handlers must be plain tasks (no block or include)', severity: 'error' });
  }
  if (!ok) return undefined;
  const hosts = Array.isArray(raw['hosts']) ? (raw['hosts'] as unknown[]).map(String).join(':') : String(raw['hosts'] ?? '');
  const play: Play = {
    name: typeof raw['name'] === 'string' ? raw['name'] : hosts,
    hosts,
    vars: isPlainObject(raw['vars']) ? raw['vars'] : {},
    varsFiles,
    gatherFacts: (raw['gather_facts'] as boolean | string | undefined) ?? false,
    anyErrorsFatal: (raw['any_errors_fatal'] as boolean | string | undefined) ?? false,
    preTasks,
    tasks,
    postTasks,
    handlers,
    tags: stringList(raw['tags']),
    strategy: raw['strategy'] === 'free' ? 'free' : 'linear',
    order: (raw['order'] as Play['order'] | undefined) ?? 'inventory',
    pos: posOf(src, node),
    ...optional(raw, {
      become: 'become', become_user: 'becomeUser', environment: 'environment', connection: 'connection',
      remote_user: 'remoteUser', check_mode: 'checkMode', diff: 'diff', ignore_errors: 'ignoreErrors',
      ignore_unreachable: 'ignoreUnreachable', no_log: 'noLog', timeout: 'timeout',
    }),
    ...(raw['serial'] !== undefined ? { serial: serialOf(raw['serial']) } : {}),
    ...(raw['max_fail_percentage'] !== undefined ? { maxFailPercentage: parseFloat(String(raw['max_fail_percentage'])) } : {}),
  };
  return play;
}

function serialOf(v: unknown): Serial | string {
  if (Array.isArray(v)) return v as (number | string)[];
  if (typeof v === 'string' && /\{\{/.test(v)) return v;
  return [v as number | string];
}

function optional(raw: Record<string, unknown>, map: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [from, to] of Object.entries(map)) if (raw[from] !== undefined && raw[from] !== null) out[to] = raw[from];
  return out;
}

export type { YAMLMap };
