// A task's outcome on one host: a value, never a thrown string (ansible-core's habit).
import type { Failure } from './failure.js';

export type Status = 'ok' | 'changed' | 'skipped' | 'failed' | 'unreachable';

export interface FileDiff {
  readonly path: string;
  readonly before: string;
  readonly after: string;
}

/** Fields every result may carry; the names are Ansible's so `register` reads the same. */
export interface ResultFields {
  msg?: string;
  rc?: number;
  stdout?: string;
  stderr?: string;
  cmd?: readonly string[] | string;
  diff?: readonly FileDiff[];
  /** set_fact and fact-gathering modules put their facts here */
  ansible_facts?: Record<string, unknown>;
  /** module-specific extra values (stat, content, etc.), merged into the registered variable */
  data?: Record<string, unknown>;
  /**
   * values this step decided that were not read from the hosts (an id, a chosen member...):
   * pinned by the plan and handed back to the module on apply (ModuleContext.pinned), see
   * plan/decisions.ts. Not part of the registered variable.
   */
  decision?: Record<string, unknown>;
  /** why a failed or unreachable result failed, typed (core/failure.ts); not part of the registered variable */
  failure?: Failure;
  /** Ansible's _ansible_verbose_always: the result is shown without -v (assert without quiet); not registered */
  verboseAlways?: boolean;
  /** the module's warnings (AnsibleModule.warn), printed as `[WARNING]: …` and registered */
  warnings?: readonly string[];
  /** the module's deprecations (AnsibleModule.deprecate), printed as `[DEPRECATION WARNING]: …` and registered */
  deprecations?: readonly Deprecation[];
}

/** One entry of a module's `deprecations` list, as ansible-core returns it. */
export interface Deprecation {
  readonly msg: string;
  readonly version?: string | null;
  readonly date?: string | null;
  readonly collection_name?: string | null;
}

/** What check mode found, set by the executor on a check-mode result (never parsed from text). */
export interface CheckPrediction {
  /** 'change': apply would change (status changed); 'unknown': cannot tell without running (status skipped) */
  prediction?: 'change' | 'unknown';
  /** the module's summary of what apply would do */
  predicted?: string;
}

/** Marks a registered value whose task did not run in check mode (for hints; not visible to templates). */
export const NOT_RUN_IN_CHECK_MODE: unique symbol = Symbol('not run in check mode');

export type ModuleResult =
  | ({ status: 'ok' } & ResultFields)
  | ({ status: 'changed' } & ResultFields)
  | ({
      status: 'skipped';
      /** why, for the reporters; registered only with `beforeModule` (Ansible's modules never return one) */
      skip_reason?: string;
      /**
       * skipped by the executor before any module ran (a false `when`, a task check mode cannot run): Ansible's
       * TaskExecutor returns such a result early, so it registers no `failed` key
       */
      beforeModule?: true;
    } & ResultFields)
  | ({ status: 'failed'; msg: string } & ResultFields)
  | ({ status: 'unreachable'; msg: string } & ResultFields);

export const ok = (f: ResultFields = {}): ModuleResult => ({ status: 'ok', ...f });
export const changed = (f: ResultFields = {}): ModuleResult => ({ status: 'changed', ...f });
export const skipped = (reason: string, f: ResultFields = {}): ModuleResult => ({ status: 'skipped', skip_reason: reason, ...f });
export const failed = (msg: string, f: ResultFields = {}): ModuleResult => ({ status: 'failed', ...f, msg });
export const unreachable = (msg: string, failure?: Failure): ModuleResult => ({
  status: 'unreachable',
  msg,
  ...(failure ? { failure } : {}),
});

/** The shape `register:` stores, as in Ansible: changed/failed/skipped booleans plus fields. */
export function toRegistered(r: ModuleResult, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { status, data, decision: _decision, failure: _failure, verboseAlways: _shown, ...fields } = r as ModuleResult & CheckPrediction;
  delete (fields as CheckPrediction).prediction;
  delete (fields as CheckPrediction).predicted;
  const early = r.status === 'skipped' && r.beforeModule === true;
  const reason = r.status === 'skipped' ? r.skip_reason : undefined;
  delete (fields as { skip_reason?: string }).skip_reason;
  delete (fields as { beforeModule?: true }).beforeModule;
  const out: Record<string, unknown> = {
    ...fields,
    ...(data ?? {}),
    // a failed result may say it changed the host (a command that ran and exited non-zero), as Ansible's
    changed: status === 'changed' || (status === 'failed' && data?.['changed'] === true),
    ...(early ? {} : { failed: status === 'failed' }),
    ...(early && reason !== undefined ? { skip_reason: reason } : {}),
    ...extra,
  };
  if (status === 'skipped') out['skipped'] = true;
  if (status === 'unreachable') out['unreachable'] = true;
  if (typeof r.stdout === 'string') out['stdout_lines'] = splitLines(r.stdout);
  if (typeof r.stderr === 'string') out['stderr_lines'] = splitLines(r.stderr);
  return out;
}

function splitLines(s: string): string[] {
  if (s === '') return [];
  return s.replace(/\n$/, '').split('\n');
}
