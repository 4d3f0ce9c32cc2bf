import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/executor/events.js';
import { palette, stripAnsi } from '../../../src/ui/color.js';
import { hostTitle, taskSummary } from '../../../src/ui/tty.js';
import { ANSI, counters, hostResult, oneTask, render, runEnd, taskEnd, taskStart } from './helpers.js';

const events: RunEvent[] = [
  ...oneTask('Stop etcd', [
    ['etcd1', { status: 'changed' }],
    ['etcd2', { status: 'changed' }],
    ['etcd3', { status: 'ok' }],
    ['etcd4', { status: 'failed', rc: 1, msg: 'etcdctl: connection refused' }],
  ]),
  runEnd({ etcd1: counters({ ok: 1, changed: 1 }) }),
];

describe('tty reporter on a non-TTY stream', () => {
  it('does not throw, prints one summary line per task and ends with the recap', async () => {
    const text = await render('tty', events);
    const out = text.trimEnd().split('\n');
    expect(out).toContain('✖ Stop etcd  changed: etcd1 etcd2  ok: etcd3  failed: etcd4  (0.0s)');
    expect(out).toContain('  ✖ etcd4 failed (0.0s): rc=1: etcdctl: connection refused');
    expect(out.at(-3)).toBe(
      'etcd1                      : ok=1    changed=1    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0',
    );
    expect(out.at(-1)).toBe('Finished in 12.3s');
    expect(text).not.toMatch(ANSI);
  });

  it('marks a task without failures with a check', async () => {
    const out = await render(
      'tty',
      oneTask('Check', [
        ['a', { status: 'ok' }],
        ['b', { status: 'failed', msg: 'meh', ignored: true }],
        ['c', { status: 'skipped' }],
      ]),
    );
    expect(out).toContain('✔ Check  ok: a  skipping: c  ignored: b  (0.0s)\n');
  });

  it('survives a run that ends without task-end and closes cleanly', async () => {
    const cut = events.filter((e) => e.type !== 'task-end');
    const text = await render('tty', cut);
    expect(text).toContain('PLAY RECAP');
  });

  it('shows debug output and diffs after the task', async () => {
    const text = await render(
      'tty',
      oneTask('Say', [['a', { status: 'changed', data: { msg: 'hi' }, diff: [{ path: 'f', before: 'x\n', after: 'y\n' }] }]], {
        module: 'ansible.builtin.debug',
      }),
      { diff: true },
    );
    expect(text).toContain('  [a]:\n    hi\n  [a] diff:\n    --- before: f\n');
  });

  it('uses colors only with color: true', async () => {
    expect(await render('tty', events, { color: true })).toMatch(ANSI);
  });

  it('copes with a task over no hosts and a handler', async () => {
    const text = await render('tty', [
      taskStart('t', 'Nothing', []),
      taskEnd('t', 'Nothing'),
      taskStart('h', 'restart etcd', ['a'], { handler: true }),
      hostResult('h', 'restart etcd', 'a', { status: 'changed' }),
      taskEnd('h', 'restart etcd'),
    ]);
    expect(text).toBe('✔ Nothing  (0.0s)\n✔ RUNNING HANDLER restart etcd  changed: a  (0.0s)\n');
  });

  it('ignores a result for a task it never saw', async () => {
    await expect(render('tty', [hostResult('x', 't', 'h', { status: 'ok' })])).resolves.toBe('');
  });
});

describe('tty reporter on a terminal', () => {
  it("runs listr2's live renderer and leaves the collapsed task line and the recap", async () => {
    const term = Object.assign(new PassThrough(), { isTTY: true, columns: 120, rows: 40 });
    const saved = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
    Object.defineProperty(process.stdout, 'isTTY', { value: true, configurable: true });
    try {
      const raw = await render('tty', events, {}, term);
      expect(raw).toContain('\u001b[?25l'); // listr2 took the terminal (hid the cursor)
      const text = stripAnsi(raw);
      expect(text).toContain('Stop etcd  changed: etcd1 etcd2  ok: etcd3  failed: etcd4');
      // the final frame keeps the failed host (in red, with its message) under the collapsed task
      const final = text.slice(text.lastIndexOf('Stop etcd  changed'));
      expect(final).toContain('✖ etcd4 failed (0.0s): rc=1: etcdctl: connection refused');
      // the task itself failed: listr2's ✖, not its ⚠ for "completed with failed subtasks"
      expect(text.slice(text.lastIndexOf('Stop etcd  changed') - 2)).toMatch(/^✖ Stop etcd/);
      expect(text).not.toContain('⚠');
      expect(text.trimEnd().split('\n').at(-1)).toBe('Finished in 12.3s');
    } finally {
      if (saved) Object.defineProperty(process.stdout, 'isTTY', saved);
      else delete (process.stdout as { isTTY?: boolean }).isTTY;
    }
  });
});

