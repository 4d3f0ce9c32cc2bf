// Load a playbook file into a validated model. Never throws for bad input: every problem is
// a diagnostic at its node; the model is returned only when there is none.
import { ansibleBoolean } from '../core/boolean.js';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isMap, isSeq, isScalar, type YAMLMap } from 'yaml';
import { warning, type Diagnostic } from '../core/diagnostic.js';
import { suggest } from '../core/suggest.js';
import type { ModuleCatalog } from './catalog.js';
import { checkSchema, checkTemplates } from './checks.js';
import { LoadContext, type StaticLookups } from './context.js';
import { INHERITED_SCALARS, PLAY_KEYWORDS, TASK_KEYWORDS, UNSUPPORTED_KEYWORDS } from './keywords.js';
import type { Play, Playbook, Serial, Task, TaskNode, VarsPrompt } from './model.js';
import { parseTaskList, TASK_FILES } from './tasks.js';
import { conditions } from './guards.js';
import { isPlainObject } from '../core/plain-object.js';
import { stringList, wrap } from './task-keywords.js';
import { loadRole, roleEntry } from './roles.js';
import { collectionsPathFor, rolesPathFor } from './ansible-cfg.js';
import { handlerTasks } from './handlers.js';
import { checkNotify } from './notify-check.js';
import { textUsesFacts } from './facts-use.js';
import { describeNode, diagAt, keyNode, posOf, valueNode, type YamlNode, type YamlSource } from '../core/yaml-source.js';
import { isTemplate, renderString } from '../template/index.js';
import { plainNumbers } from '../core/python-float.js';

export interface LoadResult {
  readonly playbook?: Playbook;
  readonly diagnostics: readonly Diagnostic[];
}

export interface LoadOptions {
  /** --roles-path values (colon-separated lists allowed) */
  readonly rolesPath?: readonly string[];
  /** lookups for the templates Ansible renders while loading (role names, import_playbook files) */
  readonly lookups?: StaticLookups;
}

