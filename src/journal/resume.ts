// --resume: what an earlier run finished, replayed instead of run again. Outcomes are taken
// per task (its source position) and host, in the order they happened; once a host meets a
// task the earlier run did not finish (in flight, failed, unreachable, no_log), everything
// after it on that host runs again.
import { hashFile } from './header.js';
import type { JournalLine, RunHeader } from './model.js';

/**
 * `T`: the outcome as the executor recorded it (executor/task.ts TaskOutcome); the journal
 * reads JSON it wrote itself and checks only the result's status, so the type is the caller's word.
 */
export interface Replay<T = unknown> {
  take(key: string, host: string): T | undefined;
  /** outcomes available when the replay started */
  readonly recorded: number;
}

const STOP = Symbol('not replayable');

export function replayFrom<T = unknown>(lines: readonly JournalLine[]): Replay<T> {
  const queues = new Map<string, unknown[]>();
  let recorded = 0;
  for (const l of lines) {
    if (l.type !== 'host-result') continue;
    const e = l as { key?: string; host?: string; outcome?: { result?: { status?: string } } };
    if (!e.key || !e.host) continue;
    const status = e.outcome?.result?.status;
    const ok = status === 'ok' || status === 'changed' || status === 'skipped';
    const q = queues.get(`${e.key}\n${e.host}`) ?? [];
    q.push(ok ? e.outcome : STOP);
    queues.set(`${e.key}\n${e.host}`, q);
    if (ok) recorded++;
  }
  const diverged = new Set<string>();
  return {
    recorded,
    take(key, host) {
      if (diverged.has(host)) return undefined;
      const next = queues.get(`${key}\n${host}`)?.shift();
      if (next === undefined || next === STOP) {
        diverged.add(host);
        return undefined;
      }
      return next as T;
    },
  };
}

/** Input files whose content changed since the run began (or are gone). */
export function changedInputs(h: RunHeader): string[] {
  const out: string[] = [];
  for (const f of [...h.playbookFiles, ...h.inventory.files]) {
    try {
      if (hashFile(f.path).sha256 !== f.sha256) out.push(`${f.path} changed`);
    } catch {
      out.push(`${f.path} is gone`);
    }
  }
  return out;
}
