import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/executor/events.js';
import { ANSI, counters, hostResult, lines, oneTask, playEnd, playStart, runEnd, runStart, taskEnd, taskStart } from './helpers.js';

const STARS = (n: number): string => '*'.repeat(n);

describe('plain reporter: banners', () => {
  it('pads PLAY, TASK, RUNNING HANDLER and PLAY RECAP headers with stars to 80 columns', async () => {
    const out = await lines('plain', [
      runStart(),
      playStart('Recover etcd', ['etcd1']),
      taskStart('t1', 'Stop etcd', ['etcd1']),
      taskEnd('t1', 'Stop etcd'),
      taskStart('h1', 'restart etcd', ['etcd1'], { handler: true }),
      taskEnd('h1', 'restart etcd'),
      playEnd('Recover etcd'),
      runEnd({}),
    ]);
    expect(out.slice(0, 6)).toEqual([
      `PLAY [Recover etcd] ${STARS(60)}`,
      '',
      `TASK [Stop etcd] ${STARS(63)}`,
      '',
      `RUNNING HANDLER [restart etcd] ${STARS(49)}`,
      '',
    ]);
    expect(out[6]).toBe(`PLAY RECAP ${STARS(69)}`);
    for (const l of out.filter((x) => x.includes('****'))) expect(l).toHaveLength(80);
  });

  it("prints the play's banner again for each batch of a serial play after the first, as ansible-playbook", async () => {
    const batch = (index: number, hosts: string[]): RunEvent => ({ type: 'batch-start', play: 'web', hosts, index, count: 2 });
    const out = await lines('plain', [
      runStart(),
      playStart('web', ['w1', 'w2']),
      batch(1, ['w1']),
      taskStart('t1', 'ping', ['w1']),
      taskEnd('t1', 'ping'),
      batch(2, ['w2']),
      taskStart('t2', 'ping', ['w2']),
      taskEnd('t2', 'ping'),
    ]);
    expect(out.filter((l) => l.startsWith('PLAY [') || l.startsWith('TASK ['))).toEqual([
      `PLAY [web] ${STARS(69)}`,
      `TASK [ping] ${STARS(68)}`,
      `PLAY [web] ${STARS(69)}`,
      `TASK [ping] ${STARS(68)}`,
    ]);
  });

  it('keeps at least three stars on a very long name', async () => {
    const name = 'x'.repeat(90);
    const out = await lines('plain', [playStart(name, ['h1'])]);
    expect(out).toEqual([`PLAY [${name}] ***`]);
  });
});

