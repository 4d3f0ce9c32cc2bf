// Keywords inherited from play → block → include → task. Scalars: the innermost wins;
// `when` conditions and tags accumulate; vars stack.
import type { Play, RoleScope, TaskKeywords } from '../playbook/model.js';

export interface Inherited {
  readonly when: readonly (string | boolean)[];
  readonly tags: readonly string[];
  readonly vars: readonly Readonly<Record<string, unknown>>[];
  readonly environment: readonly unknown[];
  readonly become?: boolean | string;
  readonly becomeUser?: string;
  readonly ignoreErrors?: boolean | string;
  readonly ignoreUnreachable?: boolean | string;
  readonly checkMode?: boolean | string;
  readonly diff?: boolean | string;
  readonly noLog?: boolean | string;
  readonly runOnce?: boolean | string;
  readonly delegateTo?: string;
  readonly anyErrorsFatal?: boolean | string;
  readonly timeout?: number | string;
  readonly connection?: string;
  readonly remoteUser?: string;
  readonly throttle?: number | string;
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

const SCALARS = [
  'become', 'becomeUser', 'ignoreErrors', 'ignoreUnreachable', 'checkMode', 'diff', 'noLog', 'runOnce', 'delegateTo',
  'anyErrorsFatal', 'timeout', 'connection', 'remoteUser', 'throttle',
] as const;

export function fromPlay(play: Play): Inherited {
  const out: Record<string, unknown> = {
    when: [],
    tags: play.tags,
    vars: [],
    environment: play.environment !== undefined ? [play.environment] : [],
    anyErrorsFatal: play.anyErrorsFatal,
  };
  for (const k of ['become', 'becomeUser', 'ignoreErrors', 'ignoreUnreachable', 'checkMode', 'diff', 'noLog', 'timeout', 'connection', 'remoteUser', 'runOnce', 'throttle'] as const) {
    if (play[k] !== undefined) out[k] = play[k];
  }
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
