// The module catalog the loader and the CLI use: names, free-form arguments, argument names
// and expression arguments come from a static table generated from schemas/modules/ (no module
// code, no schema file is read at start-up); the argument schemas themselves are read on the
// first checkArgs.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ModuleCatalog, ModuleVerdict } from '../playbook/catalog.js';
import { validateWith, type SchemaProblem } from '../schema/registry.js';
import { suggest } from '../core/suggest.js';
import type { Module } from './types.js';
import { isAnsibleOnly, newerCoreModule } from './ansible-only.js';
import { load } from './registry.js';
import { table } from '../core/table.js';
import { CATALOG_ENTRIES } from './generated/catalog.js';
import { nullsResolved } from './arguments.js';
import { ansibleCore, resolveModules } from './ansible/controller.js';
import { ansibleModule, NO_ANSIBLE } from './ansible/module.js';

export interface CatalogEntry {
  /** every argument the schema declares (its properties, in order) */
  readonly args: readonly string[];
  /** x-free-form: the argument that takes the free-form text */
  readonly freeForm?: string;
  /** x-expression-args: arguments holding bare Jinja expressions */
  readonly expressionArgs?: readonly string[];
  /** additionalProperties is a schema: accepts arbitrary other keys (set_fact variables, add_host host vars) */
  readonly open?: boolean;
}

/** Generated from schemas/modules/*.json (scripts/gen-types.mjs): the schema is the one declaration. */
export const CATALOG = table(CATALOG_ENTRIES);

/** Other names of runbook modules (Ansible's newer or older names). */
const ALIASES: Readonly<Record<string, string>> = table({ systemd_service: 'systemd', 'ansible.posix.synchronize': 'synchronize' });

const PREFIXES = ['ansible.builtin.', 'ansible.legacy.'];

export function canonicalName(name: string): string | undefined {
  let n = name;
  for (const p of PREFIXES) if (n.startsWith(p)) n = n.slice(p.length);
  n = ALIASES[n] ?? n;
  return Object.prototype.hasOwnProperty.call(CATALOG, n) ? n : undefined;
}

function isTemplated(v: unknown): boolean {
  return typeof v === 'string' && /\{[{%]/.test(v);
}

/** true when the value at `path`, or any value on the way there, is a template string. */
function templatedAlong(root: unknown, path: readonly (string | number)[]): boolean {
  let cur = root;
  for (const seg of path) {
    if (isTemplated(cur)) return true;
    if (cur && typeof cur === 'object') cur = (cur as Record<string | number, unknown>)[seg];
    else return false;
  }
  return isTemplated(cur);
}

export function checkModuleArgs(module: string, args: Record<string, unknown>, opts: { strict?: boolean } = {}): SchemaProblem[] {
  const entry = CATALOG[module];
  if (!entry) return [];
  const nulls = nullsResolved(module, args);
  const problems = validateWith(`modules/${module}.json`, nulls.args);
  if (problems === undefined) return [{ path: [], atKey: false, message: `no argument schema for module '${module}'` }];
  const out: SchemaProblem[] = nulls.problems.map((p) => ({ path: [p.arg], atKey: false, message: p.message }));
  for (const p of problems) {
    if (!opts.strict && !p.atKey && templatedAlong(args, p.path)) continue;
    if (p.atKey && p.path.length === 1 && /^unknown key '/.test(p.message)) {
      const key = String(p.path[0]);
      const near = suggest(key, entry.args);
      out.push({
        ...p,
        message: `unknown argument '${key}'${near ? ` (did you mean '${near}'?)` : ` (arguments: ${entry.args.join(', ')})`}`,
      });
      continue;
    }
    out.push(p);
  }
  return out;
}

/** A module file in a library/ dir (any extension: Ansible also runs scripts and binaries). */
function inLibrary(name: string, dirs: readonly string[]): boolean {
  return !name.includes('/') && dirs.some((d) => ['.py', '', '.sh', '.ps1'].some((ext) => existsSync(join(d, name + ext))));
}

/**
 * The one place that says whether a module can run (playbook/catalog.ts ModuleVerdict). Only a
 * name runbook does not build in looks for ansible-core, so built-in playbooks never start Python.
 */
export function moduleVerdict(name: string, dirs: readonly string[]): ModuleVerdict {
  const canon = canonicalName(name);
  if (canon) return { kind: 'builtin', module: canon };
  if (!/^[A-Za-z_][\w.]*$/.test(name)) return { kind: 'unknown' };
  if (ansibleCore()) return { kind: 'ansible', module: name };
  if (isAnsibleOnly(name) || inLibrary(name, dirs)) return { kind: 'not-runnable', message: NO_ANSIBLE(name) };
  return { kind: 'unknown' };
}

export function findAnsibleModules(names: readonly string[], dirs: readonly string[]): Map<string, string | undefined> {
  const core = ansibleCore();
  const out = new Map<string, string | undefined>();
  if (!core) {
    for (const n of names) out.set(n, NO_ANSIBLE(n));
    return out;
  }
  for (const [n, r] of resolveModules(core, names, dirs)) {
    if (!r.ok) out.set(n, r.why);
    else if (r.action) out.set(n, `it needs Ansible's controller-side action plugin (${r.action}), which runbook does not run`);
    else out.set(n, undefined);
  }
  return out;
}

/**
 * A module runbook builds in, run through Ansible's module code instead: its task names an
 * argument the built-in one does not take (`apt: deb`, `file: attributes`).
 */
const VIA_ANSIBLE = 'ansible-core:';

/**
 * Built-in modules that are not ansible.builtin ones, so there is no Ansible module code of that
 * name to fall back to: runbook's own etcd_* and synchronize (ansible.posix's, whose action plugin
 * is the built-in module and whose every argument its schema declares). An unknown argument of
 * these is an unknown argument.
 */
const noBuiltinFallback = (module: string): boolean => module.startsWith('etcd_') || module === 'synchronize';

export function moduleCatalog(): ModuleCatalog {
  return {
    canonical: canonicalName,
    viaAnsible: (module) => (ansibleCore() && !noBuiltinFallback(module) ? `${VIA_ANSIBLE}ansible.builtin.${module}` : undefined),
    verdict: moduleVerdict,
    findAnsibleModules,
    isAnsibleOnly: (name) => canonicalName(name) === undefined && isAnsibleOnly(name),
    newerCore: newerCoreModule,
    names: () => Object.keys(CATALOG),
    freeForm: (module) => CATALOG[module]?.freeForm,
    argNames: (module) => CATALOG[module]?.args ?? [],
    checkArgs: checkModuleArgs,
    expressionArgs: (module) => CATALOG[module]?.expressionArgs ?? [],
  };
}

/** The implementation of a module: a built-in one imported on first use, else Ansible's module code. */
export async function loadModule(name: string): Promise<Module> {
  if (name.startsWith(VIA_ANSIBLE)) return ansibleModule(name.slice(VIA_ANSIBLE.length));
  const canon = canonicalName(name);
  if (canon) return load(canon);
  // the loader let it through: ansible-core found it (or, without ansible-core, the run says so)
  return ansibleModule(name);
}