describe('plain reporter: result lines', () => {
  it('prints every status form, Ansible-style', async () => {
    const out = await lines(
      'plain',
      oneTask('Stop etcd', [
        ['etcd1', { status: 'changed' }],
        ['etcd2', { status: 'ok' }],
        ['etcd3', { status: 'skipped', msg: 'Conditional result was False' }],
        ['etcd4', { status: 'failed', rc: 1, msg: 'etcdctl: connection refused' }],
        ['etcd5', { status: 'unreachable', msg: 'etcd5: cannot connect to 127.0.0.2:22: connection refused' }],
      ]),
    );
    expect(out.slice(3)).toEqual([
      'changed: [etcd1]',
      'ok: [etcd2]',
      'skipping: [etcd3]',
      'fatal: [etcd4]: FAILED! => rc=1: etcdctl: connection refused',
      'fatal: [etcd5]: UNREACHABLE! => etcd5: cannot connect to 127.0.0.2:22: connection refused',
    ]);
  });

  it('shows loop items, delegation and ignored failures', async () => {
    const out = await lines(
      'plain',
      oneTask('Copy', [
        [
          'etcd1',
          { status: 'changed' },
          {
            items: [
              { status: 'ok', item: 'a' },
              { status: 'changed', item: 'b' },
              { status: 'skipped', item: 'c' },
            ],
          },
        ],
        ['etcd2', { status: 'changed' }, { delegatedTo: 'etcd3' }],
        ['etcd3', { status: 'failed', msg: 'boom', ignored: true }],
      ]),
    );
    expect(out.slice(3)).toEqual([
      'ok: [etcd1] => (item=a)',
      'changed: [etcd1] => (item=b)',
      'skipping: [etcd1] => (item=c) ', // 2.14's trailing space
      'changed: [etcd2 -> etcd3]',
      'fatal: [etcd3]: FAILED! => boom',
      '...ignoring',
    ]);
  });

  it("prints a failed loop as its items' lines only, as ansible-playbook 2.14 (no fatal line for the loop)", async () => {
    const out = await lines(
      'plain',
      oneTask('Loop', [
        [
          'etcd1',
          { status: 'failed', msg: 'One or more items failed' },
          {
            items: [
              { status: 'ok', item: 'a' },
              { status: 'failed', item: 'b', rc: 2, msg: 'nope' },
            ],
          },
        ],
      ]),
    );
    expect(out.slice(3)).toEqual(['ok: [etcd1] => (item=a)', 'failed: [etcd1] (item=b) => rc=2: nope']);
  });

  it('shows debug output as 4-space indented JSON', async () => {
    const out = await lines(
      'plain',
      oneTask(
        'Say',
        [
          ['etcd1', { status: 'ok', data: { msg: 'hello "world"' } }],
          ['etcd2', { status: 'ok', data: { etcd_version: { major: 3 } } }],
        ],
        { module: 'debug' },
      ),
    );
    expect(out.slice(3)).toEqual([
      'ok: [etcd1] => {',
      '    "msg": "hello \\"world\\""',
      '}',
      'ok: [etcd2] => {',
      '    "etcd_version": {',
      '        "major": 3',
      '    }',
      '}',
    ]);
  });

  it('does not dump data of non-debug modules without msg (set_fact facts)', async () => {
    const out = await lines(
      'plain',
      oneTask('Facts', [['etcd1', { status: 'ok', data: { ansible_facts: { a: 1 } } }]], { module: 'set_fact' }),
    );
    expect(out.slice(3)).toEqual(['ok: [etcd1]']);
  });

  it('check mode: changed results say what would be done, only when predicted', async () => {
    const out = await lines(
      'plain',
      oneTask(
        'Stop etcd',
        [
          ['etcd1', { status: 'changed', predicted: 'stop etcd.service' }],
          ['etcd2', { status: 'changed' }],
        ],
        { check: true },
      ),
    );
    expect(out.slice(3)).toEqual(['changed: [etcd1] => would stop etcd.service', 'changed: [etcd2]']);
  });

  it('failed results show their stderr without -v; stdout only when there is nothing else', async () => {
    const out = await lines(
      'plain',
      oneTask('Run', [
        ['etcd1', { status: 'failed', msg: 'non-zero return code', rc: 3, stderr: 'err one\nerr two\n', stdout: 'out one\nout two' }],
      ]),
    );
    expect(out.slice(3)).toEqual(['fatal: [etcd1]: FAILED! => rc=3: non-zero return code', '    stderr: err one', '            err two']);
    const quiet = await lines('plain', oneTask('Run', [['etcd1', { status: 'failed', msg: '', rc: 3, stdout: 'out one\nout two' }]]));
    expect(quiet.slice(3)).toEqual(['fatal: [etcd1]: FAILED! => rc=3', '    stdout: out one']);
  });

  it('-v shows rc, stdout and stderr of every result compactly', async () => {
    const long = Array.from({ length: 12 }, (_, i) => `l${i + 1}`).join('\n');
    const out = await lines(
      'plain',
      oneTask('Run', [
        ['etcd1', { status: 'changed', rc: 0, stdout: 'done\nreally' }],
        ['etcd2', { status: 'failed', rc: 1, msg: 'bad', stderr: long }],
      ]),
      { verbosity: 1 },
    );
    expect(out.slice(3)).toEqual([
      'changed: [etcd1] => rc=0',
      '    stdout: done',
      '            really',
      'fatal: [etcd2]: FAILED! => rc=1: bad',
      ...Array.from({ length: 10 }, (_, i) => (i === 0 ? '    stderr: l1' : `            l${i + 1}`)),
      '            ... (2 more lines, -vv shows all)',
    ]);
  });

  it('-vv shows the task path', async () => {
    const out = await lines('plain', oneTask('Stop etcd', [['etcd1', { status: 'ok' }]]), { verbosity: 2 });
    expect(out.slice(2, 4)).toEqual([`TASK [Stop etcd] ${STARS(63)}`, 'task path: playbooks/etcd.yml:12']);
  });

  it('prints warnings, with the host when there is one', async () => {
    const out = await lines('plain', [
      { type: 'warning', message: 'no hosts matched' },
      { type: 'warning', message: 'include failed', host: 'etcd1' },
    ]);
    expect(out).toEqual(['[WARNING]: no hosts matched', '[WARNING]: [etcd1] include failed']);
  });
});

describe('plain reporter: the end', () => {
  const recap = { etcd1: counters({ ok: 3, changed: 1 }) };

  it('ends with the recap and Finished in', async () => {
    const out = await lines('plain', [runEnd(recap)]);
    expect(out).toEqual([
      `PLAY RECAP ${STARS(69)}`,
      'etcd1                      : ok=3    changed=1    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0',
      '',
      'Finished in 12.3s',
    ]);
  });

  it('says Interrupted on the final line', async () => {
    const out = await lines('plain', [runEnd(recap, { interrupted: true, durationMs: 61_500 })]);
    expect(out.at(-2)).toBe('Finished in 1m 01.5s');
    expect(out.at(-1)).toMatch(/^Interrupted: /);
  });
});

