// Synthetic event sequences (plain data) and a string collector for the reporters.
import { PassThrough } from 'node:stream';
import type { Counters, ResultView, RunEvent } from '../../../src/executor/events.js';
import { createReporter, type ReporterKind } from '../../../src/ui/index.js';

export const pos = { file: 'playbooks/etcd.yml', line: 12, col: 5 };

export function counters(c: Partial<Counters> = {}): Counters {
  return { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0, replayed: 0, ...c };
}

export const runStart = (check = false, diff = false): RunEvent => ({
  type: 'run-start',
  playbook: 'playbooks/etcd.yml',
  check,
  diff,
  time: 0,
});
export const playStart = (play: string, hosts: string[]): RunEvent => ({ type: 'play-start', play, hosts, pos, time: 0 });
export const playEnd = (play: string): RunEvent => ({ type: 'play-end', play, time: 0 });
export const taskStart = (id: string, task: string, hosts: string[], extra: { module?: string; handler?: boolean } = {}): RunEvent => ({
  type: 'task-start',
  id,
  task,
  module: extra.module ?? 'command',
  hosts,
  handler: extra.handler ?? false,
  pos,
  time: 0,
});
export const taskEnd = (id: string, task: string): RunEvent => ({ type: 'task-end', id, task, time: 0 });
export function hostResult(
  id: string,
  task: string,
  host: string,
  result: ResultView,
  extra: { delegatedTo?: string; items?: ResultView[] } = {},
): RunEvent {
  return { type: 'host-result', id, task, host, result, ...extra, durationMs: 5, time: 0 };
}
export const runEnd = (recap: Record<string, Counters>, extra: { interrupted?: boolean; durationMs?: number } = {}): RunEvent => ({
  type: 'run-end',
  recap,
  durationMs: extra.durationMs ?? 12_345,
  verdict: extra.interrupted ? 'interrupted' : 'ok',
  interrupted: extra.interrupted ?? false,
  time: 0,
});

/** A play over three hosts with one task. */
export function oneTask(
  task: string,
  results: Array<[string, ResultView, { delegatedTo?: string; items?: ResultView[] }?]>,
  opts: { module?: string; check?: boolean } = {},
): RunEvent[] {
  const hosts = results.map(([h]) => h);
  return [
    runStart(opts.check ?? false),
    playStart('Recover etcd', [...new Set(hosts)]),
    taskStart('t1', task, [...new Set(hosts)], opts.module ? { module: opts.module } : {}),
    ...results.map(([h, r, x]) => hostResult('t1', task, h, r, x ?? {})),
    taskEnd('t1', task),
    playEnd('Recover etcd'),
  ];
}

export async function render(
  kind: ReporterKind,
  events: readonly RunEvent[],
  opts: Partial<{ verbosity: number; color: boolean; diff: boolean }> = {},
  out: NodeJS.WritableStream = new PassThrough(),
): Promise<string> {
  const stream = out as PassThrough;
  const chunks: string[] = [];
  stream.on('data', (c: Buffer | string) => chunks.push(String(c)));
  const r = await createReporter(kind, stream, { verbosity: 0, color: false, diff: false, ...opts });
  for (const e of events) r.onEvent(e);
  await r.close();
  return chunks.join('');
}

export async function lines(
  kind: ReporterKind,
  events: readonly RunEvent[],
  opts: Partial<{ verbosity: number; color: boolean; diff: boolean }> = {},
): Promise<string[]> {
  const text = await render(kind, events, opts);
  return text.replace(/\n$/, '').split('\n');
}

export const ANSI = /\u001b\[/;
