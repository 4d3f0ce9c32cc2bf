// The variable scope of one host for one task, with Ansible's magic variables.
import { dirname, isAbsolute, join } from 'node:path';
import { groupsMap, groupsOf, hostVars, selectHosts } from '../inventory/index.js';
import { asWritten, lazyValue, renderDeep } from '../template/index.js';
import { buildScope } from './scope.js';
import { lookupFunctions } from './lookups.js';
import type { Inherited } from './keywords.js';
import type { PlayState } from './play-state.js';
import type { RunContext } from './run-context.js';
import { statusVersion } from './state.js';

const inventoryCache = new WeakMap<object, Map<string, Record<string, unknown>>>();
/** per inventory object: `groups` and each host's `group_names`, computed once (a fleet's
 * every scope used to walk every group: O(hosts²) a task), copied into each scope */
const groupsCache = new WeakMap<object, { groups: Record<string, string[]>; groupNames: Map<string, string[]> }>();

function groupsOfRun(ctx: RunContext): { groups: Record<string, string[]>; groupNames: Map<string, string[]> } {
  let g = groupsCache.get(ctx.inventory);
  if (!g) {
    g = { groups: groupsMap(ctx.inventory), groupNames: new Map() };
    groupsCache.set(ctx.inventory, g);
  }
  return g;
}

/** `groups` as one scope sees it: the cached lists, copied (a template or module may keep what it got) */
function copyGroups(groups: Readonly<Record<string, readonly string[]>>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(groups)) out[k] = v.slice();
  return out;
}

/** The hosts of `list` still active: one filter per list while no host's status changes (never mutated: copy before handing out). */
const activeCache = new WeakMap<readonly string[], { version: number; states: RunContext['states']; hosts: readonly string[] }>();

function activeOf(ctx: RunContext, list: readonly string[]): readonly string[] {
  const version = statusVersion();
  let hit = activeCache.get(list);
  if (!hit || hit.version !== version || hit.states !== ctx.states) {
    hit = { version, states: ctx.states, hosts: list.filter((h) => ctx.states.get(h)?.active !== false) };
    activeCache.set(list, hit);
  }
  return hit.hosts;
}

/**
 * A list of hosts (or of group lists) as a scope holds it: taken now, copied on the scope's
 * first read. A scope is made per host per task and most tasks read none of these; copying
 * each eagerly was O(hosts) of garbage a scope, O(hosts²) a task (the 500-host fleet's GC).
 */
function copiedOnRead<T>(value: T, copy: (v: T) => unknown): unknown {
  return lazyValue(() => copy(value));
}

function groupNamesOf(ctx: RunContext, host: string): string[] {
  const names = groupsOfRun(ctx).groupNames;
  let v = names.get(host);
  if (!v) names.set(host, (v = groupsOf(ctx.inventory, host)));
  return v.slice();
}

/** Inventory variables of a host (cached per inventory object until invalidated). */
export function inventoryVarsOf(ctx: RunContext, host: string): Record<string, unknown> {
  let cache = inventoryCache.get(ctx.inventory);
  if (!cache) {
    cache = new Map();
    inventoryCache.set(ctx.inventory, cache);
  }
  let v = cache.get(host);
  if (!v) {
    v = ctx.inventory.hosts.has(host) ? hostVars(ctx.inventory, host) : {};
    cache.set(host, v);
  }
  return v;
}

export function invalidateInventoryCache(ctx: RunContext): void {
  inventoryCache.delete(ctx.inventory);
  groupsCache.delete(ctx.inventory);
}

/**
 * The Ansible whose semantics runbook follows: role-entry `vars:` are the role's own as since
 * ansible-core 2.15 (docs/ansible-compatibility.md), so roles asserting `>= 2.15` run.
 */
export const ANSIBLE_VERSION = Object.freeze({ full: '2.15.0', major: 2, minor: 15, revision: 0, string: '2.15.0 (runbook)' });

