// `import_role` (static: loaded with the playbook) and `include_role` (dynamic: loaded when
// reached, its name may be templated) tasks.
import { ansibleBoolean } from '../core/boolean.js';
import { isMap, type YAMLMap } from 'yaml';
import { isPlainObject } from '../core/plain-object.js';
import type { LoadContext } from './context.js';
import { INCLUDE_KEYWORDS } from './keywords.js';
import type { IncludeRole, TaskKeywords, TaskNode } from './model.js';
import { staticRoleName, type LoadedRole, type RoleOptions, type RoleRequest } from './roles.js';
import type { locateRole } from './role-search.js';
import { checkSchema, checkTemplates } from './checks.js';
import { applyKeywords, didYouMean, keywords, loopOf, wrap } from './task-keywords.js';
import { diagAt, keyNode, posOf, valueNode, type YamlSource } from '../core/yaml-source.js';
import { warning } from '../core/diagnostic.js';
import { parseKeyValues } from './free-form.js';

/**
 * What a role task needs of roles.ts, given by tasks.ts: roles.ts reads the role's task files
 * through tasks.ts, so loading a role is the recursive step passed in, not imported.
 */
export interface RoleLoader {
  readonly load: (ctx: LoadContext, req: RoleRequest, opts: Omit<RoleOptions, 'taskFiles'>) => LoadedRole | undefined;
  readonly locate: typeof locateRole;
}

export const ROLE_TASK_KEYS = ['import_role', 'include_role', 'ansible.builtin.import_role', 'ansible.builtin.include_role'];

/**
 * `include_role: name=x tasks_from=y` is Ansible's parse_kv form (and `role=` its alias of
 * `name`); a bare word is the role's name.
 */
function roleSpecOf(text: string): Record<string, unknown> {
  const kv = /^\s*[\w]+=/.test(text) ? parseKeyValues(text) : undefined;
  if (!kv?.ok) return { name: text };
  const { role, ...vars } = kv.vars;
  return role !== undefined && vars['name'] === undefined ? { ...vars, name: role } : vars;
}

/** `{role: x}` names the role as `{name: x}` does (Ansible 2.14: `args.get('name', args.get('role'))`). */
function withRoleAlias(spec: unknown): unknown {
  if (!isPlainObject(spec) || !('role' in spec)) return spec;
  const { role, ...rest } = spec;
  return { ...rest, name: rest['name'] ?? role };
}

