// Roles (Ansible's layout): find a role by name, read its defaults/, vars/, meta/ dependencies,
// tasks/ and handlers/, and turn it into a block whose tasks see the role's variables.
import { argumentSpecTasks } from './arg-specs.js';
import { findRoleFor, roleSearchDirs } from './role-search.js';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isSeq } from 'yaml';
import { isTemplate, renderString } from '../template/index.js';
import type { LoadContext } from './context.js';
import type { Block, RoleScope, Task, TaskKeywords, TaskNode } from './model.js';
import { isPlainObject } from '../core/plain-object.js';
import type { loadTaskFile, parseTaskList } from './tasks.js';
import { roleKeywords, wrap } from './task-keywords.js';
import { handlerTasks } from './handlers.js';
import { filesUnder } from './facts-use.js';
import { diagAt, keyNode, posOf, valueNode, type YamlNode, type YamlSource } from '../core/yaml-source.js';

/** One use of a role: a `roles:` entry, a dependency, import_role or include_role. */
export interface RoleRequest {
  readonly name: string;
  /** where it was asked for (diagnostics) */
  readonly src: YamlSource;
  readonly at: YamlNode | undefined;
  readonly params: Readonly<Record<string, unknown>>;
  readonly entryVars: Readonly<Record<string, unknown>>;
  readonly tasksFrom?: string;
  readonly varsFrom?: string;
  readonly defaultsFrom?: string;
  readonly handlersFrom?: string;
  /** `rolespec_validate: false` (import_role/include_role): no argument spec validation task */
  readonly noArgSpec?: boolean;
}

export interface RoleOptions {
  /** directory of the playbook the play was written in */
  readonly playDir: string;
  /** the role that asked for this one (dependency, include inside a role) */
  readonly parent?: RoleScope;
  /** `roles:` entries and dependencies run once per play unless allow_duplicates */
  readonly dedup: boolean;
  /** loaded as a dependency of `parent` (meta/main.yml), not by an include_role/import_role inside it */
  readonly dependency?: boolean;
  /** how the role's task files are read: tasks.ts's steps, passed in (see TaskFiles) */
  readonly taskFiles: TaskFiles;
}

/**
 * The task-list steps of tasks.ts, handed in by whoever loads a role (tasks.ts for a role task,
 * load.ts for `roles:`, load-included.ts for include_role) rather than imported: tasks.ts loads
 * roles, so roles.ts (and arg-specs.ts) importing it back made the last import cycle.
 */
export interface TaskFiles {
  /** a role's tasks/ and handlers/ files */
  readonly load: typeof loadTaskFile;
  /** the implicit argument-spec task, read as any task list is (arg-specs.ts) */
  readonly parse: typeof parseTaskList;
}

export interface LoadedRole {
  /** the dependencies' blocks, then the role's own block */
  readonly nodes: TaskNode[];
  readonly handlers: Task[];
  /** every role loaded (dependencies included), in order */
  readonly scopes: RoleScope[];
}

/** `tasks/main.yml`, `main.yaml`, `main`: the first that exists. */
function roleFile(path: string, sub: string, name = 'main'): string | undefined {
  const base = join(path, sub, name);
  return (
    [base, `${base}.yml`, `${base}.yaml`, `${base}.json`].find((p) => existsSync(p) && statSync(p).isFile()) ??
    (existsSync(base) && statSync(base).isDirectory() ? base : undefined)
  );
}

