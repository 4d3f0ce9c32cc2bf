// The incident report of a real lab recovery (net 86): every section present and true — the
// survivor the lab's break left newest, durations that fit inside the run, the key counts,
// the moved-aside data on disk, the commit and who ran it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import type { Lab } from '../../../src/lab/etcd/index.js';
import type { IncidentReport } from '../../../src/journal/report.js';
import { onPty } from '../../helpers/pty.js';
import { CLI, runCli } from '../../helpers/cli.js';
import { failures, lab, PLAYBOOK, recover } from '../../helpers/dr.js';

let l: Lab;
beforeAll(async () => {
  l = await lab(142, 3, { keys: 1000 });
});
afterAll(async () => {
  await l?.down();
});

describe('the incident report of a lab recovery', () => {
  it('says what was wrong, what was decided, the timeline, where old data went and the verify result', async () => {
    const broke = await l.breakLab('quorum-loss');
    const out = join(mkdtempSync(join(tmpdir(), 'rb-report-')), 'incident.md');
    const r = await recover(l, '--report', out);
    expect(r.code, failures(r)).toBe(0);
    expect(r.stderr).toContain(`Incident report written to ${out}`);
    expect((await l.verify()).ok).toBe(true);

    const md = readFileSync(out, 'utf8');
    // beside the journal too, and the same as runs show prints
    const runs = join(l.inventoryDir, '.runbook', 'runs');
    const [id] = readdirSync(runs);
    expect(readFileSync(join(runs, id!, 'report.md'), 'utf8')).toBe(md);
    expect((statSync(out).mode & 0o777).toString(8)).toBe('600');
    expect((await runCli(['runs', 'show', 'latest', '-i', l.inventoryDir, '--format', 'md'])).stdout).toBe(md);
    for (const h of [
      '## What was wrong',
      '## What was decided, and why',
      '## Timeline',
      '## Where the old data went',
      '## Verification',
      '## Recap',
    ])
      expect(md).toContain(`\n${h}\n`);

    const json = await runCli(['runs', 'show', id!, '-i', l.inventoryDir, '-o', 'json']);
    const rep = JSON.parse(json.stdout) as IncidentReport;
    // what was wrong: the two wiped members and the survivor, as read at the start
    expect(rep.facts.map((f) => f.host).sort()).toEqual(['etcd1', 'etcd2', 'etcd3']);
    for (const w of broke.wiped) expect(rep.facts.find((f) => f.host === w)!.summary).toMatch(/no data dir/);
    // the decision: the member the break left newest, and why
    expect(rep.decision!.action).toBe('recover');
    expect(rep.decision!.survivor).toBe(broke.recoverFrom![0]);
    expect(md).toContain(`survivor **${broke.recoverFrom![0]}**`);
    expect(rep.decision!.strategy).toBe('rejoin');
    expect(rep.decision!.table).toHaveLength(3);
    // the wiped members had nothing to give up: rebuilt from the survivor
    expect(rep.decision!.givenUp).toEqual([]);
    expect([...rep.decision!.rebuilt].sort()).toEqual([...broke.wiped].sort());
    expect(md).toContain(
      `- **Data given up:** none (${[...broke.wiped].sort().join(', ')} rebuilt from the survivor, which had everything they had)`,
    );
    // the timeline: every step inside the run, durations that add up per host
    const start = Date.parse(rep.run.started);
    const end = start + rep.run.durationMs!;
    expect(rep.timeline.length).toBeGreaterThan(30);
    for (const s of rep.timeline) {
      expect(Date.parse(s.start)).toBeGreaterThanOrEqual(start - 50);
      // the run's end and each step's are read from the clock a few ms apart
      expect(Date.parse(s.start) + s.durationMs).toBeLessThanOrEqual(end + 50);
    }
    for (const h of ['etcd1', 'etcd2', 'etcd3']) {
      const own = rep.timeline.filter((s) => s.host === h);
      expect(own.reduce((n, s) => n + s.durationMs, 0)).toBeLessThanOrEqual(rep.run.durationMs! + 5);
    }
    expect(rep.timeline.find((s) => s.step === 'Restore the snapshot (the old data dir is moved aside)')!.status).toBe('changed');
    // the old data: moved aside, there on disk, named by the recovery id
    expect(rep.movedAside.length).toBeGreaterThan(0);
    for (const m of rep.movedAside) {
      expect(m.path).toContain(`.before-${rep.decision!.recoveryId}`);
      expect(existsSync(m.path)).toBe(true);
    }
    // the verification: three members, one cluster, every key (the load plus its sentinel)
    expect(rep.verify!.ok).toBe(true);
    expect([...rep.verify!.members].sort()).toEqual(['etcd1', 'etcd2', 'etcd3']);
    expect(rep.verify!.clusterIds).toHaveLength(1);
    expect(rep.verify!.keyCount).toBe(broke.expectedKeys + 1);
    expect(rep.verify!.keysBefore).toBe(rep.verify!.keyCount);
    expect(rep.verify!.testWrite).toBe(true);
    // who, from where, which runbook
    expect(rep.run.user).toBe(userInfo().username);
    expect(rep.run.git!.commit).toBe(execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dirname(PLAYBOOK), encoding: 'utf8' }).trim());
    expect(rep.run.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(md).toContain(rep.run.git!.commit);
  });

  it('before the prompt, on a terminal: the survivor and why, what is moved aside and where, the expected duration', async () => {
    const broke = await l.breakLab('stale-member');
    const cmd = `stty cols 160 rows 50; node ${CLI} apply ${PLAYBOOK} -i ${l.inventoryDir} -o plain`;
    // answer no once the question is there (the plan of a broken cluster takes a while)
    const out = onPty(cmd, [{ when: '[y/N]', keys: 'n\\r' }], { timeoutMs: 90_000 });
    const text = out.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
    const summary = text.slice(text.indexOf('Before you answer:'), text.indexOf('Apply these changes? [y/N]'));
    expect(summary).toMatch(new RegExp(`^ {2}survivor {5}(${broke.recoverFrom!.join('|')}) — \\1 has the newest data`, 'm'));
    expect(summary).toMatch(/^ {2}strategy {5}rejoin/m);
    // every member's data dir is moved aside to <data dir>.before-<recovery id>
    for (const m of l.members)
      expect(summary).toMatch(new RegExp(`^ {4}${m.name} +${m.dataDir}/? -> ${m.dataDir}\\.before-\\d{8}T\\d{6}Z$`, 'm'));
    expect(summary).toMatch(/^ {2}given up {5}nothing$/m);
    // the first test's recovery is the past run it expects from
    expect(summary).toMatch(/^ {2}expected {5}about \d+ s \(the last run of this playbook: \d+ s\)$/m);
    expect(text).toContain('Nothing applied.');
  });
});
