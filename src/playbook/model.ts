// The loaded, validated playbook. Values are kept as written (templates are rendered per
// host at run time); every node carries where it came from.
import type { SourcePos } from '../core/source.js';
import type { InheritedScalars, LOOP_KEYWORDS } from './generated/keywords.js';

/**
 * Keywords shared by tasks, blocks and includes that the executor inherits downwards: the
 * scalars (become, timeout, throttle...) are declared once, in schemas/playbook.json
 * x-inherited-scalars (generated InheritedScalars); when, tags, vars and environment accumulate.
 */
export interface TaskKeywords extends InheritedScalars {
  readonly name?: string;
  readonly when: readonly (string | boolean)[];
  readonly tags: readonly string[];
  readonly vars: Readonly<Record<string, unknown>>;
  readonly environment?: unknown;
  readonly pos: SourcePos;
}

export interface Loop {
  /** list or template string; with_dict/with_nested are normalised to their list form at run time */
  readonly items: unknown;
  /** the loop keyword written (schemas/playbook.json); with_community.general.flattened is with_flattened */
  readonly style: Exclude<(typeof LOOP_KEYWORDS)[number], 'with_community.general.flattened'>;
  readonly loopVar: string;
  readonly indexVar?: string;
  readonly label?: string;
  /** seconds between items: a number, or a template rendered when the loop starts (Ansible's float field) */
  readonly pauseSeconds?: number | string;
}

export interface Task extends TaskKeywords {
  readonly kind: 'task';
  /** canonical module name (`command`, never `ansible.builtin.command`) */
  readonly module: string;
  /** the module's name as written when it differs from `module` (`ansible.builtin.command`): an unnamed task's banner, `ansible_failed_task.action` */
  readonly action?: string;
  /** merged arguments: free-form → its argument, k=v tokens, `args:` */
  readonly args: Readonly<Record<string, unknown>>;
  readonly register?: string;
  readonly loop?: Loop;
  readonly retries?: number | string;
  readonly until?: readonly (string | boolean)[];
  readonly delay?: number | string;
  readonly failedWhen?: readonly (string | boolean)[];
  readonly changedWhen?: readonly (string | boolean)[];
  readonly notify: readonly string[];
  /** handlers only */
  readonly listen: readonly string[];
  readonly file: string;
  /** handlers of a role: run with the role's variables, notified as 'name' or 'role : name' */
  readonly role?: RoleScope;
  /** handlers only: an include_tasks handler; notified, it runs this include (module 'include_tasks') */
  readonly include?: IncludeTasks;
  /** with delegate_to: the facts it sets belong to the delegated host */
  readonly delegateFacts?: boolean | string;
  /** `async:` seconds and `poll:` (0: in the background, see executor/async-task.ts) */
  readonly async?: number | string;
  readonly poll?: number | string;
}

export interface Block extends TaskKeywords {
  readonly kind: 'block';
  readonly block: readonly TaskNode[];
  readonly rescue: readonly TaskNode[];
  readonly always: readonly TaskNode[];
  /** the block holds a role's tasks: they see its defaults, vars and params */
  readonly role?: RoleScope;
  /** the block stands for an import_tasks (its keywords apply to each imported task) */
  readonly fromImport?: boolean;
}

/** What a role's tasks and handlers see of the role (Ansible's precedence levels). */
export interface RoleScope {
  readonly name: string;
  /** NS.COLL.ROLE for a role of a collection (Ansible's banner `TASK [ns.coll.role : …]`, `ansible_role_name`), else the name */
  readonly fqcn?: string;
  /** absolute path of the role directory (`role_path`) */
  readonly path: string;
  /** defaults/main.yml of its dependencies, of the roles that pulled it in (chainDefaults), then its own (lowest precedence) */
  readonly defaults: Readonly<Record<string, unknown>>;
  /** the defaults files of the roles that pulled it in, outermost first, then its own: what a role it pulls in sees (Ansible's dep chain) */
  readonly chainDefaults: Readonly<Record<string, unknown>>;
  /** the including roles' vars, its dependencies', the entry's `vars:`, then vars/main.yml */
  readonly vars: Readonly<Record<string, unknown>>;
  /** what the play sees of it (vars/main.yml of it and its dependencies, not the entry's vars) */
  readonly exportedVars: Readonly<Record<string, unknown>>;
  /** role params (keys of a `roles:` entry that are not keywords): above set_fact */
  readonly params: Readonly<Record<string, unknown>>;
  /** names of the roles that pulled this one in, nearest first */
  readonly parents: readonly string[];
}