export function hostScope(
  ctx: RunContext,
  ps: PlayState,
  host: string,
  inh: Inherited,
  taskVars?: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const s = ctx.states.get(host);
  const hosts = (list: readonly string[]): unknown => copiedOnRead(list, (l) => l.slice());
  const batch = activeOf(ctx, ps.batch);
  let scope: Record<string, unknown> = {};
  const source = ctx.inventory.hosts.get(host)?.source;
  const hostMagic = {
    inventory_hostname: host,
    inventory_hostname_short: host.split('.')[0],
    group_names: groupNamesOf(ctx, host),
    // as Ansible's InventoryData.add_host: the source the host was first met in; a host list's
    // dir is the text 'None' (2.14's basedir() gives to_text(None))
    ...(source !== undefined ? { inventory_file: source, inventory_dir: isAbsolute(source) ? dirname(source) : 'None' } : {}),
  };
  const magic: Record<string, unknown> = {
    groups: copiedOnRead(groupsOfRun(ctx).groups, copyGroups),
    hostvars: hostvarsView(ctx),
    play_hosts: hosts(batch),
    ansible_play_batch: hosts(batch),
    ansible_play_hosts: hosts(activeOf(ctx, ps.playHosts)),
    ansible_play_hosts_all: hosts(ps.playHosts),
    ansible_play_name: ps.play.name,
    ansible_play_role_names: [...ps.play.roleNames.play],
    role_names: [...ps.play.roleNames.play], // the older name, still set by 2.14
    ansible_dependent_role_names: [...ps.play.roleNames.dependent],
    ansible_role_names: [...new Set([...ps.play.roleNames.play, ...ps.play.roleNames.dependent])],
    playbook_dir: ps.play.dir, // an imported playbook's own directory, as Ansible
    ansible_check_mode: ctx.options.check,
    ansible_diff_mode: ctx.options.diff,
    ansible_version: ANSIBLE_VERSION,
    ansible_verbosity: ctx.options.verbosity ?? 0,
    // ansible-playbook's options variables (utils/vars.py load_options_vars): ['all'] without --tags
    ansible_run_tags: ctx.options.tags.only.length ? [...new Set(ctx.options.tags.only)] : ['all'],
    ansible_skip_tags: [...new Set(ctx.options.tags.skip)],
    ansible_forks: ctx.options.forks,
    ...(ctx.options.limit !== undefined ? { ansible_limit: ctx.options.limit } : {}),
    // the header line roles put at the top of generated files (`# {{ ansible_managed }}`)
    ansible_managed: 'Managed by runbook: local changes will be overwritten',
    omit: ctx.omit,
    ...(inh.role
      ? {
          role_path: inh.role.path,
          role_name: inh.role.name,
          ansible_role_name: inh.role.fqcn ?? inh.role.name,
          ansible_collection_name: inh.role.fqcn?.split('.').slice(0, 2).join('.') ?? null, // None outside a collection, as 2.14
          // set only for a role brought by include_role/import_role inside another, as 2.14
          ...(inh.role.parents.length > 0 ? { ansible_parent_role_names: inh.role.parents } : {}),
        }
      : {}),

    ...(inh.inRescue && s?.failedTask ? { ansible_failed_task: s.failedTask, ansible_failed_result: s.failedResult ?? {} } : {}),
  };
  scope = buildScope({
    host,
    // lookup/query/q sit below every variable: a variable named q wins, as a Jinja global would
    functions: lookupFunctions({
      // Ansible's ansible_search_path for a role's task: the role, the task's directory (its tasks/), then the playbook's
      baseDirs: inh.role ? [inh.role.path, join(inh.role.path, 'tasks'), ps.play.dir] : [ps.play.dir],
      getScope: () => scope,
      hosts: (p) => selectHosts(ctx.inventory, p),
    }),
    roleDefaults: inh.role ? [ps.play.roleDefaults, ps.exported.defaults, inh.role.defaults] : [ps.play.roleDefaults, ps.exported.defaults],
    roleVars: inh.role ? [ps.play.roleVars, ps.exported.vars, inh.role.vars] : [ps.play.roleVars, ps.exported.vars],
    roleParams: inh.role?.params ?? {},
    inventoryVars: inventoryVarsOf(ctx, host),
    hostMagic,
    playVars: ps.play.vars,
    varsFiles: ps.varsFiles.get(host) ?? {},
    nested: taskVars ? [...inh.vars, taskVars] : inh.vars,
    gathered: gatheredOf(s),
    includedVars: s?.includedVars ?? {},
    includeParams: inh.includeParams ?? [],
    facts: s?.facts ?? {},
    registered: s?.registered ?? {},
    extraVars: ctx.options.extraVars,
    magic,
  });
  return scope;
}

