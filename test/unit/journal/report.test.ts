// The incident report from journal lines (pure): sections filled from what results hold,
// data given up told apart from members rebuilt without loss, Markdown that keeps its tables.
import { describe, expect, it } from 'vitest';
import type { JournalLine, RunHeader, RunSummary } from '../../../src/journal/model.js';
import { buildReport, contentHash } from '../../../src/journal/report.js';
import { reportMarkdown } from '../../../src/journal/report-markdown.js';

const header: RunHeader = {
  type: 'run-header',
  id: 'R1',
  started: '2026-12-02T03:00:00.000Z',
  user: 'oncall',
  controller: 'bastion',
  pid: 42,
  argv: ['apply', 'dr.yml', '-i', 'prod'],
  mode: 'apply',
  playbook: { path: '/rb/dr.yml', sha256: 'a'.repeat(64) },
  playbookFiles: [{ path: '/rb/dr.yml', sha256: 'a'.repeat(64) }],
  inventory: { path: 'prod', files: [{ path: '/rb/prod/hosts.yml', sha256: 'b'.repeat(64) }] },
  extraVars: {},
  git: { commit: 'c0ffee', branch: 'main', dirty: false },
};
const summary: RunSummary = {
  id: 'R1',
  dir: '/x',
  header,
  status: 'ok',
  durationMs: 9000,
  changed: 2,
  failed: 0,
  exitCode: 0,
  torn: false,
};
const t0 = Date.parse(header.started);
const start = (id: string, module: string): JournalLine => ({ type: 'task-start', id, module, task: id, hosts: [] });
const result = (id: string, host: string, endMs: number, durationMs: number, r: Record<string, unknown>): JournalLine => ({
  type: 'host-result',
  id,
  task: id,
  host,
  result: r,
  durationMs,
  time: t0 + endMs,
});
const member = (host: string, keys: number) => ({ ansible_facts: { etcd_member: { host, key_count: keys } } });

const lines: JournalLine[] = [
  header,
  start('read', 'etcd_facts'),
  result('read', 'etcd1', 500, 400, { status: 'ok', msg: 'etcd1: not serving, db revision 90', data: member('etcd1', 0) }),
  result('read', 'etcd2', 600, 500, { status: 'ok', msg: 'etcd2: not serving, db revision 120', data: member('etcd2', 0) }),
  start('decide', 'etcd_recovery_plan'),
  result('decide', 'etcd1', 700, 1, {
    status: 'ok',
    msg: 'recover from etcd1\n  table',
    data: {
      action: 'recover',
      survivor: 'etcd1',
      reason: 'forced: -e etcd_survivor=etcd1',
      strategy: 'rejoin',
      strategy_reason: 'the default',
      join: ['etcd2', 'etcd3'],
      record: { id: '20261202T030000Z', snapshot: '/b/s.db' },
      table: [
        { host: 'etcd1', revision: 90, state: 'not serving' },
        { host: 'etcd2', revision: 120, state: 'not serving' },
        { host: 'etcd3', revision: 80, state: 'not serving' },
        { host: 'etcd4', revision: null, state: 'no data dir' },
      ],
    },
  }),
  start('restore', 'etcd_restore'),
  result('restore', 'etcd1', 2000, 1200, {
    status: 'changed',
    msg: 'restored',
    data: { moved_aside: ['/var/lib/etcd.before-20261202T030000Z'] },
  }),
  result('read', 'etcd1', 2500, 400, { status: 'ok', msg: 'etcd1: healthy, 500 keys', data: member('etcd1', 500) }),
  start('aside', 'etcd_move_aside'),
  result('aside', 'etcd2', 3000, 50, {
    status: 'changed',
    msg: 'moved',
    data: { moved_aside: ['/var/lib/etcd2.before-20261202T030000Z'] },
  }),
  result('aside', 'etcd3', 3100, 50, {
    status: 'changed',
    msg: 'copied',
    data: { copied_aside: ['/var/lib/etcd3.before-20261202T030000Z'] },
  }),
  start('verify', 'etcd_verify'),
  result('verify', 'etcd1', 8000, 300, {
    status: 'ok',
    msg: 'verified: 3 members, cluster 7, 500 keys, test write ok',
    data: { members: ['etcd1', 'etcd2', 'etcd3'], cluster_ids: ['7'], key_count: 500 },
  }),
  start('skip', 'command'),
  result('skip', 'etcd3', 8100, 0, { status: 'skipped', msg: 'Conditional result was False' }),
  { type: 'run-end', recap: { etcd1: { ok: 4, changed: 1, unreachable: 0, failed: 0, skipped: 0 } }, durationMs: 9000, exitCode: 0 },
];