/** `include_role`: the role is loaded when reached (its name may be templated). */
export interface IncludeRole extends TaskKeywords {
  readonly kind: 'include_role';
  readonly role: string;
  readonly tasksFrom?: string;
  readonly varsFrom?: string;
  readonly defaultsFrom?: string;
  readonly handlersFrom?: string;
  /** `public: true` exposes the role's defaults and vars to the rest of the play */
  readonly public: boolean;
  /** `allow_duplicates: false`: not run again on a host where the role already ran in this play */
  readonly noDuplicates?: boolean;
  /** where the include was written: roles are also searched beside it */
  readonly baseDir: string;
  readonly parent?: RoleScope;
  readonly loop?: Loop;
  /** `apply:` keywords given to every task of the included role */
  readonly apply?: TaskKeywords;
  /** `rolespec_validate: false`: the role's argument spec is not checked */
  readonly noArgSpec?: boolean;
}

/** `include_tasks`: loaded when reached, per host (the file name may be templated). */
export interface IncludeTasks extends TaskKeywords {
  readonly kind: 'include';
  readonly file: string;
  /** `apply:` keywords given to every included task */
  readonly apply?: TaskKeywords;
  /** the directory relative paths resolve from */
  readonly baseDir: string;
  readonly loop?: Loop;
  /** under handlers: the topics it listens to, as a handler task's */
  readonly listen?: readonly string[];
}

export type TaskNode = Task | Block | IncludeTasks | IncludeRole;

export type Serial = readonly (number | string)[];

/** `vars_prompt`: asked before the run (refused without a terminal unless given with -e). */
export interface VarsPrompt {
  readonly name: string;
  readonly prompt: string;
  readonly default?: string;
  readonly private: boolean;
  readonly confirm: boolean;
  readonly pos: SourcePos;
}

/** a play carries every inherited scalar but delegate_to (not a play keyword); any_errors_fatal always */
export interface Play extends Omit<InheritedScalars, 'delegateTo' | 'anyErrorsFatal'> {
  readonly name: string;
  readonly hosts: string;
  /** the directory of the playbook file the play was written in (differs under import_playbook) */
  readonly dir: string;
  readonly varsPrompt: readonly VarsPrompt[];
  /** defaults and vars of the play's static roles (`roles:`, import_role), visible play-wide */
  readonly roleDefaults: Readonly<Record<string, unknown>>;
  readonly roleVars: Readonly<Record<string, unknown>>;
  /** roles (and dependencies) applied by `roles:`: include_role does not run their dependencies again */
  readonly appliedRoles: readonly string[];
  /** the play's `roles:` (ansible_play_role_names) and their dependencies (ansible_dependent_role_names), as 2.14 names them */
  readonly roleNames: { readonly play: readonly string[]; readonly dependent: readonly string[] };
  readonly vars: Readonly<Record<string, unknown>>;
  /** a list entry names alternatives: the first that exists is loaded */
  readonly varsFiles: readonly (string | readonly string[])[];
  /** true/false/a template as written; 'auto' when unset: gathered if the play uses facts */
  readonly gatherFacts: boolean | string;
  /** the play's gather_subset, passed to its fact gathering (setup's argument) */
  readonly gatherSubset?: string | readonly string[];
  /** a fact variable appears in a file read to build the play (for gather_facts left unset) */
  readonly usesFacts: boolean;
  /** the play's `collections:` (a short role name is tried as NS.COLL.NAME in each, before the roles path) */
  readonly collections?: readonly string[];
  readonly serial?: Serial | string;
  /** a number, or a template rendered when the play starts (with the play's vars and the extra vars, as serial) */
  readonly maxFailPercentage?: number | string;
  readonly anyErrorsFatal: boolean | string;
  readonly environment?: unknown;
  readonly preTasks: readonly TaskNode[];
  readonly tasks: readonly TaskNode[];
  readonly postTasks: readonly TaskNode[];
  readonly handlers: readonly Task[];
  readonly tags: readonly string[];
  readonly strategy: 'linear' | 'free';
  readonly order: 'inventory' | 'reverse_inventory' | 'sorted' | 'reverse_sorted';
  readonly pos: SourcePos;
}

export interface Playbook {
  readonly file: string;
  readonly dir: string;
  readonly plays: readonly Play[];
  /** every file read to build it (the playbook, imported task files, vars files), for hashing */
  readonly files: readonly string[];
  /** where roles are searched besides `roles/` next to each playbook: --roles-path, ansible.cfg */
  readonly rolesPath: readonly string[];
  /** directories holding ansible_collections/NS/NAME, for collection roles (NS.NAME.role) */
  readonly collectionsPath?: readonly string[];
}
