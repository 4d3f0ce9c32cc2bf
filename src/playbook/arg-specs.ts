// A role's argument spec (Ansible 2.11+): meta/argument_specs.yml (or .yaml), else the
// `argument_specs` key of meta/main.yml. When the role's entry point (tasks_from, else `main`)
// has a spec, Ansible puts a validate_argument_spec task before the role's tasks
// (ansible/playbook/role/__init__.py _prepend_validation_task): the same task here, named as
// Ansible names it, tagged `always`, checking the spec's options against the role's variables
// and params when it runs.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadContext } from './context.js';
import type { TaskNode } from './model.js';
import type { parseTaskList } from './tasks.js';
import { parseYaml } from '../core/yaml-source.js';

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function specsOf(
  ctx: LoadContext,
  rolePath: string,
  meta: Readonly<Record<string, unknown>>,
): { specs: Record<string, unknown>; file: string } | undefined {
  const file = ['yml', 'yaml']
    .map((ext) => join(rolePath, 'meta', `argument_specs.${ext}`))
    .find((f) => existsSync(f) && statSync(f).isFile());
  if (file) {
    const src = ctx.source(file);
    if (!src) return undefined;
    const value: unknown = src.doc.contents === null ? {} : src.doc.toJS();
    return isMapping(value) && isMapping(value['argument_specs']) ? { specs: value['argument_specs'], file } : undefined;
  }
  const inMeta = meta['argument_specs'];
  return isMapping(inMeta) ? { specs: inMeta, file: join(rolePath, 'meta', 'main.yml') } : undefined;
}

/** The implicit validation task for this entry point, or none when the role has no spec for it. */
export function argumentSpecTasks(
  ctx: LoadContext,
  role: { readonly name: string; readonly path: string; readonly tasksFrom?: string; readonly params: Readonly<Record<string, unknown>> },
  meta: Readonly<Record<string, unknown>>,
  /** tasks.ts's parseTaskList, passed in through roles.ts (TaskFiles) rather than imported */
  parseList: typeof parseTaskList,
): TaskNode[] {
  const found = specsOf(ctx, role.path, meta);
  const entry = role.tasksFrom ?? 'main';
  const spec = found?.specs[entry];
  if (!found || !isMapping(spec)) return [];
  const short = spec['short_description'];
  const task = {
    name: `Validating arguments against arg spec '${entry}'${short !== undefined ? ` - ${String(short)}` : ''}`,
    'ansible.builtin.validate_argument_spec': {
      argument_spec: isMapping(spec['options']) ? spec['options'] : {},
      provided_arguments: role.params,
      validate_args_context: { type: 'role', name: role.name, argument_spec_name: entry, path: role.path },
    },
    tags: ['always'],
  };
  // JSON is YAML: the task is read as any task is, placed at the spec's file
  const { source } = parseYaml(ctx.display(found.file), JSON.stringify([task]));
  return parseList(
    ctx,
    source,
    source.doc.contents as Parameters<typeof parseTaskList>[2],
    'a role argument spec',
    join(role.path, 'tasks'),
  );
}
