// What the loader needs to know about modules, without loading them: names, the
// Ansible modules we refuse, free-form arguments and argument schemas. The modules layer
// provides the implementation (modules/catalog.ts); the CLI passes it in.
import type { SchemaProblem } from '../schema/registry.js';

/**
 * Whether a task's module can run: built in (by its canonical name), through Ansible's own
 * module code (ansible-core on the controller; existence confirmed in one batch by
 * findAnsibleModules), a known Ansible module that cannot run here (and why), or unknown.
 */
export type ModuleVerdict =
  | { readonly kind: 'builtin'; readonly module: string }
  | { readonly kind: 'ansible'; readonly module: string }
  | { readonly kind: 'not-runnable'; readonly message: string }
  | { readonly kind: 'unknown' };

export interface ModuleCatalog {
  /** `ansible.builtin.command` → `command`; undefined when runbook has no such module */
  canonical(name: string): string | undefined;
  /** an Ansible module runbook does not implement (apt, yum, ...) */
  isAnsibleOnly(name: string): boolean;
  /** an ansible.builtin module of a newer ansible-core than 2.14 (deb822_repository: '2.15'): its version */
  newerCore?(name: string): string | undefined;
  /**
   * the name a task gives a built-in module to run it through Ansible's module code instead
   * (an argument the built-in one lacks); undefined without ansible-core on the controller
   */
  viaAnsible?(module: string): string | undefined;
  /** the one verdict on a module name; `dirs` are the library/ dirs Ansible would search */
  verdict(name: string, dirs: readonly string[]): ModuleVerdict;
  /** names verdict() sent to Ansible, looked up at once: undefined when found, else why not */
  findAnsibleModules(names: readonly string[], dirs: readonly string[]): Map<string, string | undefined>;
  names(): readonly string[];
  /** the argument a free-form string fills (`command: ls` → cmd), if the module takes one */
  freeForm(module: string): string | undefined;
  /** argument names the module accepts (for `k=v` free-form parsing) */
  argNames(module: string): readonly string[];
  /**
   * schema problems of the arguments; unless `strict` (after templating, at run time),
   * templated values are not type-checked
   */
  checkArgs(module: string, args: Record<string, unknown>, opts?: { strict?: boolean }): SchemaProblem[];
  /** argument names whose values are bare Jinja expressions (assert's `that`) */
  expressionArgs(module: string): readonly string[];
}
