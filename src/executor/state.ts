// What the executor knows about each host during a run.
import { emptyCounters, type Counters } from './events.js';

export type HostStatus = 'active' | 'failed' | 'unreachable' | 'ended';

let statuses = 0;

/** Bumped whenever a host's status changes: lists of the active hosts are cached against it. */
export function statusVersion(): number {
  return statuses;
}

export class HostState {
  #status: HostStatus = 'active';

  get status(): HostStatus {
    return this.#status;
  }

  set status(s: HostStatus) {
    if (s !== this.#status) statuses++;
    this.#status = s;
  }

  /** set_fact and gathered facts */
  readonly facts: Record<string, unknown> = {};
  /** facts gathered by setup / gather_facts (below play vars, as Ansible's host facts) */
  readonly gathered: Record<string, unknown> = {};
  /** `include_vars` results (below set_fact, above task vars) */
  readonly includedVars: Record<string, unknown> = {};
  /** `register:` results */
  readonly registered: Record<string, unknown> = {};
  /** handler names (or listen topics) notified and not yet run */
  readonly notified = new Set<string>();
  readonly counters: Counters = emptyCounters();
  unreachableReason?: string;
  /** failed task and result, for `ansible_failed_task` / `ansible_failed_result` in rescue */
  failedTask?: { name: string; action: string; module: string };
  failedResult?: Record<string, unknown>;

  constructor(readonly name: string) {}

  get active(): boolean {
    return this.status === 'active';
  }
}