/** A host's facts; `ansible_facts` is there, `{}`, before any are gathered and after `meta: clear_facts` (as Ansible's). */
function gatheredOf(s: { readonly gathered: Readonly<Record<string, unknown>> } | undefined): Record<string, unknown> {
  return { ansible_facts: {}, ...(s?.gathered ?? {}) };
}

/**
 * `hostvars[name]`: every inventory host's variables with its facts and registered results.
 * Each host's values are templated against *that* host's variables (as Ansible does), lazily:
 * the value is computed only when a template reads `hostvars[name]`, once per scope. The view
 * itself is built lazily too: a scope is made per host per task, and a view of a fleet's 500
 * hosts in each was O(hosts²) a task; a host's entry appears when it is read, and all of them,
 * in inventory order, when the view is listed.
 */
function hostvarsView(ctx: RunContext): Record<string, unknown> {
  const target: Record<string, unknown> = {};
  const hosts = ctx.inventory.hosts;
  const fill = (k: string | symbol): void => {
    if (typeof k === 'string' && hosts.has(k) && !Object.prototype.hasOwnProperty.call(target, k))
      target[k] = lazyValue(() => hostvarsOf(ctx, k));
  };
  return new Proxy(target, {
    get(t, k, r) {
      fill(k);
      return Reflect.get(t, k, r) as unknown;
    },
    has(t, k) {
      fill(k);
      return Reflect.has(t, k);
    },
    getOwnPropertyDescriptor(t, k) {
      fill(k);
      return Reflect.getOwnPropertyDescriptor(t, k);
    },
    ownKeys(t) {
      for (const name of hosts.keys()) fill(name);
      return [...hosts.keys()].filter((k) => Object.prototype.hasOwnProperty.call(t, k));
    },
  });
}

/** One host's `hostvars[name]` entry: its variables templated against its own. */
export function hostvarsOf(ctx: RunContext, name: string): Record<string, unknown> {
  const s = ctx.states.get(name);
  const raw: Record<string, unknown> = {
    ...inventoryVarsOf(ctx, name),
    ...gatheredOf(s),
    ...(s?.includedVars ?? {}),
    ...(s?.facts ?? {}),
    ...(s?.registered ?? {}),
  };
  // the lookups too: a host's value may be `{{ lookup('env', ...) }}` (Ansible's hostvars templar has them)
  const own: Record<string, unknown> = {
    ...lookupFunctions({ baseDirs: [ctx.playbook.dir], getScope: () => own, hosts: (p) => selectHosts(ctx.inventory, p) }),
    ...raw,
    ...ctx.options.extraVars,
    inventory_hostname: name,
    inventory_hostname_short: name.split('.')[0],
    group_names: groupNamesOf(ctx, name),
    groups: copyGroups(groupsOfRun(ctx).groups),
  };
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    try {
      values[k] = renderDeep(v, own);
    } catch {
      values[k] = v; // a value that cannot be rendered in isolation is shown as written
    }
  }
  // rendered here, against that host's own variables: a template reads them as they are (one left
  // unrendered, `{{ undefined_var }}-x`, stays text, as Ansible's hostvars with fail_on_undefined off)
  return asWritten({ ...values, inventory_hostname: name, inventory_hostname_short: name.split('.')[0], group_names: own['group_names'] });
}