export function parseRoleTask(
  ctx: LoadContext,
  src: YamlSource,
  node: YAMLMap,
  raw: Record<string, unknown>,
  baseDir: string,
  roles: RoleLoader,
): TaskNode | undefined {
  const key = ROLE_TASK_KEYS.find((k) => k in raw)!;
  const isImport = key.endsWith('import_role');
  const short = isImport ? 'import_role' : 'include_role';
  let ok = true;
  for (const k of Object.keys(raw)) {
    if (k === key) continue;
    const allowed =
      INCLUDE_KEYWORDS.has(k) &&
      !['include_tasks', 'import_tasks', 'args'].includes(k) &&
      !(isImport && /^(loop|loop_control|with_)/.test(k));
    if (!allowed) {
      const why = ROLE_TASK_KEYS.includes(k)
        ? 'a task includes one role'
        : isImport && /^(loop|with_)/.test(k)
          ? 'import_role cannot loop; use include_role'
          : `'${k}' cannot be used with ${short}${didYouMean(k, INCLUDE_KEYWORDS)}`;
      ctx.add(diagAt(src, keyNode(node, k), why));
      ok = false;
    }
  }
  const spec = typeof raw[key] === 'string' ? roleSpecOf(raw[key]) : withRoleAlias(raw[key]);
  if (isPlainObject(spec) && (typeof spec['name'] !== 'string' || spec['name'] === '')) {
    const at = valueNode(node, key) ?? keyNode(node, key);
    ctx.add(diagAt(src, isMap(at) ? (keyNode(at, 'name') ?? at) : at, `${short} needs 'name:' (the role to run)`));
    return undefined;
  }
  const { [key]: _drop, ...rest } = raw;
  void _drop;
  ok = checkSchema(ctx, src, node, { ...rest, [short]: spec }, 'playbook.json#/definitions/task') && ok;
  checkTemplates(ctx, src, node, []);
  if (!ok || !isPlainObject(spec)) {
    if (ok) ctx.add(diagAt(src, valueNode(node, key), `${short} needs a role: '${short}: NAME' or '${short}: {name: NAME}'`));
    return undefined;
  }
  const name = spec['name'];
  const at = (isMap(valueNode(node, key)) ? valueNode(valueNode(node, key), 'name') : valueNode(node, key)) ?? keyNode(node, key);
  if (typeof name !== 'string' || name === '') {
    ctx.add(diagAt(src, at, `${short} needs 'name:' (the role to run)`));
    return undefined;
  }
  const from = (k: string): string | undefined => (typeof spec[k] === 'string' ? (spec[k] as string) : undefined);
  const kw = keywords(ctx, src, node, raw);
  const noArgSpec = ansibleBoolean(spec['rolespec_validate']) === false;
  const templated =
    /\{\{|\{%/.test(name) || ['tasks_from', 'vars_from', 'defaults_from', 'handlers_from'].some((k) => /\{\{/.test(from(k) ?? ''));
  const request = {
    name,
    src,
    at,
    params: {},
    entryVars: {},
    ...opt('tasksFrom', from('tasks_from')),
    ...opt('varsFrom', from('vars_from')),
    ...opt('defaultsFrom', from('defaults_from')),
    ...opt('handlersFrom', from('handlers_from')),
    ...(noArgSpec ? { noArgSpec } : {}),
  };
  const playDir = ctx.playDir ?? baseDir;
  if (isImport) {
    if (templated) {
      // Ansible templates an import's role name when it loads the play (helpers.py: `ir._role_name = templar.template(...)`)
      const rendered = /\{\{|\{%/.test(name) ? staticRoleName(ctx, src, at, name) : name;
      if (rendered === undefined) return undefined;
      if (rendered !== name) request.name = rendered;
      if (/\{\{/.test(['tasks_from', 'vars_from', 'defaults_from', 'handlers_from'].map((k) => from(k) ?? '').join(''))) {
        ctx.add(diagAt(src, at, `import_role is static: its *_from file names cannot be templated; use include_role`));
        return undefined;
      }
    }
    const role = roles.load(ctx, request, { playDir, ...(ctx.currentRole ? { parent: ctx.currentRole } : {}), dedup: false });
    if (!role) return undefined;
    ctx.staticRoles.push(...role.scopes);
    ctx.roleHandlers.push(...role.handlers);
    return wrap(kw, role.nodes);
  }
  if (templated) ctx.unreadInclude = true;
  const where = templated ? undefined : roles.locate(ctx, name, playDir, ctx.currentRole);
  if (where && !where.path) {
    // dynamic, as in Ansible: a role not installed fails the host that reaches the task, not the playbook
    ctx.add(
      warning(
        posOf(src, at),
        `include_role: role '${name}' not found (looked in ${where.looked.join(', ')}); a host that reaches this task fails (install it, e.g. ansible-galaxy install -r requirements.yml)`,
      ),
    );
  } else if (!templated) {
    // check the role now; it is loaded again (per host) when the task is reached. The check
    // loads its dependencies on a copy of the applied set: the play has not run them yet
    const applied = ctx.appliedRoles;
    ctx.appliedRoles = new Set(applied);
    ctx.dynamic++;
    try {
      roles.load(ctx, request, { playDir, ...(ctx.currentRole ? { parent: ctx.currentRole } : {}), dedup: false });
    } finally {
      ctx.dynamic--;
      ctx.appliedRoles = applied;
    }
  }
  let apply: TaskKeywords | undefined;
  if (spec['apply'] !== undefined) {
    apply = applyKeywords(ctx, src, valueNode(valueNode(node, key), 'apply'), spec['apply'], 'include_role');
    if (!apply) return undefined;
  }
  const pub = spec['public'];
  const inc: IncludeRole = {
    kind: 'include_role',
    ...kw,
    role: name,
    baseDir: playDir,
    public: ansibleBoolean(pub) === true,
    ...(ansibleBoolean(spec['allow_duplicates']) === false ? { noDuplicates: true } : {}),
    ...(noArgSpec ? { noArgSpec } : {}),
    ...opt('tasksFrom', from('tasks_from')),
    ...opt('varsFrom', from('vars_from')),
    ...opt('defaultsFrom', from('defaults_from')),
    ...opt('handlersFrom', from('handlers_from')),
    ...(ctx.currentRole ? { parent: ctx.currentRole } : {}),
    ...loopOf(raw),
    ...(apply ? { apply } : {}),
  };
  return inc;
}

function opt<K extends string>(key: K, v: string | undefined): { [k in K]?: string } {
  return (v === undefined ? {} : { [key]: v }) as { [k in K]?: string };
}
