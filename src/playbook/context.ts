// State shared while loading one playbook: diagnostics, files read, the include stack.
import { readFileSync, statSync, type Stats } from 'node:fs';
import { relative } from 'node:path';
import type { Diagnostic } from '../core/diagnostic.js';
import { error } from '../core/diagnostic.js';
import type { ModuleCatalog } from './catalog.js';
import type { RoleScope, Task } from './model.js';
import { parseYaml, type YamlSource } from './yaml-source.js';

/** What to say once ansible-core has answered whether it has a module. */
export interface AnsibleModuleThen {
  readonly missing?: (why: string) => void;
  readonly found?: () => void;
}

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
  /** the `when:` of the blocks and includes around the tasks being read (guardedBy) */
  readonly guards: string[] = [];
  /** per play: every file read (or found in cache) to build it, and templates it may render */
  touched = new Set<string>();

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

  constructor(readonly catalog: ModuleCatalog, readonly cwd: string, readonly rolesPath: readonly string[] = [], readonly collectionsPath: readonly string[] = []) {}

  /** Forget what one play gathered, before the next one. */
  startPlay(): void {
    this.appliedRoles = new Set();
    this.staticRoles = [];
    this.roleHandlers = [];
    this.touched = new Set();
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
    let text: string;
    try {
      const st = statSync(abs);
      const refused = st.isDirectory() ? 'is a directory, expected a YAML file' : unreadable(st);
      if (refused) {
        this.diagnostics.push(error({ file: name, line: 1, col: 1 }, refused));
        this.sources.set(abs, null);
        return null;
      }
      text = readFileSync(abs, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      this.diagnostics.push(error({ file: name, line: 1, col: 1 }, code === 'ENOENT' ? 'no such file' : `cannot read: ${(e as Error).message}`));
      this.sources.set(abs, null);
      return null;
    }
    this.files.push(abs);
    const parsed = parseYaml(name, text);
    this.diagnostics.push(...parsed.diagnostics);
    const src = parsed.diagnostics.length > 0 ? null : parsed.source;
    this.sources.set(abs, src);
    return src;
  }

  /** A file's text: the YAML already read, else from disk (templates); '' when unreadable. */
  textOf(abs: string): string {
    const src = this.sources.get(abs);
    if (src) return src.text;
    try {
      return unreadable(statSync(abs)) ? '' : readFileSync(abs, 'utf8');
    } catch {
      return '';
    }
  }

  add(d: Diagnostic): void {
    this.diagnostics.push(d);
  }
}

/** Playbooks, task and vars files, templates: larger than any real one is refused unread. */
export const MAX_FILE_BYTES = 4 << 20;

/** Why a file is not read at all (a device, a FIFO, a huge file), or undefined. */
function unreadable(st: Stats): string | undefined {
  if (!st.isFile()) return 'is not a regular file (a device, FIFO or socket): refusing to read it';
  if (st.size > MAX_FILE_BYTES) return `is ${(st.size / (1 << 20)).toFixed(1)} MiB, more than the ${MAX_FILE_BYTES >> 20} MiB a playbook, task, vars or template file may have: refusing to read it`;
  return undefined;
}
