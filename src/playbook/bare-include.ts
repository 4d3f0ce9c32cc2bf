// The bare `include:` of a task file, as ansible-core 2.14 reads it (deprecated, removed in 2.16;
// playbook/helpers.py load_list_of_tasks): static — an import_tasks — unless `static: false`, the
// file name is templated, it loops or it sits in what a dynamic include brings; then it is an
// include_tasks. `include: FILE k=v` passes the words as vars of the include.
import type { YAMLMap } from 'yaml';
import { warning } from '../core/diagnostic.js';
import { ansibleBoolean } from '../core/boolean.js';
import type { LoadContext } from './context.js';
import { parseKeyValues } from './free-form.js';
import { isPlainObject } from '../core/plain-object.js';
import { diagAt, keyNode, posOf, type YamlSource } from '../core/yaml-source.js';

type Raw = Record<string, unknown>;

export interface BareInclude {
  /** the task as an import_tasks / include_tasks would be written (the file under `include`) */
  readonly raw: Raw;
  readonly key: 'import_tasks' | 'include_tasks';
}

export function bareInclude(ctx: LoadContext, src: YamlSource, node: YAMLMap, raw: Raw): BareInclude | undefined {
  const { include: spec, static: staticKw, ...rest } = raw;
  let file: string | undefined;
  let params: Raw = {};
  if (typeof spec === 'string') {
    // split as parse_kv does ({{ }} stays one word): the words that are not k=v name the file
    const kv = parseKeyValues(spec.trim());
    if (!kv.ok) {
      ctx.add(diagAt(src, keyNode(node, 'include'), `include: ${kv.message}`));
      return undefined;
    }
    file = kv.rest.join(' ');
    params = kv.vars;
  } else if (isPlainObject(spec) && typeof spec['file'] === 'string') {
    file = spec['file'];
  }
  if (!file) {
    ctx.add(diagAt(src, keyNode(node, 'include'), 'include needs a file name'));
    return undefined;
  }
  const explicit = staticKw === undefined ? undefined : ansibleBoolean(staticKw);
  const loops = Object.keys(rest).some((k) => k === 'loop' || k.startsWith('with_'));
  const isStatic = explicit ?? (!/\{\{|\{%/.test(file) && !loops && ctx.dynamic === 0);
  const key = isStatic ? 'import_tasks' : 'include_tasks';
  ctx.add(
    warning(
      posOf(src, keyNode(node, 'include')),
      `'include' is deprecated (removed in ansible-core 2.16): read as ${key} here, as ansible-core 2.14 does; write ${key}`,
    ),
  );
  const vars = { ...params, ...(isPlainObject(rest['vars']) ? rest['vars'] : {}) };
  return { key, raw: { ...rest, include: file, ...(Object.keys(vars).length ? { vars } : {}) } };
}

/**
 * `action: MODULE ARGS` / `local_action:` (the older spelling of a task's module, still in
 * ansible-core 2.14: parsing/mod_args.py): the task as if the module were its key; a mapping
 * names it under `module:`. `local_action` adds `delegate_to: localhost`.
 */
export function actionTask(ctx: LoadContext, src: YamlSource, node: YAMLMap, raw: Raw): Raw | undefined {
  const key = 'local_action' in raw ? 'local_action' : 'action';
  const { [key]: spec, ...rest } = raw;
  let module: string | undefined;
  let args: unknown;
  if (typeof spec === 'string') {
    const text = spec.trim();
    module = text.split(/\s+/, 1)[0];
    const more = text.slice(module?.length ?? 0).trim();
    args = more === '' ? null : more;
  } else if (isPlainObject(spec) && typeof spec['module'] === 'string') {
    const { module: m, ...more } = spec;
    module = m as string;
    args = more;
  }
  if (!module) {
    ctx.add(diagAt(src, keyNode(node, key), `${key} needs a module name (e.g. '${key}: command uptime')`));
    return undefined;
  }
  if (module in rest) {
    ctx.add(diagAt(src, keyNode(node, key), `${key} names '${module}', which is also a key of this task`));
    return undefined;
  }
  return { ...rest, [module]: args, ...(key === 'local_action' ? { delegate_to: 'localhost' } : {}) };
}
