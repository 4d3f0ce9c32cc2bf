// What a step that waits tells while it waits: the target, how long it has waited, and until
// when it will. Modules and the executor's retries/until report it through a callback; the
// executor turns it into a `progress` event; reporters decide how (and whether) to show it.
export interface Progress {
  /** what is waited for, as an operator reads it: `https://10.0.0.1:2379 healthy` */
  readonly waitingFor: string;
  readonly elapsedMs: number;
  /** when the step gives up, counted from its start */
  readonly deadlineMs?: number;
  /** retries/until: this attempt and how many there may be */
  readonly attempt?: number;
  readonly attempts?: number;
  /** the last answer, when it says why it is not there yet */
  readonly last?: string;
}

/** `waiting for X — 4 s of 60 s (attempt 2 of 5)` */
export function progressText(p: Progress, elapsedMs = p.elapsedMs): string {
  const s = (ms: number): string => `${Math.floor(ms / 1000)} s`;
  const time = p.deadlineMs !== undefined ? `${s(elapsedMs)} of ${s(p.deadlineMs)}` : s(elapsedMs);
  const attempt = p.attempt !== undefined ? ` (attempt ${p.attempt}${p.attempts !== undefined ? ` of ${p.attempts}` : ''})` : '';
  return `waiting for ${p.waitingFor} — ${time}${attempt}`;
}