export function loadRole(ctx: LoadContext, req: RoleRequest, opts: RoleOptions): LoadedRole | undefined {
  const dirs = roleSearchDirs(ctx, opts.playDir, opts.parent);
  const path = findRoleFor(ctx, req.name, dirs, opts.playDir, opts.parent);
  if (!path && /^[a-z0-9_]+\.[a-z0-9_]+\.[a-z0-9_]+$/i.test(req.name)) {
    ctx.add(
      diagAt(
        req.src,
        req.at,
        `role '${req.name}' is a collection role not found in ${ctx.collectionsPath.map((d) => ctx.display(d)).join(', ')} (install the collection there, e.g. ansible-galaxy collection install, or set ANSIBLE_COLLECTIONS_PATH)`,
      ),
    );
    return undefined;
  }
  if (!path) {
    ctx.add(diagAt(req.src, req.at, `role '${req.name}' not found (looked in ${dirs.map((d) => ctx.display(d)).join(', ')})`));
    return undefined;
  }
  if (ctx.roleStack.includes(path)) {
    const names = [...ctx.roleStack, path].map((p) => p.split('/').pop()).join(' → ');
    ctx.add(diagAt(req.src, req.at, `role '${req.name}' depends on itself (cycle: ${names})`));
    return undefined;
  }
  const meta = readMapping(ctx, req, roleFile(path, 'meta'));
  if (!meta) return undefined;
  const key = `${path}\0${req.tasksFrom ?? ''}\0${JSON.stringify(req.params)}\0${JSON.stringify(req.entryVars)}`;
  if (opts.dedup && meta.value['allow_duplicates'] !== true && ctx.appliedRoles.has(key)) return { nodes: [], handlers: [], scopes: [] };
  if (opts.dedup) ctx.appliedRoles.add(key);
  const files: Record<string, { file: string | undefined; asked?: string }> = {
    defaults: { file: roleFile(path, 'defaults', req.defaultsFrom), ...(req.defaultsFrom ? { asked: req.defaultsFrom } : {}) },
    vars: { file: roleFile(path, 'vars', req.varsFrom), ...(req.varsFrom ? { asked: req.varsFrom } : {}) },
    tasks: { file: roleFile(path, 'tasks', req.tasksFrom), ...(req.tasksFrom ? { asked: req.tasksFrom } : {}) },
    handlers: { file: roleFile(path, 'handlers', req.handlersFrom), ...(req.handlersFrom ? { asked: req.handlersFrom } : {}) },
  };
  for (const [sub, f] of Object.entries(files)) {
    if (f.asked !== undefined && f.file === undefined) {
      ctx.add(diagAt(req.src, req.at, `role '${req.name}' has no ${sub} file '${f.asked}' (looked in ${ctx.display(join(path, sub))})`));
      return undefined;
    }
  }
  for (const t of filesUnder(join(path, 'templates'))) ctx.touched.add(t);
  const defaults = readMapping(ctx, req, files['defaults']!.file);
  const vars = readMapping(ctx, req, files['vars']!.file);
  if (!defaults || !vars) return undefined;
  const name = path.split('/').pop()!;
  const inCollection = /\/ansible_collections\/([^/]+)\/([^/]+)\/roles\/[^/]+$/.exec(path);
  const parentVars = opts.parent?.vars ?? {};
  const chainDefaults = { ...opts.parent?.chainDefaults, ...defaults.value }; // Role.get_default_vars(dep_chain)
  // dependencies see this role's vars (Ansible's dependency chain)
  const early: RoleScope = {
    name,
    ...(inCollection ? { fqcn: `${inCollection[1]}.${inCollection[2]}.${name}` } : {}),
    path,
    defaults: chainDefaults,
    chainDefaults,
    vars: { ...parentVars, ...req.entryVars, ...vars.value },
    exportedVars: vars.value,
    params: req.params,
    // ansible_parent_role_names: the roles whose include_role/import_role brought this one (2.14 leaves it unset for a dependency)
    parents: opts.dependency ? [] : parentsOf(opts.parent),
  };
  ctx.roleStack.push(path);
  try {
    const deps = loadDependencies(ctx, meta, early, opts);
    if (!deps) return undefined;
    const depScopes = deps.scopes;
    const scope: RoleScope = {
      ...early,
      defaults: Object.assign({}, ...depScopes.map((s) => s.defaults), chainDefaults) as Record<string, unknown>,
      vars: Object.assign({}, parentVars, ...depScopes.map((s) => s.exportedVars), req.entryVars, vars.value) as Record<string, unknown>,
      exportedVars: Object.assign({}, ...depScopes.map((s) => s.exportedVars), vars.value) as Record<string, unknown>,
    };
    const saved = ctx.currentRole;
    ctx.currentRole = scope;
    let tasks: TaskNode[] | undefined = [];
    let handlerNodes: TaskNode[] | undefined = [];
    try {
      if (files['tasks']!.file) tasks = opts.taskFiles.load(ctx, req.src, req.at, files['tasks']!.file, ctx.display(files['tasks']!.file));
      const handlersFile = files['handlers']!.file;
      if (handlersFile)
        handlerNodes = ctx.readingHandlers(() => opts.taskFiles.load(ctx, req.src, req.at, handlersFile, ctx.display(handlersFile)));
    } finally {
      ctx.currentRole = saved;
    }
    if (!tasks || !handlerNodes) return undefined;
    if (!req.noArgSpec)
      tasks = [
        ...argumentSpecTasks(
          ctx,
          { name: scope.fqcn ?? name, path, ...(req.tasksFrom ? { tasksFrom: req.tasksFrom } : {}), params: req.params },
          meta.value,
          opts.taskFiles.parse,
        ),
        ...tasks,
      ];
    const handlers: Task[] = [...deps.handlers, ...handlerTasks(ctx, handlerNodes).map((h) => ({ ...h, role: scope }))];
    const own: Block = { kind: 'block', ...emptyKeywords(posOf(req.src, req.at)), name, block: tasks, rescue: [], always: [], role: scope };
    return { nodes: [...deps.nodes, own], handlers, scopes: [...depScopes, scope] };
  } finally {
    ctx.roleStack.pop();
  }
}