describe('tty titles', () => {
  const p = palette(false);
  it('describes a host result in one line', () => {
    const e = {
      type: 'host-result',
      id: 't',
      task: 'T',
      host: 'a',
      delegatedTo: 'b',
      result: { status: 'changed', predicted: 'restart' },
      items: [{ status: 'changed' }],
      durationMs: 1,
      time: 0,
    } as const;
    expect(hostTitle(e, p)).toBe('a -> b changed (1 items) (0.0s): would restart');
  });
  it('groups hosts by outcome in a fixed order', () => {
    const mk = (host: string, status: 'ok' | 'unreachable'): Extract<RunEvent, { type: 'host-result' }> => ({
      type: 'host-result',
      id: 't',
      task: 'T',
      host,
      result: { status },
      durationMs: 1,
      time: 0,
    });
    expect(taskSummary('T', [mk('x', 'unreachable'), mk('y', 'ok')], p)).toBe('T  ok: y  unreachable: x');
  });
  it('a result replayed by --resume is shown as replayed, not changed', () => {
    const e = {
      type: 'host-result',
      id: 't',
      task: 'T',
      host: 'a',
      resumed: true,
      result: { status: 'changed' },
      durationMs: 1,
      time: 0,
    } as const;
    expect(hostTitle(e, p)).toBe('a replayed (changed in the run resumed)');
    const fresh = { ...e, host: 'b', resumed: false } as const;
    expect(taskSummary('T', [e, fresh], p)).toBe('T  changed: b  replayed: a');
  });
});

describe('tty: structured results, waits and notices', () => {
  it('renders a decision (a list of lines) and records (a table), never JSON', async () => {
    const text = await render(
      'tty',
      oneTask('Decide', [['a', { status: 'ok', data: { msg: ['recover from etcd3', '  host   rev', '  etcd3  12'] } }]], {
        module: 'debug',
      }),
    );
    expect(text).toContain('  [a]:\n    recover from etcd3\n      host   rev\n      etcd3  12\n');
    const rows = await render(
      'tty',
      oneTask(
        'Rows',
        [
          [
            'a',
            {
              status: 'ok',
              data: {
                members: [
                  { name: 'etcd1', rev: 7 },
                  { name: 'etcd22', rev: 1234 },
                ],
              },
            },
          ],
        ],
        { module: 'debug' },
      ),
    );
    expect(rows).toContain('    members:\n      name    rev\n      etcd1   7\n      etcd22  1234\n');
    expect(text + rows).not.toMatch(/[{"]/);
  });

  it('shows what a wait waits for, its elapsed time and deadline while it waits', async () => {
    const term = Object.assign(new PassThrough(), { isTTY: true, columns: 120, rows: 40 });
    const saved = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
    Object.defineProperty(process.stdout, 'isTTY', { value: true, configurable: true });
    try {
      const chunks: string[] = [];
      term.on('data', (c: Buffer) => chunks.push(String(c)));
      const { createReporter } = await import('../../../src/ui/index.js');
      const r = await createReporter('tty', term, { verbosity: 0, color: false, diff: false });
      r.onEvent(taskStart('w', 'Wait until it is healthy', ['etcd1']));
      r.onEvent({
        type: 'progress',
        id: 'w',
        host: 'etcd1',
        progress: { waitingFor: 'https://10.0.0.1:2379 healthy', elapsedMs: 4200, deadlineMs: 60_000 },
        time: 0,
      });
      await new Promise((res) => setTimeout(res, 1300));
      r.notice?.('Interrupted: finishing the running step; Ctrl-C again to abort.');
      await new Promise((res) => setTimeout(res, 300));
      r.onEvent(hostResult('w', 'Wait until it is healthy', 'etcd1', { status: 'ok' }));
      r.onEvent(taskEnd('w', 'Wait until it is healthy'));
      await r.close();
      const text = stripAnsi(chunks.join(''));
      expect(text).toContain('etcd1 waiting for https://10.0.0.1:2379 healthy — 4 s of 60 s');
      // it counts on between the module's reports
      expect(text).toContain('etcd1 waiting for https://10.0.0.1:2379 healthy — 5 s of 60 s');
      expect(text).toContain('Wait until it is healthy  Interrupted: finishing the running step;');
      // and the notice stays after the live view is gone
      expect(text.trimEnd().split('\n').at(-1)).toBe('Interrupted: finishing the running step; Ctrl-C again to abort.');
    } finally {
      if (saved) Object.defineProperty(process.stdout, 'isTTY', saved);
      else delete (process.stdout as { isTTY?: boolean }).isTTY;
    }
  });
});
