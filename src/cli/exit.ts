import type { RunVerdict } from '../core/verdict.js';
import type { RunEvent } from '../executor/events.js';

/** Exit codes, as ansible-playbook's. */
export const EXIT = {
  ok: 0,
  invalid: 1,
  failed: 2,
  unreachable: 4,
  interrupted: 130,
} as const;

/** The one map from how a run ended to the exit code. */
const VERDICT_EXIT: Readonly<Record<RunVerdict, number>> = {
  ok: EXIT.ok,
  failed: EXIT.failed,
  unreachable: EXIT.unreachable,
  interrupted: EXIT.interrupted,
};

export function exitCodeOf(verdict: RunVerdict): number {
  return VERDICT_EXIT[verdict];
}

/** The run-end event as the journal and --output json show it: with the exit code the cli returns. */
export function withExitCode(e: RunEvent): RunEvent {
  if (e.type !== 'run-end') return e;
  const shown = { ...e, exitCode: exitCodeOf(e.verdict) };
  return shown;
}
