// Task lists: each entry becomes a Task (one module), a Block, or an include; problems
// become diagnostics pointing at the offending node.
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { isMap, isSeq, type YAMLMap } from 'yaml';
import { suggest } from '../core/suggest.js';
import { warning } from '../core/diagnostic.js';
import type { LoadContext } from './context.js';
import { BLOCK_KEYWORDS, TASK_KEYWORDS, UNSUPPORTED_KEYWORDS } from './keywords.js';
import type { Block, Task, TaskNode } from './model.js';
import { parseRoleTask, ROLE_TASK_KEYS, type RoleLoader } from './role-tasks.js';
import { INCLUDE_TASK_KEYS, parseInclude } from './include-tasks.js';
import { actionTask, bareInclude } from './bare-include.js';
import { loadRole, locateRole } from './roles.js';
import { controllerSourceExists, searchBases } from './controller-files.js';
import { conditions, guarded } from './guards.js';
import { didYouMean, keywords, loopOf, stringList } from './task-keywords.js';
import { checkSchema, checkTemplates } from './checks.js';
import { describeNode, diagAt, keyNode, posOf, valueNode, type YamlNode, type YamlSource } from './yaml-source.js';
import { moduleArgs } from './module-args.js';

type Raw = Record<string, unknown>;

/** Parse a task list node (`tasks:`, `block:`, an imported file's root). */
export function parseTaskList(ctx: LoadContext, src: YamlSource, node: YamlNode | undefined, what: string, baseDir: string): TaskNode[] {
  if (node === undefined) return [];
  if (!isSeq(node)) {
    if (node && 'value' in node && (node as { value: unknown }).value === null) return [];
    ctx.add(diagAt(src, node, `${what} must be a list of tasks, got ${describeNode(node)}`));
    return [];
  }
  const out: TaskNode[] = [];
  for (const item of node.items) {
    const t = parseTask(ctx, src, item as YamlNode, baseDir);
    if (t) out.push(t);
  }
  return out;
}

function parseTask(ctx: LoadContext, src: YamlSource, node: YamlNode, baseDir: string): TaskNode | undefined {
  if (!isMap(node)) {
    ctx.add(diagAt(src, node, `a task must be a mapping (e.g. '- name: ...' then a module), got ${describeNode(node)}`));
    return undefined;
  }
  const written = node.toJS(src.doc) as Raw;
  const raw = 'action' in written || 'local_action' in written ? actionTask(ctx, src, node, written) : written;
  if (!raw) return undefined;
  const keys = Object.keys(raw);
  let bad = false;
  if ('include' in raw && !('block' in raw)) {
    const inc = bareInclude(ctx, src, node, raw);
    return inc && parseInclude(ctx, src, node, inc.raw, baseDir, includedFile, inc.key);
  }
  for (const k of keys) {
    const why = UNSUPPORTED_KEYWORDS[k];
    if (why !== undefined) {
      ctx.add(diagAt(src, keyNode(node, k), `'${k}' is not supported: ${why}`));
      bad = true;
    }
  }
  if (bad) return undefined;
  if ('block' in raw) return parseBlock(ctx, src, node, raw, baseDir);
  if (INCLUDE_TASK_KEYS.some((k) => k in raw)) return parseInclude(ctx, src, node, raw, baseDir, includedFile);
  if (ROLE_TASK_KEYS.some((k) => k in raw)) return parseRoleTask(ctx, src, node, raw, baseDir, ROLES);
  return parseModuleTask(ctx, src, node, raw, baseDir);
}

function parseBlock(ctx: LoadContext, src: YamlSource, node: YAMLMap, raw: Raw, baseDir: string): Block | undefined {
  let ok = true;
  for (const k of Object.keys(raw)) {
    if (!BLOCK_KEYWORDS.has(k)) {
      const hint = TASK_KEYWORDS.has(k) ? `'${k}' does not apply to a block` : ctx.catalog.canonical(k) ? `a block cannot also run a module ('${k}'); put it in a task inside the block` : `unknown key '${k}' in a block${didYouMean(k, BLOCK_KEYWORDS)}`;
      ctx.add(diagAt(src, keyNode(node, k), hint));
      ok = false;
    }
  }
  const keysOnly = { ...raw };
  delete keysOnly['block'];
  delete keysOnly['rescue'];
  delete keysOnly['always'];
  ok = checkSchema(ctx, src, node, keysOnly, 'playbook.json#/definitions/task') && ok;
  checkTemplates(ctx, src, node, ['block', 'rescue', 'always']);
  // Ansible's blocks are Notifiable: their tasks without a notify of their own inherit it
  const notify = typeof raw['notify'] === 'string' ? [raw['notify']] : stringList(raw['notify']);
  const list = (key: string): TaskNode[] => guarded(ctx, raw['when'], () => withNotify(parseTaskList(ctx, src, valueNode(node, key), `'${key}'`, baseDir), notify));
  const block: Block = {
    kind: 'block',
    ...keywords(ctx, src, node, raw),
    block: list('block'),
    rescue: list('rescue'),
    always: list('always'),
  };
  return ok ? block : undefined;
}

