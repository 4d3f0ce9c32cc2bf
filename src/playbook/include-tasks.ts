// `include_tasks` (read when reached; its name may be templated, it may loop, `apply:`) and
// `import_tasks` (read with the playbook: a block carrying the import's keywords), bare or
// fully qualified, with a string or `{file, apply}`.
import type { YAMLMap } from 'yaml';
import type { LoadContext } from './context.js';
import { INCLUDE_KEYWORDS } from './keywords.js';
import type { IncludeTasks, TaskNode } from './model.js';
import { isPlainObject } from '../core/plain-object.js';
import { checkSchema, checkTemplates } from './checks.js';
import { applyKeywords, didYouMean, keywords, loopOf, stringList } from './task-keywords.js';
import { guarded } from './guards.js';
import { diagAt, keyNode, valueNode, type YamlNode, type YamlSource } from '../core/yaml-source.js';

type Raw = Record<string, unknown>;

/**
 * Reads the task file an include names (relative to `baseDir` or the including file), as a
 * task list: the recursive step, given by tasks.ts. `dynamic`: include_tasks, which Ansible
 * reads only when it runs.
 */
export type IncludedFile = (
  ctx: LoadContext,
  src: YamlSource,
  at: YamlNode | undefined,
  file: string,
  baseDir: string,
  dynamic: boolean,
) => TaskNode[] | undefined;

export const INCLUDE_TASK_KEYS = [
  'include_tasks',
  'import_tasks',
  'ansible.builtin.include_tasks',
  'ansible.builtin.import_tasks',
  'ansible.legacy.include_tasks',
  'ansible.legacy.import_tasks',
];

/** `bare`: a bare `include:` (bare-include.ts), the file under `include`, read as `bare` says. */
export function parseInclude(
  ctx: LoadContext,
  src: YamlSource,
  node: YAMLMap,
  raw: Raw,
  baseDir: string,
  includedFile: IncludedFile,
  bare?: 'import_tasks' | 'include_tasks',
): TaskNode | undefined {
  const written = bare ? 'include' : INCLUDE_TASK_KEYS.find((k) => k in raw)!;
  const key = bare ?? (written.endsWith('import_tasks') ? 'import_tasks' : 'include_tasks');
  const isImport = key === 'import_tasks';
  let ok = true;
  for (const k of Object.keys(raw)) {
    if (k === written) continue;
    // a handler include (Ansible's HandlerTaskInclude) also takes `listen`
    if (k === 'listen' && ctx.handlers > 0) continue;
    if (!INCLUDE_KEYWORDS.has(k) || INCLUDE_TASK_KEYS.includes(k)) {
      ctx.add(diagAt(src, keyNode(node, k), `'${k}' cannot be used with ${key}${didYouMean(k, INCLUDE_KEYWORDS)}`));
      ok = false;
    }
  }
  const spec = raw[written];
  // `args: {apply: ...}` is the older spelling of `include_tasks: {file: ..., apply: ...}`
  const argsApply = isPlainObject(raw['args']) ? raw['args'] : undefined;
  if (argsApply && Object.keys(argsApply).some((k) => k !== 'apply')) {
    ctx.add(diagAt(src, valueNode(node, 'args'), `${key} takes only 'apply' under args`));
    ok = false;
  }
  const { [written]: _w, args: _a, listen: _l, ...rest } = raw;
  void _w;
  void _a;
  void _l;
  ok = checkSchema(ctx, src, node, { ...rest, [key]: spec }, 'playbook.json#/definitions/task') && ok;
  checkTemplates(ctx, src, node, []);
  if (!ok) return undefined;
  const fileNode = valueNode(node, written);
  const file =
    bare && typeof spec === 'string'
      ? spec
      : typeof spec === 'string'
        ? spec
        : isPlainObject(spec) && typeof spec['file'] === 'string'
          ? spec['file']
          : undefined;
  if (file === undefined) {
    ctx.add(diagAt(src, fileNode, `${key} needs a file name`));
    return undefined;
  }
  const applyRaw = (isPlainObject(spec) ? spec['apply'] : undefined) ?? argsApply?.['apply'];
  const applyNode = isPlainObject(spec) ? valueNode(fileNode, 'apply') : valueNode(valueNode(node, 'args'), 'apply');
  if (applyRaw !== undefined && isImport) {
    ctx.add(diagAt(src, applyNode, "import_tasks does not take 'apply': put the keywords on the import itself"));
    return undefined;
  }
  const apply = applyRaw === undefined ? undefined : applyKeywords(ctx, src, applyNode, applyRaw, key);
  if (applyRaw !== undefined && !apply) return undefined;
  const kw = keywords(ctx, src, node, raw);
  const templated = /\{\{|\{%/.test(file);
  if (isImport) {
    if (templated) {
      ctx.add(diagAt(src, fileNode, `import_tasks is static: its file name cannot be templated ('${file}'); use include_tasks`));
      return undefined;
    }
    if ('loop' in raw || 'with_items' in raw || 'with_list' in raw) {
      ctx.add(diagAt(src, keyNode(node, 'loop') ?? keyNode(node, 'with_items') ?? node, 'import_tasks cannot loop; use include_tasks'));
      return undefined;
    }
    const tasks = guarded(ctx, raw['when'], () => includedFile(ctx, src, fileNode, file, baseDir, false));
    if (!tasks) return undefined;
    // Ansible applies an import's keywords to each imported task: a block carries them.
    return { kind: 'block', ...kw, block: tasks, rescue: [], always: [], fromImport: true };
  }
  const listen = ctx.handlers > 0 ? stringList(raw['listen']) : [];
  const inc: IncludeTasks = {
    kind: 'include',
    ...kw,
    file,
    baseDir,
    ...loopOf(raw),
    ...(apply ? { apply } : {}),
    ...(listen.length ? { listen } : {}),
  };
  if (templated) ctx.unreadInclude = true;
  else {
    // validate the target now; it is loaded again when reached at run time
    ctx.dynamic++;
    try {
      guarded(ctx, raw['when'], () => includedFile(ctx, src, fileNode, file, baseDir, true));
    } finally {
      ctx.dynamic--;
    }
  }
  return inc;
}
