import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/executor/events.js';
import { ANSI, counters, hostResult, lines, playEnd, playStart, runEnd, runStart, taskEnd, taskStart } from './helpers.js';

const events: RunEvent[] = [
  runStart(true),
  playStart('Recover etcd', ['etcd1', 'etcd2', 'etcd3']),
  taskStart('t1', 'Stop etcd', ['etcd1', 'etcd2', 'etcd3']),
  hostResult('t1', 'Stop etcd', 'etcd1', { status: 'changed', predicted: 'stop etcd.service' }),
  hostResult('t1', 'Stop etcd', 'etcd2', { status: 'unreachable', msg: 'cannot connect to 127.0.0.2:22' }),
  hostResult('t1', 'Stop etcd', 'etcd3', { status: 'ok' }),
  taskEnd('t1', 'Stop etcd'),
  taskStart('t2', 'Restore', ['etcd1', 'etcd3']),
  hostResult('t2', 'Restore', 'etcd1', {
    status: 'skipped',
    msg: 'check mode: command runs only on apply',
    prediction: 'unknown',
    predicted: 'command runs only on apply',
  }),
  hostResult('t2', 'Restore', 'etcd3', { status: 'failed', msg: 'no snapshot', rc: 2 }),
  taskEnd('t2', 'Restore'),
  taskStart('t3', 'Maybe', ['etcd1']),
  hostResult('t3', 'Maybe', 'etcd1', { status: 'skipped', msg: 'Conditional result was False' }),
  taskEnd('t3', 'Maybe'),
  playEnd('Recover etcd'),
  runEnd({ etcd1: counters() }),
];

describe('plan reporter', () => {
  it('shows only what would change, could not be predicted, or failed; then the summary', async () => {
    expect(await lines('plan', events)).toEqual([
      'Play: Recover etcd (hosts: etcd1, etcd2, etcd3)',
      '  ~ [etcd1] Stop etcd: would stop etcd.service',
      '  ! [etcd2] Stop etcd: unreachable: cannot connect to 127.0.0.2:22',
      '  ? [etcd1] Restore: cannot predict (command runs only on apply)',
      '  x [etcd3] Restore: failed: rc=2: no snapshot',
      '',
      'Plan: 1 to change, 1 unchanged, 1 unreachable, 1 failed, 1 unknown until apply.',
    ]);
  });

  it('lists unchanged results with -v', async () => {
    const out = await lines('plan', events, { verbosity: 1 });
    expect(out).toContain('  = [etcd3] Stop etcd');
  });

  it('leaves out the unknown clause when everything could be predicted', async () => {
    const out = await lines('plan', [
      playStart('P', ['a']),
      taskStart('t', 'T', ['a']),
      hostResult('t', 'T', 'a', { status: 'changed' }),
      hostResult('t', 'T', 'b', { status: 'changed', predicted: 'x' }, { delegatedTo: 'c' }),
      taskEnd('t', 'T'),
      runEnd({}),
    ]);
    expect(out).toEqual([
      'Play: P (hosts: a)',
      '  ~ [a] T: would change',
      '  ~ [b -> c] T: would x',
      '',
      'Plan: 2 to change, 0 unchanged, 0 unreachable, 0 failed.',
    ]);
  });

  it('counts each loop item and marks handlers', async () => {
    const out = await lines('plan', [
      taskStart('h', 'restart etcd', ['a'], { handler: true }),
      hostResult(
        'h',
        'restart etcd',
        'a',
        { status: 'changed' },
        {
          items: [
            { status: 'changed', item: 'x', predicted: 'restart' },
            { status: 'ok', item: 'y' },
          ],
        },
      ),
      runEnd({}),
    ]);
    expect(out).toEqual([
      '  ~ [a] restart etcd (handler) (item=x): would restart',
      '',
      'Plan: 1 to change, 1 unchanged, 0 unreachable, 0 failed.',
    ]);
  });

  it('shows predicted file diffs with --diff', async () => {
    const out = await lines(
      'plan',
      [
        taskStart('t', 'Config', ['a']),
        hostResult('t', 'Config', 'a', {
          status: 'changed',
          predicted: 'update /etc/x',
          diff: [{ path: '/etc/x', before: 'old\n', after: 'new\n' }],
        }),
      ],
      { diff: true },
    );
    expect(out).toEqual([
      '  ~ [a] Config: would update /etc/x',
      '      --- before: /etc/x',
      '      +++ after: /etc/x',
      '      @@ -1 +1 @@',
      '      -old',
      '      +new',
    ]);
  });

  it('says when the plan was interrupted', async () => {
    const out = await lines('plan', [runEnd({}, { interrupted: true })]);
    expect(out.at(-1)).toMatch(/^Interrupted: /);
  });

  it('colors only with color', async () => {
    expect((await lines('plan', events, { color: false })).some((l) => ANSI.test(l))).toBe(false);
    expect(await lines('plan', events, { color: true })).toContain('\u001b[0;33m  ~ [etcd1] Stop etcd: would stop etcd.service\u001b[0m');
  });
});
