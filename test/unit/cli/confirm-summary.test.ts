// The lines above "Apply these changes?", from the plan's events (pure).
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/executor/events.js';
import type { RunSummary } from '../../../src/journal/model.js';
import { PlanFacts, summaryLines } from '../../../src/cli/confirm-summary.js';

const pos = { file: 'dr.yml', line: 1, col: 1 };
const ts = (id: string, module: string): RunEvent => ({
  type: 'task-start',
  id,
  task: id,
  module,
  hosts: [],
  handler: false,
  pos,
  time: 0,
});
const hr = (id: string, host: string, result: Record<string, unknown>): RunEvent => ({
  type: 'host-result',
  id,
  task: id,
  host,
  result: result as never,
  durationMs: 1,
  time: 0,
});
const past = (ms: number, status: RunSummary['status'] = 'ok'): RunSummary => ({
  id: String(ms),
  dir: '',
  status,
  durationMs: ms,
  changed: 0,
  failed: 0,
  torn: false,
  header: { playbook: { path: '/rb/dr.yml' }, mode: 'apply' } as never,
});

describe('the confirmation summary', () => {
  it('names the survivor and why, the strategy, each data dir moved aside and where, and the expected time', () => {
    const f = new PlanFacts();
    for (const e of [
      ts('d', 'etcd_recovery_plan'),
      hr('d', 'etcd1', {
        status: 'ok',
        data: {
          action: 'recover',
          survivor: 'etcd2',
          reason: 'etcd2 has the newest data: revision 56',
          strategy: 'rejoin',
          strategy_reason: 'the default',
          join: ['etcd1'],
          record: { id: 'RID' },
          table: [
            { host: 'etcd1', revision: 51 },
            { host: 'etcd2', revision: 56 },
          ],
        },
      }),
      ts('r', 'ansible.builtin.etcd_restore'),
      hr('r', 'etcd2', {
        status: 'changed',
        predicted: 'restore /b/s.db (to be saved by an earlier task) into /var/lib/etcd as etcd2 of etcd2=https://e2:2380',
      }),
      ts('m', 'etcd_move_aside'),
      hr('m', 'etcd1', { status: 'changed', predicted: 'move /var/lib/etcd aside to /var/lib/etcd.before-RID' }),
    ])
      f.onEvent(e);
    expect(summaryLines(f, [past(20_000), past(5_000, 'failed'), past(10_000)], '/rb/dr.yml')).toEqual([
      '',
      'Before you answer:',
      '  survivor     etcd2 — etcd2 has the newest data: revision 56',
      '  strategy     rejoin (the default)',
      '  moved aside  (kept, never deleted)',
      '    etcd2  /var/lib/etcd -> /var/lib/etcd.before-RID',
      '    etcd1  /var/lib/etcd -> /var/lib/etcd.before-RID',
      '  given up     nothing',
      '  expected     about 15 s (the last 2 runs of this playbook: 20 s, 10 s)',
      '',
    ]);
  });

  it('is empty for a playbook that decides and moves nothing and never ran', () => {
    expect(summaryLines(new PlanFacts(), [], '/rb/x.yml')).toEqual([]);
  });
});