export function loadPlaybook(path: string, catalog: ModuleCatalog, cwd = process.cwd(), opts: LoadOptions = {}): LoadResult {
  const abs = resolve(cwd, path);
  const dir = dirname(abs);
  const rolesPath = rolesPathFor(dir, opts.rolesPath ?? [], process.env, cwd);
  const collectionsPath = collectionsPathFor(dir, process.env, cwd);
  const ctx = new LoadContext(catalog, cwd, rolesPath, collectionsPath);
  ctx.staticLookups = opts.lookups;
  const plays = loadPlays(ctx, abs);
  ctx.confirmAnsibleModules();
  // a role used by several plays is read once per play: say each problem once
  const seen = new Set<string>();
  const diagnostics = ctx.diagnostics.filter((d) => {
    const key = `${d.pos.file}:${d.pos.line}:${d.pos.col}:${d.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !plays) return { diagnostics };
  return { playbook: { file: abs, dir, plays, files: ctx.files, rolesPath, collectionsPath }, diagnostics };
}

interface Imported {
  readonly src: YamlSource;
  readonly node: YamlNode;
  readonly vars: Record<string, unknown>;
  readonly tags: string[];
  readonly when: (string | boolean)[];
}

/** The plays of one playbook file (import_playbook entries expanded in place). */
function loadPlays(ctx: LoadContext, abs: string, from?: Imported): Play[] | undefined {
  if (from && !existsSync(abs)) {
    ctx.add(diagAt(from.src, valueNode(from.node, importKey(from.node)!), `playbook not found: '${ctx.display(abs)}'`));
    return undefined;
  }
  if (ctx.stack.includes(abs)) {
    ctx.add(
      diagAt(
        from!.src,
        from!.node,
        `'${ctx.display(abs)}' imports itself (cycle: ${[...ctx.stack, abs].map((f) => ctx.display(f)).join(' → ')})`,
      ),
    );
    return undefined;
  }
  const src = ctx.source(abs);
  if (!src) return undefined;
  const root = src.doc.contents as YamlNode | null;
  const dir = dirname(abs);
  const plays: Play[] = [];
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) {
    ctx.add({
      pos: { file: src.file, line: 1, col: 1 },
      message: 'the playbook is empty: expected a list of plays (- hosts: ...)',
      severity: 'error',
    });
  } else if (isMap(root)) {
    const looksLikePlay = root.items.some((i) => isScalar(i.key) && String(i.key.value) === 'hosts');
    ctx.add(
      diagAt(
        src,
        root,
        looksLikePlay
          ? "a playbook is a list of plays: start the play with '- ' (e.g. '- hosts: all')"
          : 'a playbook must be a list of plays, got a mapping',
      ),
    );
  } else if (!isSeq(root)) {
    ctx.add(diagAt(src, root, `a playbook must be a list of plays, got ${describeNode(root)}`));
  } else {
    ctx.stack.push(abs);
    for (const item of root.items) {
      const node = item as YamlNode;
      if (importKey(node) && !hasKey(node, 'hosts')) {
        plays.push(...(importPlaybook(ctx, src, node as YAMLMap, dir, from) ?? []));
        continue;
      }
      const play = parsePlay(ctx, src, node, dir, from);
      if (play) plays.push(play);
    }
    ctx.stack.pop();
  }
  return plays;
}

function importKey(node: YamlNode | undefined): string | undefined {
  return ['import_playbook', 'ansible.builtin.import_playbook'].find((k) => hasKey(node, k));
}

function hasKey(node: YamlNode | undefined, key: string): boolean {
  return isMap(node) && node.items.some((i) => isScalar(i.key) && String(i.key.value) === key);
}

function importPlaybook(ctx: LoadContext, src: YamlSource, node: YAMLMap, dir: string, outer?: Imported): Play[] | undefined {
  const raw = node.toJS(src.doc) as Record<string, unknown>;
  if (!checkSchema(ctx, src, node, raw, 'playbook.json#/definitions/importPlaybook')) return undefined;
  const key = importKey(node)!;
  const vars = { ...(outer?.vars ?? {}), ...(isPlainObject(raw['vars']) ? raw['vars'] : {}) };
  const file = importedFile(ctx, src, node, String(raw[key]), vars, dir);
  if (file === undefined) return undefined;
  const from: Imported = {
    src,
    node,
    vars,
    tags: [...(outer?.tags ?? []), ...stringList(raw['tags'])],
    when: [...(outer?.when ?? []), ...conditions(raw['when'])],
  };
  return loadPlays(ctx, resolve(dir, file), from);
}

/**
 * import_playbook's file name, templated as Ansible 2.14 does when it reads the playbook (PlaybookInclude):
 * with the import's vars, playbook_dir and lookups (`lookup('env', 'MOLECULE_SCENARIO_DIRECTORY')`), never a host's.
 */
function importedFile(ctx: LoadContext, src: YamlSource, node: YAMLMap, raw: string, vars: Record<string, unknown>, dir: string) {
  if (!isTemplate(raw)) return raw;
  try {
    const file = renderString(raw, ctx.staticScope({ ...vars, playbook_dir: dir }, dir)).trim();
    if (file !== '') return file;
    ctx.add(diagAt(src, valueNode(node, importKey(node)!), `import_playbook: the file name '${raw}' renders empty`));
  } catch (e) {
    ctx.add(
      diagAt(
        src,
        valueNode(node, importKey(node)!),
        `import_playbook is read before the run: its file name '${raw}' is templated with the import's vars, playbook_dir and lookups only (${(e as Error).message})`,
      ),
    );
  }
  return undefined;
}

