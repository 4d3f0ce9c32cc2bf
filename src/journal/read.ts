// Reading journals back: tolerant of a torn last line (a crash mid-write), and summarised
// for `runbook runs`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { RunVerdict } from '../core/verdict.js';
import type { JournalLine, RunHeader, RunSummary } from './model.js';

export function readJournal(file: string): { lines: JournalLine[]; torn: boolean } {
  const text = readFileSync(file, 'utf8');
  const raw = text.split('\n');
  const lines: JournalLine[] = [];
  let torn = false;
  raw.forEach((l, i) => {
    if (l.trim() === '') return;
    try {
      lines.push(JSON.parse(l) as JournalLine);
    } catch {
      if (i >= raw.length - 2)
        torn = true; // the last line written: cut by a crash
      else throw new Error(`${file}:${i + 1}: not a journal line`);
    }
  });
  return { lines, torn };
}

/** Is the pid a live process on this machine? */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // a killed process not yet reaped (a zombie) is dead
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** `read`: the journal already read (the report reads it once for both). */
export function summarize(dir: string, read?: { lines: JournalLine[]; torn: boolean }): RunSummary | undefined {
  const file = join(dir, 'journal.jsonl');
  if (!read && !existsSync(file)) return undefined;
  const { lines, torn } = read ?? readJournal(file);
  const header = lines[0];
  if (!header || header.type !== 'run-header') return undefined;
  const h = header as RunHeader;
  let changed = 0;
  let failed = 0;
  let end: Record<string, unknown> | undefined;
  for (const l of lines) {
    if (l.type === 'host-result') {
      const status = (l as { result?: { status?: string } }).result?.status;
      // a replayed result was counted by the run that did it
      if (status === 'changed' && (l as { resumed?: boolean }).resumed !== true) changed++;
      if (status === 'failed' && !(l as { result?: { ignored?: boolean } }).result?.ignored) failed++;
    }
    if (l.type === 'run-end') end = l as Record<string, unknown>;
  }
  const exitCode = typeof end?.['exitCode'] === 'number' ? (end['exitCode'] as number) : undefined;
  const status: RunSummary['status'] = end ? recordedVerdict(end) : h.controller === hostname() && alive(h.pid) ? 'running' : 'crashed';
  return {
    id: h.id,
    dir,
    header: h,
    status,
    changed,
    failed,
    torn,
    ...(typeof end?.['durationMs'] === 'number' ? { durationMs: end['durationMs'] as number } : {}),
    ...(exitCode !== undefined ? { exitCode } : {}),
  };
}

const VERDICTS: readonly RunVerdict[] = ['ok', 'failed', 'unreachable', 'interrupted'];

/** The run-end line's verdict; a journal written before verdicts were recorded has only its exit code. */
function recordedVerdict(end: Record<string, unknown>): RunVerdict {
  const v = VERDICTS.find((x) => x === end['verdict']);
  if (v) return v;
  return end['interrupted'] === true ? 'interrupted' : end['exitCode'] === 0 ? 'ok' : end['exitCode'] === 4 ? 'unreachable' : 'failed';
}

/** Runs under `runsDir`, newest first. */
export function listRuns(runsDir: string): RunSummary[] {
  if (!existsSync(runsDir)) return [];
  return readdirSync(runsDir)
    .sort()
    .reverse()
    .map((id) => summarize(join(runsDir, id)))
    .filter((r): r is RunSummary => r !== undefined);
}
