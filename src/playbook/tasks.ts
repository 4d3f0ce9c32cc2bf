// Task lists: each entry becomes a Task (one module), a Block, or an include; problems
// become diagnostics pointing at the offending node.
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { isMap, isSeq, type YAMLMap } from 'yaml';
import type { LoadContext } from './context.js';
import { BLOCK_KEYWORDS, TASK_KEYWORDS, UNSUPPORTED_KEYWORDS } from './keywords.js';
import type { Block, TaskNode } from './model.js';
import { parseRoleTask, ROLE_TASK_KEYS, type RoleLoader } from './role-tasks.js';
import { INCLUDE_TASK_KEYS, parseInclude } from './include-tasks.js';
import { actionTask, bareInclude } from './bare-include.js';
import { loadRole, type TaskFiles } from './roles.js';
import { locateRole } from './role-search.js';
import { guarded } from './guards.js';
import { didYouMean, keywords, stringList } from './task-keywords.js';
import { checkSchema, checkTemplates } from './checks.js';
import { describeNode, diagAt, keyNode, posOf, valueNode, type YamlNode, type YamlSource } from '../core/yaml-source.js';
import { warning } from '../core/diagnostic.js';
import { parseModuleTask } from './module-task.js';

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
      const hint = TASK_KEYWORDS.has(k)
        ? `'${k}' does not apply to a block`
        : ctx.catalog.canonical(k)
          ? `a block cannot also run a module ('${k}'); put it in a task inside the block`
          : `unknown key '${k}' in a block${didYouMean(k, BLOCK_KEYWORDS)}`;
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
  const list = (key: string): TaskNode[] =>
    guarded(ctx, raw['when'], () => withNotify(parseTaskList(ctx, src, valueNode(node, key), `'${key}'`, baseDir), notify));
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
    if (n.kind === 'block')
      return {
        ...n,
        block: withNotify([...n.block], notify),
        rescue: withNotify([...n.rescue], notify),
        always: withNotify([...n.always], notify),
      };
    return n;
  });
}

/**
 * Task files resolve against the including file's directory, then the playbook's; inside a role
 * (`rolePath`), then against the role's tasks/ and the role itself, as Ansible's
 * path_dwim_relative does: tasks/section_1/x.yml importing 'warning_facts.yml' finds tasks/warning_facts.yml.
 */
export function resolveTaskFile(baseDir: string, file: string, src?: YamlSource, rolePath?: string): string {
  const candidates = [resolve(baseDir, file)];
  if (src) candidates.unshift(resolve(dirname(resolve(src.file)), file));
  candidates.push(resolve(baseDir, 'tasks', file));
  // in a role's tasks/ or handlers/, Ansible also looks from the role's directory ('tasks/restart.yml')
  if (/^(tasks|handlers)$/.test(basename(baseDir))) candidates.push(resolve(baseDir, '..', file));
  if (rolePath !== undefined) candidates.push(resolve(rolePath, 'tasks', file), resolve(rolePath, file));
  return candidates.find((c) => existsSync(c)) ?? resolve(baseDir, file);
}

/**
 * `dynamic`: reached through include_tasks, which Ansible reads only when it runs, so a file
 * that includes itself (the retry-from-rescue pattern) is not a cycle here: it is checked
 * once and bounded at run time (executor/nodes.ts, MAX_INCLUDE_DEPTH).
 */
export function loadTaskFile(
  ctx: LoadContext,
  src: YamlSource,
  at: YamlNode | undefined,
  abs: string,
  asWritten: string,
  dynamic = false,
): TaskNode[] | undefined {
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
function includedFile(
  ctx: LoadContext,
  src: YamlSource,
  at: YamlNode | undefined,
  file: string,
  baseDir: string,
  dynamic: boolean,
): TaskNode[] | undefined {
  const abs = resolveTaskFile(baseDir, file, src, ctx.currentRole?.path);
  if (dynamic && !existsSync(abs)) {
    // Ansible 2.14 accepts it (syntax-check too): only a host that reaches the include fails
    ctx.add(
      warning(
        posOf(src, at),
        `included file '${file}' does not exist (looked for ${ctx.display(abs)}); a host that reaches it fails (Ansible: could not find or access it)`,
      ),
    );
    return [];
  }
  return loadTaskFile(ctx, src, at, abs, file, dynamic);
}

/** The task-file steps handed to roles.ts (which reads a role's task files through them). */
export const TASK_FILES: TaskFiles = { load: loadTaskFile, parse: parseTaskList };

const ROLES: RoleLoader = { load: (c, req, opts) => loadRole(c, req, { ...opts, taskFiles: TASK_FILES }), locate: locateRole };
