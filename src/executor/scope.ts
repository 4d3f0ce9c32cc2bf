// The variables a task sees on a host, in Ansible's precedence order (lowest first):
// role defaults < inventory (group then host) < gathered facts < play vars (and vars_prompt) < vars_files
// < role vars < block vars < task vars < include_vars < set_fact / registered < role params < include params < extra vars;
// plus the magic variables (above -e, as Ansible; the host's own names sit with its inventory vars).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { templateFunction, renderString } from '../template/index.js';
import type { Scope } from '../template/index.js';

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
  const scope: Record<string, unknown> = { ...p.functions };
  for (const d of p.roleDefaults) Object.assign(scope, d);
  Object.assign(scope, p.inventoryVars, p.hostMagic, p.gathered, p.playVars, p.varsFiles);
  for (const v of p.roleVars) Object.assign(scope, v);
  for (const n of p.nested) Object.assign(scope, n);
  Object.assign(scope, p.includedVars, p.facts, p.registered, p.roleParams);
  for (const v of p.includeParams) Object.assign(scope, v);
  Object.assign(scope, p.extraVars, p.magic);
  return scope;
}

/** `lookup('env', 'HOME')`, `lookup('file', 'x')`, `lookup('template', 'x.j2')`, `query(...)`. */
export function lookupFunctions(baseDirs: readonly string[], getScope: () => Scope): Record<string, unknown> {
  const lookup = (asList: boolean) =>
    templateFunction((args: unknown[], kwargs: Record<string, unknown>) => {
      const plugin = String(args[0]).replace(/^ansible\.builtin\./, '');
      // items flattens its terms one level (with_items); list returns them as given
      if (plugin === 'items') return args.slice(1).flatMap((t) => (Array.isArray(t) ? t : [t]));
      if (plugin === 'list') return args.length === 2 && Array.isArray(args[1]) ? args[1] : args.slice(1);
      const terms = args.slice(1).map(String);
      const values = terms.map((t): unknown => {
        switch (plugin) {
          case 'env':
            return process.env[t] ?? (kwargs['default'] !== undefined ? kwargs['default'] : '');
          case 'file':
            return readFileSync(resolveFirst(baseDirs, ['files', '.'], t), 'utf8').replace(/\n$/, '');
          case 'template':
            return renderString(readFileSync(resolveFirst(baseDirs, ['templates', '.'], t), 'utf8'), getScope());
          case 'vars': {
            const scope = getScope();
            if (Object.hasOwn(scope, t)) return scope[t];
            if (kwargs['default'] !== undefined) return kwargs['default'];
            throw new Error(`No variable named '${t}' (lookup('vars', ...); give default= for a fallback)`);
          }
          default:
            throw new Error(`lookup plugin '${plugin}' is not supported (supported: env, file, template, vars, items, list)`);
        }
      });
      if (asList) return values.flat();
      return values.length === 1 ? values[0] : values.map(String).join(',');
    });
  return { lookup: lookup(false), query: lookup(true), q: lookup(true) };
}

function resolveFirst(baseDirs: readonly string[], dirs: string[], name: string): string {
  for (const base of baseDirs) {
    for (const d of dirs) {
      const p = resolve(base, d, name);
      if (existsSync(p) && statSync(p).isFile()) return p;
    }
  }
  return resolve(baseDirs[baseDirs.length - 1] ?? '.', name);
}
