// `include_role`: the role is found and loaded when the task is reached, per group of hosts
// that include the same role (its name and *_from may be templated; it may loop).
import { renderDiagnostic } from '../core/diagnostic.js';
import type { IncludeRole } from '../playbook/model.js';
import { loadRole, wrap } from '../playbook/roles.js';
import { renderString } from '../template/index.js';
import { failHost, includeGroups, runtimeLoader, withIncludeParams } from './include-groups.js';
import type { Inherited } from './keywords.js';
import { runNodes, type PlayState } from './nodes.js';
import type { RunContext } from './run-context.js';

export async function runIncludeRole(ctx: RunContext, ps: PlayState, inc: IncludeRole, hosts: readonly string[], inh: Inherited): Promise<void> {
  // as Ansible's dynamic includes: the include's own keywords (ignore_errors, become, tags...) are
  // not the included tasks' (Task._get_parent_attribute skips a parent not statically loaded):
  // only its vars (include params) and `apply:` reach them
  const eff = withIncludeParams(inh, inc.vars);
  const fields = ['tasksFrom', 'varsFrom', 'defaultsFrom', 'handlersFrom'] as const;
  // the group key carries every templated field, NUL-separated
  const groups = includeGroups(ctx, ps, inc, hosts, eff, 'include_role', (scope) =>
    [inc.role, ...fields.map((f) => inc[f] ?? '')].map((v) => (v ? renderString(v, scope) : '')).join('\0'));
  for (const { name: key, vars: itemVars, hosts: group } of groups) {
    const [name, tasksFrom, varsFrom, defaultsFrom, handlersFrom] = key.split('\0') as [string, string, string, string, string];
    const { lc, src } = runtimeLoader(ctx, ps, eff);
    const request = {
      name, src, at: undefined, params: {}, entryVars: {},
      ...(tasksFrom ? { tasksFrom } : {}), ...(varsFrom ? { varsFrom } : {}),
      ...(defaultsFrom ? { defaultsFrom } : {}), ...(handlersFrom ? { handlersFrom } : {}),
      ...(inc.noArgSpec ? { noArgSpec: true } : {}),
    };
    const role = loadRole(lc, request, { playDir: ps.play.dir, ...(inc.parent ? { parent: inc.parent } : {}), dedup: false });
    lc.confirmAnsibleModules();
    if (!role || lc.diagnostics.some((d) => d.severity === 'error')) {
      const why = lc.diagnostics.filter((d) => d.severity === 'error').map((d) => renderDiagnostic(d, false).replace(/^[^:]+:\d+:\d+: /, '')).join('; ') || `cannot load role '${name}'`;
      for (const h of group) failHost(ctx, h, `include_role '${name}': ${why}`, { task: 'include_role', pos: inc.pos });
      continue;
    }
    // the role's handlers join the play's (once per role)
    for (const h of role.handlers) {
      if (!ps.handlers.some((x) => x.pos.file === h.pos.file && x.pos.line === h.pos.line && x.role?.path === h.role?.path)) ps.handlers.push(h);
    }
    if (inc.public) {
      for (const s of role.scopes) {
        Object.assign(ps.exported.defaults, s.defaults);
        Object.assign(ps.exported.vars, s.exportedVars);
      }
    }
    const nodes = inc.apply ? [wrap(inc.apply, role.nodes)] : role.nodes;
    await runNodes(ctx, ps, nodes, group, itemVars ? withIncludeParams(eff, itemVars) : eff);
  }
}
