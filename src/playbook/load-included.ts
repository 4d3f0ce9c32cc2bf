// What an include_tasks or include_role brings, read when a running play reaches it (Ansible
// reads dynamic includes only then). The executor says where the play stands and gets the
// tasks or the role, or one line saying why not; how a loader is set up stays in this layer.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderDiagnostic } from '../core/diagnostic.js';
import type { ModuleCatalog } from './catalog.js';
import { LoadContext } from './context.js';
import type { RoleScope, TaskNode } from './model.js';
import { loadRole, type LoadedRole } from './roles.js';
import { loadTaskFile, resolveTaskFile, TASK_FILES } from './tasks.js';
import { parseYaml, type YamlSource } from '../core/yaml-source.js';

/** Where a running play stands when it reaches an include. */
export interface IncludeSite {
  readonly catalog: ModuleCatalog;
  /** where the command was run: files are named relative to it in messages */
  readonly cwd: string;
  readonly rolesPath: readonly string[];
  readonly collectionsPath: readonly string[];
  /** the playbook: messages about the include itself name it (there is nothing to re-read) */
  readonly playbookFile: string;
  readonly playDir: string;
  /** the role the include sits in (include_role looks beside it first) */
  readonly role: RoleScope | undefined;
  /** the play's `collections:` (short role names are looked for there first) */
  readonly collections?: readonly string[];
  /** roles the play applied so far, shared: a dependency already run is not run again */
  readonly appliedRoles: Set<string>;
}

export type Included<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly why: string };

/** include_role's request, its name and *_from already templated ('' or absent: not given). */
export interface IncludedRoleRequest {
  readonly name: string;
  readonly tasksFrom?: string;
  readonly varsFrom?: string;
  readonly defaultsFrom?: string;
  readonly handlersFrom?: string;
  /** the role the include_role was written in (its dependencies' parent) */
  readonly parent?: RoleScope;
  /** rolespec_validate: false — no implicit argument-spec task */
  readonly noArgSpec?: boolean;
}

/** include_tasks: `file` as written (templated), found beside `baseDir` or in its tasks/. */
export function loadIncludedTasks(site: IncludeSite, baseDir: string, file: string): Included<TaskNode[]> {
  const abs = resolveTaskFile(baseDir, file, undefined, site.role?.path);
  // Ansible's words, naming the file as its last search place names it (the playbook's directory)
  if (!existsSync(abs)) return { ok: false, why: `Could not find or access '${resolve(site.playDir, file)}' on the Ansible Controller.` };
  const { lc, src } = loader(site);
  const tasks = loadTaskFile(lc, src, undefined, abs, file);
  lc.confirmAnsibleModules();
  if (!tasks || lc.diagnostics.some((d) => d.severity === 'error')) {
    return { ok: false, why: lc.diagnostics.map((d) => renderDiagnostic(d, false)).join('; ') || `cannot load '${file}'` };
  }
  return { ok: true, value: tasks };
}

/** include_role: the role found from the play's directory and roles path, loaded with its dependencies. */
export function loadIncludedRole(site: IncludeSite, req: IncludedRoleRequest): Included<LoadedRole> {
  const { lc, src } = loader(site);
  const request = {
    name: req.name,
    src,
    at: undefined,
    params: {},
    entryVars: {},
    ...(req.tasksFrom ? { tasksFrom: req.tasksFrom } : {}),
    ...(req.varsFrom ? { varsFrom: req.varsFrom } : {}),
    ...(req.defaultsFrom ? { defaultsFrom: req.defaultsFrom } : {}),
    ...(req.handlersFrom ? { handlersFrom: req.handlersFrom } : {}),
    ...(req.noArgSpec ? { noArgSpec: true } : {}),
  };
  const role = loadRole(lc, request, {
    playDir: site.playDir,
    ...(req.parent ? { parent: req.parent } : {}),
    dedup: false,
    taskFiles: TASK_FILES,
  });
  lc.confirmAnsibleModules();
  if (!role || lc.diagnostics.some((d) => d.severity === 'error')) {
    const why = lc.diagnostics
      .filter((d) => d.severity === 'error')
      .map((d) => renderDiagnostic(d, false).replace(/^[^:]+:\d+:\d+: /, ''))
      .join('; ');
    return { ok: false, why: why || `cannot load role '${req.name}'` };
  }
  return { ok: true, value: role };
}

function loader(site: IncludeSite): { lc: LoadContext; src: YamlSource } {
  const lc = new LoadContext(site.catalog, site.cwd, site.rolesPath, site.collectionsPath);
  lc.playDir = site.playDir;
  lc.currentRole = site.role;
  lc.playCollections = site.collections ?? [];
  lc.appliedRoles = site.appliedRoles;
  // what an include brings runs only on the hosts that reached it, task by task: as in Ansible, a
  // task it cannot run (an argument error, a module not here) fails the host that gets to it, not the include
  lc.guards.push('the include is reached');
  return { lc, src: parseYaml(lc.display(site.playbookFile), '').source };
}
