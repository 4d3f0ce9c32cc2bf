// The variables a task sees on a host, in Ansible's precedence order (lowest first):
// role defaults < inventory (group then host) < gathered facts < play vars (and vars_prompt) < vars_files
// < role vars < block vars < task vars < include_vars < set_fact / registered < role params < include params < extra vars;
// plus the magic variables (above -e, as Ansible; the host's own names sit with its inventory vars).
import { asWritten } from '../template/index.js';

export interface ScopeParts {
  readonly host: string;
  readonly functions: Readonly<Record<string, unknown>>;
  /** the play's static roles' defaults, then the current role's */
  readonly roleDefaults: readonly Readonly<Record<string, unknown>>[];
  /** the play's static roles' vars, then the current role's */
  readonly roleVars: readonly Readonly<Record<string, unknown>>[];
  readonly roleParams: Readonly<Record<string, unknown>>;
  readonly inventoryVars: Readonly<Record<string, unknown>>;
  /** inventory_hostname, group_names...: host variables in Ansible, so play vars and -e win over them */
  readonly hostMagic: Readonly<Record<string, unknown>>;
  readonly playVars: Readonly<Record<string, unknown>>;
  readonly varsFiles: Readonly<Record<string, unknown>>;
  /** block vars, outermost first, then task vars */
  readonly nested: readonly Readonly<Record<string, unknown>>[];
  readonly gathered: Readonly<Record<string, unknown>>;
  readonly includedVars: Readonly<Record<string, unknown>>;
  /** vars of include_tasks / include_role (Ansible's include params): above role params */
  readonly includeParams: readonly Readonly<Record<string, unknown>>[];
  readonly facts: Readonly<Record<string, unknown>>;
  readonly registered: Readonly<Record<string, unknown>>;
  readonly extraVars: Readonly<Record<string, unknown>>;
  readonly magic: Readonly<Record<string, unknown>>;
}

export function buildScope(p: ScopeParts): Record<string, unknown> {
  // Object.assign onto `{}`, not a spread then assigns: V8 builds a spread's object from a
  // literal's map, and adding the ~25 names after it cost ~10x the time and ~10 KB of garbage
  // a scope (one per host per task: the 500-host fleet's largest allocation)
  const scope: Record<string, unknown> = Object.assign({}, p.functions);
  for (const d of p.roleDefaults) Object.assign(scope, d);
  Object.assign(scope, p.inventoryVars, p.hostMagic, p.gathered, p.playVars, p.varsFiles);
  for (const v of p.roleVars) Object.assign(scope, v);
  for (const n of p.nested) Object.assign(scope, n);
  Object.assign(scope, p.includedVars, p.facts, p.registered, p.roleParams);
  for (const v of p.includeParams) Object.assign(scope, v);
  Object.assign(scope, p.extraVars, p.magic);
  scope['vars'] = varsView(scope, p.functions);
  return scope;
}

/**
 * Ansible's `vars`: every variable the task sees (`'x' in vars`, `vars[name]`), a read-only view
 * of the scope, its values as written: Ansible 2.14 hands templates the raw variables there
 * (`vars['a']` of `a: "{{ b }}"` is the text `{{ b }}`, nested values too; `lookup('vars', 'a')`
 * and `hostvars[host]['a']` render it); itself and the template functions (lookup, query) left
 * out, so printing it whole ends.
 */
function varsView(scope: Record<string, unknown>, functions: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
  const shown = (k: string | symbol): k is string => typeof k === 'string' && k !== 'vars' && !own(functions, k) && own(scope, k);
  return asWritten(
    new Proxy(Object.create(null) as Record<string, unknown>, {
      get: (_t, k) => (shown(k) ? scope[k] : undefined),
      has: (_t, k) => shown(k),
      ownKeys: () => Object.keys(scope).filter(shown),
      getOwnPropertyDescriptor: (_t, k) =>
        shown(k) ? { value: scope[k], enumerable: true, configurable: true, writable: false } : undefined,
      set: () => false,
      defineProperty: () => false,
      deleteProperty: () => false,
    }),
  );
}