function withNotify(nodes: TaskNode[], notify: readonly string[]): TaskNode[] {
  if (notify.length === 0) return nodes;
  return nodes.map((n) => {
    if (n.kind === 'task') return n.notify.length ? n : { ...n, notify };
    if (n.kind === 'block') return { ...n, block: withNotify([...n.block], notify), rescue: withNotify([...n.rescue], notify), always: withNotify([...n.always], notify) };
    return n;
  });
}

/** The library/ dirs Ansible searches for a task's module: its role's, then the playbook's. */
function libraryDirs(ctx: LoadContext, baseDir: string): string[] {
  return [...new Set([...(ctx.currentRole ? [join(ctx.currentRole.path, 'library')] : []), join(ctx.playDir ?? baseDir, 'library')])];
}

/** Task files resolve against the including file's directory, then the playbook's. */
export function resolveTaskFile(baseDir: string, file: string, src?: YamlSource): string {
  const candidates = [resolve(baseDir, file)];
  if (src) candidates.unshift(resolve(dirname(resolve(src.file)), file));
  candidates.push(resolve(baseDir, 'tasks', file));
  // in a role's tasks/ or handlers/, Ansible also looks from the role's directory ('tasks/restart.yml')
  if (/^(tasks|handlers)$/.test(basename(baseDir))) candidates.push(resolve(baseDir, '..', file));
  return candidates.find((c) => existsSync(c)) ?? resolve(baseDir, file);
}

/**
 * `dynamic`: reached through include_tasks, which Ansible reads only when it runs, so a file
 * that includes itself (the retry-from-rescue pattern) is not a cycle here: it is checked
 * once and bounded at run time (executor/nodes.ts, MAX_INCLUDE_DEPTH).
 */
export function loadTaskFile(ctx: LoadContext, src: YamlSource, at: YamlNode | undefined, abs: string, asWritten: string, dynamic = false): TaskNode[] | undefined {
  if (!existsSync(abs)) {
    ctx.add(diagAt(src, at, `task file not found: '${asWritten}' (looked for ${ctx.display(abs)})`));
    return undefined;
  }
  if (ctx.stack.includes(abs)) {
    if (dynamic) return [];
    ctx.add(diagAt(src, at, `'${asWritten}' includes itself (cycle: ${[...ctx.stack, abs].map((f) => ctx.display(f)).join(' → ')})`));
    return undefined;
  }
  const inner = ctx.source(abs);
  if (!inner) return undefined;
  ctx.stack.push(abs);
  try {
    const root = inner.doc.contents as YamlNode | null;
    if (root === null) return [];
    return parseTaskList(ctx, inner, root, 'a task file', dirname(abs));
  } finally {
    ctx.stack.pop();
  }
}

/**
 * The recursive steps of a task list, passed to the include and role parsers rather than
 * imported by them: an include reads the task file it names, a role task loads the role
 * (whose task files come back here).
 */
function includedFile(ctx: LoadContext, src: YamlSource, at: YamlNode | undefined, file: string, baseDir: string, dynamic: boolean): TaskNode[] | undefined {
  return loadTaskFile(ctx, src, at, resolveTaskFile(baseDir, file, src), file, dynamic);
}

const ROLES: RoleLoader = { load: loadRole, locate: locateRole };

