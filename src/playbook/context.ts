// State shared while loading one playbook: diagnostics, files read, the include stack.
import { relative } from 'node:path';
import type { Diagnostic } from '../core/diagnostic.js';
import { error } from '../core/diagnostic.js';
import { readBounded } from '../core/read-bounded.js';
import type { ModuleCatalog } from './catalog.js';
import type { RoleScope, Task } from './model.js';
import { parseYaml, parsedOk, type YamlSource } from '../core/yaml-source.js';

/** What to say once ansible-core has answered whether it has a module. */
export interface AnsibleModuleThen {
  readonly missing?: (why: string) => void;
  readonly found?: () => void;
}

/**
 * The lookup functions (`lookup`, `query`, `q`) for what Ansible templates while it loads the
 * playbook (a role name in `roles:`, an import_playbook file name): the caller's, as the playbook
 * layer has no lookups of its own. `baseDir` is the playbook's directory.
 */
export type StaticLookups = (baseDir: string, scope: () => Record<string, unknown>) => Record<string, unknown>;

export class LoadContext {
  readonly diagnostics: Diagnostic[] = [];
  readonly files: string[] = [];
  /** absolute paths of task files being loaded, to refuse import cycles */
  readonly stack: string[] = [];
  private readonly sources = new Map<string, YamlSource | null>();
  /** directory of the playbook file of the play being loaded */
  playDir: string | undefined;
  /** role directories being loaded (dependency cycles) */
  readonly roleStack: string[] = [];
  /** the role whose task files are being read (include_role inside it searches beside it) */
  currentRole: RoleScope | undefined;
  /** per play: roles already applied by `roles:` or a dependency (each runs once) */
  appliedRoles = new Set<string>();
  /** per play: the static roles' scopes (their defaults and vars are visible play-wide) */
  staticRoles: RoleScope[] = [];
  /** per play: the handlers of its roles */
  roleHandlers: Task[] = [];
  /** per play: the names of its `roles:` and of their dependencies (ansible_play_role_names, ansible_dependent_role_names) */
  roleNames: { play: string[]; dependent: string[] } = { play: [], dependent: [] };
  /** > 0 while reading a handlers list (an include_tasks there is Ansible's HandlerTaskInclude: it may `listen`) */
  handlers = 0;
  /** > 0 while reading what an include_tasks / include_role brings (Ansible reads it only when it runs) */
  dynamic = 0;
  /** the `when:` of the blocks and includes around the tasks being read (guardedBy) */
  readonly guards: string[] = [];
  /** per play: every file read (or found in cache) to build it, and templates it may render */
  touched = new Set<string>();
  /** per play: what a templated role name in `roles:` / dependencies sees (Ansible: the play's vars, no host) */
  roleNameScope: Record<string, unknown> = {};
  /** per play: its `collections:` keyword, where a short role name is looked for first */
  playCollections: readonly string[] = [];
  /** per play: an include whose file or role name is templated, so not read before the run (it may use facts) */
  unreadInclude = false;
  /** lookups for those load-time templates (LoadOptions.lookups); none: a lookup there is undefined */
  staticLookups: StaticLookups | undefined;

  /** `read` with `handlers` raised: what it parses is a handlers list. */
  readingHandlers<T>(read: () => T): T {
    this.handlers++;
    try {
      return read();
    } finally {
      this.handlers--;
    }
  }

  /** The scope a load-time template sees: `vars` (the play's, an import's) and the lookups. */
  staticScope(vars: Record<string, unknown>, baseDir: string): Record<string, unknown> {
    return { ...(this.staticLookups?.(baseDir, () => vars) ?? {}), ...vars };
  }

  /** modules to be run through Ansible's code, looked up together by confirmAnsibleModules() */
  private readonly deferred: { name: string; dirs: readonly string[]; then: AnsibleModuleThen }[] = [];

  deferModule(name: string, dirs: readonly string[], then: AnsibleModuleThen): void {
    this.deferred.push({ name, dirs, then });
  }

  /**
   * Ask ansible-core about every module deferred so far, in one call, and report the ones it
   * does not have. Ansible searches every loaded role's library/, so the dirs are pooled.
   */
  confirmAnsibleModules(): void {
    if (this.deferred.length === 0) return;
    const dirs = [...new Set(this.deferred.flatMap((d) => d.dirs))];
    const answers = this.catalog.findAnsibleModules([...new Set(this.deferred.map((d) => d.name))], dirs);
    for (const d of this.deferred.splice(0)) {
      const why = answers.get(d.name);
      if (why !== undefined) d.then.missing?.(why);
      else d.then.found?.();
    }
  }

  constructor(
    readonly catalog: ModuleCatalog,
    readonly cwd: string,
    readonly rolesPath: readonly string[] = [],
    readonly collectionsPath: readonly string[] = [],
  ) {}

  /** Forget what one play gathered, before the next one. */
  startPlay(): void {
    this.appliedRoles = new Set();
    this.staticRoles = [];
    this.roleHandlers = [];
    this.roleNames = { play: [], dependent: [] };
    this.touched = new Set();
    this.roleNameScope = {};
    this.playCollections = [];
    this.unreadInclude = false;
  }

  /** How a file is named in messages: relative to where the user ran the command. */
  display(abs: string): string {
    const rel = relative(this.cwd, abs);
    return rel.startsWith('..') || rel === '' ? abs : rel;
  }

  /** Read and parse a YAML file once; syntax errors become diagnostics. */
  source(abs: string): YamlSource | null {
    this.touched.add(abs);
    const hit = this.sources.get(abs);
    if (hit !== undefined) return hit;
    const name = this.display(abs);
    const read = readBounded(abs);
    if (!read.ok) {
      this.diagnostics.push(error({ file: name, line: 1, col: 1 }, read.why));
      this.sources.set(abs, null);
      return null;
    }
    const text = read.text;
    this.files.push(abs);
    const parsed = parseYaml(name, text);
    this.diagnostics.push(...parsed.diagnostics);
    const src = parsedOk(parsed) ? parsed.source : null;
    this.sources.set(abs, src);
    return src;
  }

  /** A file's text: the YAML already read, else from disk (templates); '' when unreadable. */
  textOf(abs: string): string {
    const src = this.sources.get(abs);
    if (src) return src.text;
    const read = readBounded(abs);
    return read.ok ? read.text : '';
  }

  add(d: Diagnostic): void {
    this.diagnostics.push(d);
  }
}