describe('plain reporter: colors', () => {
  const events: RunEvent[] = [
    ...oneTask('Stop etcd', [
      ['etcd1', { status: 'ok' }],
      ['etcd2', { status: 'changed' }],
      ['etcd3', { status: 'skipped' }],
      ['etcd4', { status: 'failed', msg: 'x' }],
      ['etcd5', { status: 'unreachable', msg: 'y' }],
    ]),
    runEnd({ etcd1: counters({ ok: 1 }) }),
  ];

  it('uses no escape codes without color', async () => {
    const out = await lines('plain', events, { color: false });
    expect(out.some((l) => ANSI.test(l))).toBe(false);
  });

  it('colors ok green, changed yellow, skipped cyan, failed red, unreachable bright red', async () => {
    const out = await lines('plain', events, { color: true });
    expect(out).toContain('\u001b[0;32mok: [etcd1]\u001b[0m');
    expect(out).toContain('\u001b[0;33mchanged: [etcd2]\u001b[0m');
    expect(out).toContain('\u001b[0;36mskipping: [etcd3]\u001b[0m');
    expect(out).toContain('\u001b[0;31mfatal: [etcd4]: FAILED! => x\u001b[0m');
    expect(out).toContain('\u001b[1;31mfatal: [etcd5]: UNREACHABLE! => y\u001b[0m');
    // banners stay uncolored, like Ansible's
    expect(out[0]).toBe(`PLAY [Recover etcd] ${STARS(60)}`);
  });
});

describe('plain reporter: diff', () => {
  const withDiff = oneTask('Template', [
    ['etcd1', { status: 'changed', diff: [{ path: '/etc/etcd.conf', before: 'a\nb\nc\n', after: 'a\nB\nc\nd\n' }] }],
  ]);

  it('prints a unified diff under the result with --diff', async () => {
    const out = await lines('plain', withDiff, { diff: true });
    expect(out.slice(3)).toEqual([
      'changed: [etcd1]',
      '--- before: /etc/etcd.conf',
      '+++ after: /etc/etcd.conf',
      '@@ -1,3 +1,4 @@',
      ' a',
      '-b',
      '+B',
      ' c',
      '+d',
    ]);
  });

  it('prints no diff without --diff', async () => {
    const out = await lines('plain', withDiff, { diff: false });
    expect(out.slice(3)).toEqual(['changed: [etcd1]']);
  });
});

describe('plain reporter: odd sequences', () => {
  it('accepts a host-result whose task-start it never saw', async () => {
    const out = await lines('plain', [hostResult('zz', 'Lost', 'etcd1', { status: 'ok' })]);
    expect(out).toEqual(['ok: [etcd1]']);
  });
});

describe('plain reporter: waits and step times', () => {
  it('prints a wait when it begins and every 10 s, and the time of a slow step', async () => {
    const progress = (elapsedMs: number): RunEvent => ({
      type: 'progress',
      id: 'w',
      host: 'etcd1',
      progress: { waitingFor: 'https://10.0.0.1:2379 healthy', elapsedMs, deadlineMs: 60_000 },
      time: 0,
    });
    const out = await lines('plain', [
      { ...taskStart('w', 'Wait', ['etcd1']), time: 1000 } as RunEvent,
      progress(250),
      progress(500),
      progress(10_250),
      progress(10_500),
      hostResult('w', 'Wait', 'etcd1', { status: 'ok' }),
      { ...taskEnd('w', 'Wait'), time: 13_500 } as RunEvent,
    ]);
    expect(out.filter((l) => l.includes('waiting for'))).toEqual([
      '  [etcd1] waiting for https://10.0.0.1:2379 healthy — 0 s of 60 s',
      '  [etcd1] waiting for https://10.0.0.1:2379 healthy — 10 s of 60 s',
    ]);
    expect(out.at(-1)).toBe('took 12.5s');
  });
});

describe('plain reporter: --resume', () => {
  it('a replayed result has its own mark, and the recap counts it apart', async () => {
    const out = await lines('plain', [
      runStart(),
      playStart('P', ['etcd1']),
      taskStart('t', 'Restore', ['etcd1']),
      {
        type: 'host-result',
        id: 't',
        task: 'Restore',
        host: 'etcd1',
        resumed: true,
        result: { status: 'changed' },
        durationMs: 1,
        time: 0,
      },
      taskEnd('t', 'Restore'),
      playEnd('P'),
      runEnd({ etcd1: counters({ ok: 1, changed: 1, replayed: 1 }) }),
    ]);
    expect(out).toContain('replayed: [etcd1] (changed in the run resumed: not run again)');
    expect(out.some((l) => l.startsWith('changed: [etcd1]'))).toBe(false);
    expect(out.find((l) => l.startsWith('etcd1 '))).toMatch(
      /ok=1 +changed=1 +unreachable=0 +failed=0 +skipped=0 +rescued=0 +ignored=0 +replayed=1$/,
    );
  });
});