function parsePlay(ctx: LoadContext, src: YamlSource, node: YamlNode, dir: string, from?: Imported): Play | undefined {
  if (!isMap(node)) {
    ctx.add(diagAt(src, node, `a play must be a mapping with 'hosts:' and 'tasks:', got ${describeNode(node)}`));
    return undefined;
  }
  const raw = node.toJS(src.doc) as Record<string, unknown>;
  let ok = true;
  for (const k of Object.keys(raw)) {
    const why = UNSUPPORTED_KEYWORDS[k];
    if (k === 'include' && !('hosts' in raw)) {
      // ansible-core 2.14 refuses it too ("'include' is not a valid attribute for a Play")
      ctx.add(diagAt(src, keyNode(node, k), "'include' of a playbook was removed from Ansible: write 'import_playbook: FILE'"));
      return undefined;
    } else if (why !== undefined && !PLAY_KEYWORDS.has(k)) {
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
  if (!('hosts' in raw)) {
    ctx.add(diagAt(src, node, "a play needs 'hosts:' (e.g. 'hosts: etcd')"));
    return undefined;
  }
  ctx.startPlay();
  ctx.playDir = dir;
  ctx.playCollections = stringList(raw['collections']);
  ctx.roleNameScope = { ...(from?.vars ?? {}), ...(isPlainObject(raw['vars']) ? raw['vars'] : {}), playbook_dir: dir };
  const lists = ['pre_tasks', 'tasks', 'post_tasks', 'handlers', 'roles'];
  const keysOnly = Object.fromEntries(Object.entries(raw).filter(([k]) => !lists.includes(k)));
  const keysOk = ok;
  ok =
    checkSchema(
      ctx,
      src,
      node,
      Object.fromEntries(Object.entries(keysOnly).filter(([k]) => PLAY_KEYWORDS.has(k))),
      'playbook.json#/definitions/play',
    ) && keysOk;
  for (const k of ['gather_timeout', 'fact_path']) {
    if (k in raw) ctx.add(warning(posOf(src, keyNode(node, k)), `'${k}' is ignored (docs/ansible-compatibility.md#facts)`));
  }
  checkTemplates(ctx, src, node, lists);
  const vf = raw['vars_files'];
  const varsFiles = Array.isArray(vf) ? vf.map((x) => (Array.isArray(x) ? x.map(String) : String(x))) : stringList(vf);
  varsFiles.forEach((f, i) => {
    if (typeof f === 'string' && !/\{\{/.test(f) && !existsSync(resolve(dir, f))) {
      const at = valueNode(node, 'vars_files');
      ctx.add(diagAt(src, isSeq(at) ? (at.items[i] as YamlNode) : at, `vars file not found: '${f}'`));
      ok = false;
    }
  });
  const preTasks = parseTaskList(ctx, src, valueNode(node, 'pre_tasks'), "'pre_tasks'", dir);
  const roles = parseRoles(ctx, src, valueNode(node, 'roles'), dir);
  if (!roles) ok = false;
  const tasks = [...(roles ?? []), ...parseTaskList(ctx, src, valueNode(node, 'tasks'), "'tasks'", dir)];
  const postTasks = parseTaskList(ctx, src, valueNode(node, 'post_tasks'), "'post_tasks'", dir);
  const handlerNodes = ctx.readingHandlers(() => parseTaskList(ctx, src, valueNode(node, 'handlers'), "'handlers'", dir));
  // a role applied twice (different params) has its handlers once
  const handlers: Task[] = ctx.roleHandlers.filter(
    (h, i, all) => all.findIndex((x) => x.pos.file === h.pos.file && x.pos.line === h.pos.line && x.pos.col === h.pos.col) === i,
  );
  handlers.push(...handlerTasks(ctx, handlerNodes));
  checkNotify(ctx, [preTasks, tasks, postTasks], handlers);
  if (!ok) return undefined;
  const hosts = Array.isArray(raw['hosts']) ? (raw['hosts'] as unknown[]).map(String).join(':') : String(raw['hosts'] ?? '');
  const varsPrompt = parseVarsPrompt(src, node, raw['vars_prompt']);
  const sections = from?.when.length
    ? (list: TaskNode[]): TaskNode[] => (list.length ? [wrap({ when: from.when, tags: [], vars: {}, pos: posOf(src, node) }, list)] : list)
    : (list: TaskNode[]): TaskNode[] => list;
  const play: Play = {
    name: typeof raw['name'] === 'string' ? raw['name'] : hosts,
    hosts,
    dir,
    varsPrompt,
    roleDefaults: Object.assign({}, ...ctx.staticRoles.map((r) => r.defaults)) as Record<string, unknown>,
    roleVars: Object.assign({}, ...ctx.staticRoles.map((r) => r.exportedVars)) as Record<string, unknown>,
    appliedRoles: [...ctx.appliedRoles],
    roleNames: { play: [...new Set(ctx.roleNames.play)], dependent: [...new Set(ctx.roleNames.dependent)] },
    vars: { ...(isPlainObject(raw['vars']) ? raw['vars'] : {}), ...(from?.vars ?? {}) },
    varsFiles,
    gatherFacts: (raw['gather_facts'] as boolean | string | undefined) ?? 'auto',
    ...(raw['gather_subset'] !== undefined ? { gatherSubset: raw['gather_subset'] as string | string[] } : {}),
    usesFacts:
      textUsesFacts(src.text.slice(node.range?.[0] ?? 0, node.range?.[2] ?? src.text.length)) ||
      [...ctx.touched].some((f) => textUsesFacts(ctx.textOf(f))) ||
      ctx.unreadInclude,
    anyErrorsFatal: (raw['any_errors_fatal'] as boolean | string | undefined) ?? false,
    preTasks: sections(preTasks),
    tasks: sections(tasks),
    postTasks: sections(postTasks),
    handlers,
    tags: [...(from?.tags ?? []), ...stringList(raw['tags'])],
    strategy: raw['strategy'] === 'free' ? 'free' : 'linear',
    order: (raw['order'] as Play['order'] | undefined) ?? 'inventory',
    pos: posOf(src, node),
    ...optional({ ...raw, remote_user: raw['remote_user'] ?? raw['user'] }, PLAY_SCALARS),
    ...(ctx.playCollections.length ? { collections: ctx.playCollections } : {}),
    ...(raw['serial'] !== undefined ? { serial: serialOf(raw['serial']) } : {}),
    ...(raw['max_fail_percentage'] !== undefined ? { maxFailPercentage: percentOf(raw['max_fail_percentage']) } : {}),
  };
  return play;
}

function parseRoles(ctx: LoadContext, src: YamlSource, node: YamlNode | undefined, dir: string): TaskNode[] | undefined {
  if (node === undefined || (isScalar(node) && node.value === null)) return [];
  if (!isSeq(node)) return undefined; // the schema reports it
  const out: TaskNode[] = [];
  let ok = true;
  for (const item of node.items) {
    const itemNode = item as YamlNode;
    const entry = roleEntry(ctx, src, itemNode, isScalar(itemNode) ? itemNode.value : isMap(itemNode) ? itemNode.toJS(src.doc) : undefined);
    const role = entry && loadRole(ctx, entry.request, { playDir: dir, dedup: true, taskFiles: TASK_FILES });
    if (!entry || !role) {
      ok = false;
      continue;
    }
    ctx.staticRoles.push(...role.scopes);
    ctx.roleHandlers.push(...role.handlers);
    // the role's own scope comes last, after its dependencies' (roles.ts); a deduplicated role has none
    const named = role.scopes.map((r) => r.fqcn ?? r.name);
    if (named.length > 0) {
      ctx.roleNames.play.push(named[named.length - 1]!);
      ctx.roleNames.dependent.push(...named.slice(0, -1));
    }
    out.push(
      entry.keywords ? wrap(entry.keywords, role.nodes) : wrap({ when: [], tags: [], vars: {}, pos: posOf(src, itemNode) }, role.nodes),
    );
  }
  return ok ? out : undefined;
}

function parseVarsPrompt(src: YamlSource, node: YAMLMap, v: unknown): VarsPrompt[] {
  if (!Array.isArray(v)) return [];
  const at = valueNode(node, 'vars_prompt');
  return v.filter(isPlainObject).map((p, i) => ({
    name: String(p['name']),
    prompt: typeof p['prompt'] === 'string' ? p['prompt'] : String(p['name']),
    ...(p['default'] !== undefined && p['default'] !== null ? { default: String(p['default']) } : {}),
    private: p['private'] === undefined ? true : ansibleBoolean(p['private']) === true,
    confirm: ansibleBoolean(p['confirm']) === true,
    pos: posOf(src, isSeq(at) ? at.items[i] : at),
  }));
}

/** max_fail_percentage: a number ('30%' is 30), or a template kept for the play's start */
function percentOf(v: unknown): number | string {
  return typeof v === 'string' && /\{\{/.test(v) ? v : parseFloat(String(v));
}

function serialOf(written: unknown): Serial | string {
  const v = plainNumbers(written); // `serial: 2.0` is 2
  if (Array.isArray(v)) return v as (number | string)[];
  if (typeof v === 'string' && /\{\{/.test(v)) return v;
  return [v as number | string];
}

/** the play's own keywords read like a task's: every inherited scalar but delegate_to; any_errors_fatal is read above */
const PLAY_SCALARS: Record<string, string> = Object.fromEntries(
  [...Object.entries(INHERITED_SCALARS), ['environment', 'environment']].filter(([k]) => k !== 'delegate_to' && k !== 'any_errors_fatal'),
);

function optional(raw: Record<string, unknown>, map: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [from, to] of Object.entries(map)) if (raw[from] !== undefined && raw[from] !== null) out[to] = raw[from];
  return out;
}

export type { YAMLMap };