describe('buildReport', () => {
  const r = buildReport(summary, lines);

  it('takes what was wrong from the first reading of each member', () => {
    expect(r.facts).toEqual([
      { host: 'etcd1', summary: 'etcd1: not serving, db revision 90' },
      { host: 'etcd2', summary: 'etcd2: not serving, db revision 120' },
    ]);
  });

  it('tells data given up (a member newer than a forced survivor) from members rebuilt without loss', () => {
    expect(r.decision).toMatchObject({
      action: 'recover',
      survivor: 'etcd1',
      strategy: 'rejoin',
      recoveryId: '20261202T030000Z',
      snapshot: '/b/s.db',
      join: ['etcd2', 'etcd3'],
    });
    expect(r.decision!.givenUp).toEqual([
      "etcd2: revision 120, newer than the survivor's 90: 30 revisions given up (its data is moved aside, not deleted)",
    ]);
    expect(r.decision!.rebuilt).toEqual(['etcd3 (revision 80, 10 behind)', 'etcd4']);
  });

  it("takes the decision's own count of the data given up when it has one", () => {
    const withLoss = lines.map((l) =>
      l['id'] === 'decide' && l.type === 'host-result'
        ? {
            ...l,
            result: {
              ...(l['result'] as object),
              data: {
                ...(l['result'] as { data: object }).data,
                loss: { survivor: 'etcd1', survivor_revision: 90, revisions: 30, newest: { revision: 120, hosts: ['etcd2'] } },
              },
            },
          }
        : l,
    );
    expect(buildReport(summary, withLoss).decision!.givenUp).toEqual([
      'etcd1 was 30 revisions behind etcd2 (revision 90; newest 120): the changes after revision 90 were given up (accepted with etcd_accept_data_loss)',
    ]);
  });

  it('has a timeline with each start, the moved-aside data and the verification against the key count after the restore', () => {
    expect(r.timeline[0]).toEqual({
      step: 'read',
      module: 'etcd_facts',
      host: 'etcd1',
      start: '2026-12-02T03:00:00.100Z',
      durationMs: 400,
      status: 'ok',
      msg: 'etcd1: not serving, db revision 90',
    });
    expect(r.movedAside).toEqual([
      { host: 'etcd1', path: '/var/lib/etcd.before-20261202T030000Z' },
      { host: 'etcd2', path: '/var/lib/etcd2.before-20261202T030000Z' },
      { host: 'etcd3', path: '/var/lib/etcd3.before-20261202T030000Z', copy: true },
    ]);
    expect(reportMarkdown(r)).toContain('| etcd3 | /var/lib/etcd3.before-20261202T030000Z (a copy) |');
    expect(r.verify).toEqual({
      ok: true,
      msg: 'verified: 3 members, cluster 7, 500 keys, test write ok',
      members: ['etcd1', 'etcd2', 'etcd3'],
      clusterIds: ['7'],
      keyCount: 500,
      keysBefore: 500,
      testWrite: true,
    });
    expect(r.run).toMatchObject({
      user: 'oncall',
      controller: 'bastion',
      command: 'runbook apply dr.yml -i prod',
      contentHash: contentHash(header),
    });
    expect(r.run.contentHash).not.toBe(
      contentHash({ ...header, inventory: { path: 'prod', files: [{ path: '/rb/prod/hosts.yml', sha256: 'c'.repeat(64) }] } }),
    );
  });

  it('renders Markdown with every section, skipped steps counted, not listed', () => {
    const md = reportMarkdown(r);
    for (const h of ['What was wrong', 'What was decided, and why', 'Timeline', 'Where the old data went', 'Verification', 'Recap'])
      expect(md).toContain(`\n## ${h}\n`);
    expect(md).toContain("  - etcd2: revision 120, newer than the survivor's 90: 30 revisions given up");
    expect(md).toContain('| 03:00:00.800 | restore | etcd1 | 1.2 s | changed: restored |');
    expect(md).toContain('1 skipped step not shown');
    expect(md).toContain('- **Keys:** 500 (the survivor had 500 after its restore: all there)');
    expect(md).toContain('git c0ffee on main');
  });

  it('says so when a playbook read no member, decided nothing and verified nothing', () => {
    const md = reportMarkdown(
      buildReport(summary, [header, start('x', 'file'), result('x', 'h', 10, 5, { status: 'changed', msg: 'a | b' })]),
    );
    expect(md).toContain('No member state was read by this playbook.');
    expect(md).toContain('This playbook made no recovery decision.');
    expect(md).toContain('This playbook ran no verification.');
    expect(md).toContain('| changed: a \\| b |');
    expect(md).toContain('The run did not finish: no recap was recorded.');
  });
});