function parseModuleTask(ctx: LoadContext, src: YamlSource, node: YAMLMap, raw: Raw, baseDir: string): Task | undefined {
  const keys = Object.keys(raw);
  const candidates = keys.filter((k) => !TASK_KEYWORDS.has(k));
  const modules: string[] = [];
  let ok = true;
  const dirs = libraryDirs(ctx, baseDir);
  const builtinAmong = candidates.some((k) => ctx.catalog.canonical(k));
  // a collection's module in what an include brings: Ansible meets it only when the include runs
  const dynamic = ctx.dynamic > 0;
  const guardsNow = [...ctx.guards, ...conditions(raw['when']).map(String)];
  // the task built below: a module refused under a `when` becomes `fail` with the reason (answered after loading)
  let built: { module: string; args: Record<string, unknown>; name?: string } | undefined;
  let refusal: string | undefined;
  const refuse = (msg: string): void => {
    refusal = msg;
    if (built) {
      if (built.name === undefined) built.name = written;
      built.module = 'fail';
      built.args = { msg };
    }
  };
  for (const k of candidates) {
    const unknown = (): void => {
      const collection = /^([A-Za-z]\w*\.[A-Za-z]\w*)\.\w+$/.exec(k)?.[1];
      if (dynamic && collection && !/^ansible\.(builtin|legacy)$/.test(collection)) {
        ctx.add(warning(posOf(src, keyNode(node, k)), `module '${k}' is not found (is the collection '${collection}' installed?); it is in a file an include brings in, which Ansible reads only when it runs: a host that reaches this task fails`));
        return;
      }
      const bare = k.replace(/^ansible\.(builtin|legacy)\./, '');
      const kw = bare === k ? suggest(k, TASK_KEYWORDS) : undefined;
      const mod = suggest(bare, ctx.catalog.names());
      if (kw && (!mod || candidates.length > 1)) ctx.add(diagAt(src, keyNode(node, k), `unknown task keyword '${k}' (did you mean '${kw}'?)`));
      else ctx.add(diagAt(src, keyNode(node, k), `unknown module '${k}'${mod ? ` (did you mean '${mod}'?)` : ''}`));
    };
    // beside a built-in module, or close to a task keyword, an unknown key is a typo, not a module
    const typo = builtinAmong || (candidates.length > 1 && suggest(k, TASK_KEYWORDS) !== undefined);
    const v = ctx.catalog.canonical(k) || !typo ? ctx.catalog.verdict(k, dirs) : ({ kind: 'unknown' } as const);
    switch (v.kind) {
      case 'builtin':
        modules.push(k);
        continue;
      case 'ansible':
        // looked up with every other such name when the whole playbook is read (one Python call)
        modules.push(k);
        ctx.deferModule(k, dirs, {
          missing: (why) => {
            const newer = ctx.catalog.newerCore?.(k);
            // in what an include brings, syntax-check (2.14) does not see it: the include fails when it runs, as Ansible's
            if (newer && /^no module of that name$/.test(why) && dynamic) ctx.add(warning(posOf(src, keyNode(node, k)), `module '${k}' is ansible-core ${newer}'s and the ansible-core installed here does not have it: the include that brings this file fails when it runs`));
            else if (newer && /^no module of that name$/.test(why)) ctx.add(diagAt(src, keyNode(node, k), `module '${k}' is ansible-core ${newer}'s and the ansible-core installed here does not have it (Ansible 2.14: couldn't resolve module/action)`));
            else if (/^no module of that name$/.test(why)) unknown();
            // the include is loaded again when it runs, and then this is an error that fails the host
            else if (dynamic) ctx.add(warning(posOf(src, keyNode(node, k)), `module '${k}': ${why}; it is in a file an include brings in, which Ansible reads only when it runs: a host that reaches this task fails`));
            else if (guardsNow.length > 0 && candidates.length === 1) {
              ctx.add(warning(posOf(src, keyNode(node, k)), `module '${k}': ${why}; this task runs only when ${guardsNow.map((g) => `'${g}'`).join(' and ')}: a host that gets there fails`));
              refuse(`module '${k}': ${why}`);
            }
            else ctx.add(diagAt(src, keyNode(node, k), `module '${k}': ${why}`));
          },
        });
        continue;
      case 'not-runnable': {
        const guards = [...ctx.guards, ...conditions(raw['when']).map(String)];
        if (guards.length > 0 && candidates.length === 1) {
          // a branch a host may never reach (an include for RedHat...): warn now, fail only if reached
          ctx.add(warning(posOf(src, keyNode(node, k)), `${v.message}; this task runs only when ${guards.map((g) => `'${g}'`).join(' and ')}: a host that gets there fails`));
          return { kind: 'task', ...keywords(ctx, src, node, raw), name: typeof raw['name'] === 'string' ? raw['name'] : k, module: 'fail', args: { msg: v.message }, notify: [], listen: [], file: src.file } as Task;
        }
        ok = false;
        ctx.add(diagAt(src, keyNode(node, k), v.message));
        continue;
      }
      case 'unknown':
        ok = false;
        if (k.startsWith('with_')) ctx.add(diagAt(src, keyNode(node, k), `loop '${k}' is not supported: lookup plugin '${k.slice(5)}' is not built in (write 'loop:' with a filter)`));
        else unknown();
        continue;
    }
  }
  if (modules.length > 1) {
    ctx.add(diagAt(src, keyNode(node, modules[1]!), `a task runs exactly one module; this one has ${modules.map((m) => `'${m}'`).join(' and ')}`));
    return undefined;
  }
  if (modules.length === 0) {
    if (ok) ctx.add(diagAt(src, node, `this task has no module (keys: ${keys.join(', ') || 'none'}); add one, e.g. 'command: ...'`));
    return undefined;
  }
  const written = modules[0]!;
  // a module run through Ansible's code keeps its name as written (ansible-core resolves it)
  const module = ctx.catalog.canonical(written) ?? written;
  if (module === 'reboot') {
    // loads and plans (check mode predicts it, as Ansible); only a real run reaching it fails
    ctx.add(warning(posOf(src, keyNode(node, written)), "reboot: runbook does not reboot hosts; --check predicts it as Ansible does, and a host that reaches it in a real run fails (reboot it yourself)"));
  }
  const keysOnly = { ...raw };
  delete keysOnly[written];
  ok = checkSchema(ctx, src, node, keysOnly, 'playbook.json#/definitions/task') && ok;
  let runAs = module;
  const viaAnsible = (names: string[]): boolean => {
    const via = ctx.catalog.viaAnsible?.(module);
    if (!via) return false;
    runAs = via;
    const what = names.map((n) => `'${n}'`).join(', ');
    ctx.add(warning(posOf(src, keyNode(node, written)), `module '${written}': ${what} is not an argument of runbook's built-in ${module}: this task runs through Ansible's module code`));
    ctx.deferModule(`ansible.builtin.${module}`, dirs, { missing: (why) => ctx.add(diagAt(src, keyNode(node, written), `module '${written}': ${what} is not an argument of runbook's built-in ${module}, and Ansible's: ${why}`)) });
    return true;
  };
  const args = moduleArgs(ctx, src, node, raw, written, module, refuse, viaAnsible);
  ok = args !== undefined && ok;
  checkTemplates(ctx, src, node, [], ctx.catalog.expressionArgs(module).map((a) => [written, a]));
  if (!ok || !args) return undefined;
  if (!controllerSourceExists(ctx, module, args, baseDir, conditions(raw['when']).map(String))) {
    const at = valueNode(valueNode(node, written), 'src') ?? valueNode(node, written) ?? node;
    ctx.add(diagAt(src, at, `${module}: source file not found: '${String(args['src'])}' (looked in ${searchBases(ctx, baseDir).map((d) => ctx.display(join(d, module === 'template' ? 'templates' : 'files'))).join(', ')} and beside them)`));
    return undefined;
  }
  const task = {
    kind: 'task',
    ...keywords(ctx, src, node, raw),
    // unnamed, its banner is the module as written, also when it fails as refused or runs through Ansible's code
    ...(raw['name'] === undefined && runAs !== module ? { name: written } : {}),
    module: runAs,
    args,
    notify: typeof raw['notify'] === 'string' ? [raw['notify']] : stringList(raw['notify']),
    listen: typeof raw['listen'] === 'string' ? [raw['listen']] : stringList(raw['listen']),
    file: src.file,
    ...opt('register', raw['register']),
    ...opt('delegateFacts', raw['delegate_facts']),
    ...opt('async', raw['async']),
    ...opt('poll', raw['poll']),
    ...opt('retries', raw['retries']),
    ...opt('delay', raw['delay']),
    ...(raw['until'] !== undefined ? { until: conditions(raw['until']) } : {}),
    ...(raw['failed_when'] !== undefined ? { failedWhen: conditions(raw['failed_when']) } : {}),
    ...(raw['changed_when'] !== undefined ? { changedWhen: conditions(raw['changed_when']) } : {}),
    ...loopOf(raw),
  } as Task;
  void baseDir;
  built = task as unknown as { module: string; args: Record<string, unknown>; name?: string };
  if (refusal !== undefined) refuse(refusal);
  return task;
}

function opt(key: string, v: unknown): Record<string, unknown> {
  return v === undefined || v === null ? {} : { [key]: v };
}

