// `include_role`: the role is found and loaded when the task is reached, per group of hosts
// that include the same role (its name and *_from may be templated; it may loop).
import type { IncludeRole } from '../playbook/model.js';
import { loadIncludedRole } from '../playbook/load-included.js';
import { wrap } from '../playbook/roles.js';
import { renderString } from '../template/index.js';
import { includeGroups, includeSite, showIncluded, withIncludeParams } from './include-groups.js';
import { failHost } from './host-changes.js';
import type { Inherited } from './keywords.js';
import type { PlayState } from './play-state.js';
import type { RunContext } from './run-context.js';

export async function runIncludeRole(
  ctx: RunContext,
  ps: PlayState,
  inc: IncludeRole,
  hosts: readonly string[],
  inh: Inherited,
): Promise<void> {
  // as Ansible's dynamic includes: the include's own keywords (ignore_errors, become, tags...) are
  // not the included tasks' (Task._get_parent_attribute skips a parent not statically loaded):
  // only its vars (include params) and `apply:` reach them
  const eff = withIncludeParams(inh, inc.vars);
  const fields = ['tasksFrom', 'varsFrom', 'defaultsFrom', 'handlersFrom'] as const;
  // the group key carries every templated field, NUL-separated
  const groups = includeGroups(ctx, ps, inc, hosts, eff, 'include_role', (scope) =>
    [inc.role, ...fields.map((f) => inc[f] ?? '')].map((v) => (v ? renderString(v, scope) : '')).join('\0'),
  );
  for (const g of groups) {
    const { name: key, vars: itemVars, hosts: group } = g;
    const [name, tasksFrom, varsFrom, defaultsFrom, handlersFrom] = key.split('\0') as [string, string, string, string, string];
    showIncluded(ctx, inc, eff, 'include_role', g); // the include's banner, once, before the role's tasks
    const loaded = loadIncludedRole(includeSite(ctx, ps, eff), {
      name,
      tasksFrom,
      varsFrom,
      defaultsFrom,
      handlersFrom,
      ...(inc.parent ? { parent: inc.parent } : {}),
      ...(inc.noArgSpec ? { noArgSpec: true } : {}),
    });
    if (!loaded.ok) {
      for (const h of group) failHost(ctx, h, `include_role '${name}': ${loaded.why}`, { task: 'include_role', pos: inc.pos });
      continue;
    }
    const role = loaded.value;
    // the role's handlers join the play's (once per role)
    for (const h of role.handlers) {
      if (!ps.handlers.some((x) => x.pos.file === h.pos.file && x.pos.line === h.pos.line && x.role?.path === h.role?.path))
        ps.handlers.push(h);
    }
    if (inc.public) {
      for (const s of role.scopes) {
        Object.assign(ps.exported.defaults, s.defaults);
        Object.assign(ps.exported.vars, s.exportedVars);
      }
    }
    const nodes = inc.apply ? [wrap(inc.apply, role.nodes)] : role.nodes;
    // allow_duplicates: false — a host that already ran the role in this play skips it (Ansible's Role.has_run)
    const path = role.scopes[role.scopes.length - 1]?.path;
    const runOn = inc.noDuplicates && path ? group.filter((h) => !ps.rolesRun.get(h)?.has(path)) : group;
    await ps.strategy.runNodes(ctx, ps, nodes, runOn, itemVars ? withIncludeParams(eff, itemVars) : eff);
  }
}