function loadDependencies(
  ctx: LoadContext,
  meta: { value: Record<string, unknown>; src?: YamlSource; node?: YamlNode },
  scope: RoleScope,
  opts: RoleOptions,
): LoadedRole | undefined {
  const list = meta.value['dependencies'];
  const out: LoadedRole = { nodes: [], handlers: [], scopes: [] };
  if (list === undefined || list === null) return out;
  const listNode = valueNode(meta.node, 'dependencies');
  if (!Array.isArray(list) || !meta.src) {
    ctx.add(diagAt(meta.src!, listNode, 'dependencies must be a list of roles'));
    return undefined;
  }
  let ok = true;
  list.forEach((entry: unknown, i) => {
    const at = isSeq(listNode) ? (listNode.items[i] as YamlNode) : listNode;
    const r = roleEntry(ctx, meta.src!, at, entry);
    if (!r) {
      ok = false;
      return;
    }
    const dep = loadRole(ctx, r.request, {
      playDir: opts.playDir,
      parent: scope,
      dedup: true,
      dependency: true,
      taskFiles: opts.taskFiles,
    });
    if (!dep) {
      ok = false;
      return;
    }
    const nodes = r.keywords ? [wrap(r.keywords, dep.nodes)] : dep.nodes;
    out.nodes.push(...nodes);
    out.handlers.push(...dep.handlers);
    out.scopes.push(...dep.scopes);
  });
  return ok ? out : undefined;
}

/** A `roles:` or `dependencies:` entry: a name, or a mapping with `role:` + keywords + params. */
export function roleEntry(
  ctx: LoadContext,
  src: YamlSource,
  node: YamlNode | undefined,
  entry: unknown,
): { request: RoleRequest; keywords?: TaskKeywords } | undefined {
  if (typeof entry === 'string') {
    const name = staticRoleName(ctx, src, node, entry);
    return name === undefined ? undefined : { request: { name, src, at: node, params: {}, entryVars: {} } };
  }
  if (!isPlainObject(entry)) {
    ctx.add(diagAt(src, node, 'a role entry must be a role name or a mapping with role:'));
    return undefined;
  }
  const raw = entry['role'] ?? entry['name'];
  if (typeof raw !== 'string' || raw === '') {
    ctx.add(diagAt(src, node, "a role entry needs 'role: NAME'"));
    return undefined;
  }
  const name = staticRoleName(ctx, src, valueNode(node, 'role') ?? valueNode(node, 'name') ?? node, raw);
  if (name === undefined) return undefined;
  const { keywords, params } = roleKeywords(ctx, src, node, entry);
  if (!keywords) return undefined;
  const entryVars = isPlainObject(entry['vars']) ? entry['vars'] : {};
  const at = isMap(node) ? (keyNode(node, 'role') ?? keyNode(node, 'name') ?? node) : node;
  return { request: { name, src, at, params, entryVars }, keywords };
}

/**
 * A role name as written, or templated as Ansible does when it loads the play (a `roles:` entry,
 * an import_role): with the play's vars (and an import_playbook entry's), `playbook_dir` and the
 * lookups, never a host's variables or facts.
 */
export function staticRoleName(ctx: LoadContext, src: YamlSource, at: YamlNode | undefined, raw: string): string | undefined {
  if (!isTemplate(raw)) return raw;
  try {
    const name = renderString(raw, ctx.staticScope(ctx.roleNameScope, ctx.playDir ?? ctx.cwd)).trim();
    if (name !== '') return name;
    ctx.add(diagAt(src, at, `the role name '${raw}' renders empty`));
  } catch (e) {
    ctx.add(
      diagAt(
        src,
        at,
        `roles are loaded before the run: the role name '${raw}' is templated with the play's vars, playbook_dir and lookups only (${(e as Error).message}); use include_role for anything else`,
      ),
    );
  }
  return undefined;
}

// (the executor imports wrap from here)
export { wrap };

function emptyKeywords(pos: TaskKeywords['pos']): TaskKeywords {
  return { when: [], tags: [], vars: {}, pos };
}

function parentsOf(parent: RoleScope | undefined): string[] {
  return parent ? [parent.name, ...parent.parents] : [];
}

/** A role's YAML file holding a mapping (defaults, vars, meta); absent = empty. */
function readMapping(
  ctx: LoadContext,
  req: RoleRequest,
  file: string | undefined,
): { value: Record<string, unknown>; src?: YamlSource; node?: YamlNode } | undefined {
  if (!file) return { value: {} };
  if (statSync(file).isDirectory()) {
    // defaults/main/, vars/main/: every YAML file in it, sorted, later ones over earlier ones
    const value: Record<string, unknown> = {};
    for (const f of readdirSync(file)
      .filter((n) => /\.(ya?ml|json)$/.test(n))
      .sort()) {
      const one = readMapping(ctx, req, join(file, f));
      if (!one) return undefined;
      Object.assign(value, one.value);
    }
    return { value };
  }
  const src = ctx.source(file);
  if (!src) return undefined;
  const node = src.doc.contents as YamlNode | null;
  const value: unknown = node === null ? {} : src.doc.toJS();
  if (value === null || value === undefined) return { value: {}, src };
  if (!isPlainObject(value)) {
    ctx.add(diagAt(src, node, `${ctx.display(file)} must hold a mapping, got ${Array.isArray(value) ? 'a list' : typeof value}`));
    return undefined;
  }
  void req;
  return { value, src, ...(node ? { node } : {}) };
}
