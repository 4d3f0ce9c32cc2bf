// Keywords inherited from play → block → include → task. Scalars: the innermost wins;
// `when` conditions and tags accumulate; vars stack.
import { INHERITED_SCALARS, type InheritedScalars } from '../playbook/keywords.js';
import type { Play, RoleScope, TaskKeywords } from '../playbook/model.js';

/** the scalars (become, timeout...) are declared once: schemas/playbook.json x-inherited-scalars */
export interface Inherited extends InheritedScalars {
  readonly when: readonly (string | boolean)[];
  readonly tags: readonly string[];
  readonly vars: readonly Readonly<Record<string, unknown>>[];
  readonly environment: readonly unknown[];
  /** inside a rescue: ansible_failed_task / ansible_failed_result are set */
  readonly inRescue?: boolean;
  /** vars of the include_tasks / include_role (and loop item) that brought these tasks */
  readonly includeParams?: readonly Readonly<Record<string, unknown>>[];
  /** inside a role: its defaults, vars and params, role_path */
  readonly role?: RoleScope;
  /** how many include_tasks brought these tasks (bounded: MAX_INCLUDE_DEPTH) */
  readonly includeDepth?: number;
  /** under an include_tasks handler: its tasks are shown as handlers (RUNNING HANDLER) */
  readonly inHandler?: boolean;
}

const SCALARS = Object.values(INHERITED_SCALARS);

export function fromPlay(play: Play): Inherited {
  const out: Record<string, unknown> = {
    when: [],
    tags: play.tags,
    vars: [],
    environment: play.environment !== undefined ? [play.environment] : [],
    anyErrorsFatal: play.anyErrorsFatal,
  };
  // a play carries every inherited scalar but delegate_to (not a play keyword); any_errors_fatal is set above
  for (const k of SCALARS) if (k !== 'delegateTo' && k !== 'anyErrorsFatal' && play[k] !== undefined) out[k] = play[k];
  return out as unknown as Inherited;
}

export function inherit(parent: Inherited, node: TaskKeywords, withWhen = true): Inherited {
  const out: Record<string, unknown> = {
    ...parent,
    when: withWhen ? [...parent.when, ...node.when] : parent.when,
    tags: [...parent.tags, ...node.tags],
    vars: Object.keys(node.vars).length ? [...parent.vars, node.vars] : parent.vars,
    environment: node.environment !== undefined ? [...parent.environment, node.environment] : parent.environment,
  };
  for (const k of SCALARS) if (node[k] !== undefined) out[k] = node[k];
  const role = (node as { role?: unknown }).role;
  if (role && typeof role === 'object') out['role'] = role;
  return out as unknown as Inherited;
}
