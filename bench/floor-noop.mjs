#!/usr/bin/env node
// runbook against the physical floor, measured in the same run: 30 × `command: /bin/true` on 3
// loopback hosts (each its own real sshd), for a light user (/bin/sh login shell) and for root
// (whose rc files may be heavy). The floor is bench/floor-noop-client.mjs: one node process,
// one ssh2 connection and one remote `sh` per host, one round trip a command, node start-up
// included. Floor and runbook alternate, run by run, so load from other processes on the
// machine hits both alike; each run's ratio is runbook/floor and the summary is the median
// ratio with its spread (min–max). `--baseline DIR` also runs another build (DIR/dist, e.g. a
// checkout of main) in the same rotation: before/after figures measured side by side.
// As root; needs `npm run build`.
// Usage: node bench/floor-noop.mjs [--runs N] [--tasks T] [--users rbtest,root] [--profile] [--baseline DIR]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, sshLab, noopPlaybook, timed, runbookApply, stats, lightUser, LIGHT_USER } from './lib/noop-lab.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const runs = Number(opt('--runs', 5));
const tasks = Number(opt('--tasks', 30));
const users = opt('--users', `${LIGHT_USER},root`).split(',');
const baseline = opt('--baseline', undefined);
const HOSTS = 3;
const NET = 43;

if (process.getuid?.() !== 0) {
  console.error('bench/floor-noop.mjs must run as root (it starts sshd on 127.0.43.x)');
  process.exit(1);
}
if (users.includes(LIGHT_USER)) await lightUser();

const lab = await sshLab(HOSTS, NET, users[0]);
try {
  const pb = noopPlaybook(lab.dir, tasks);
  const hostsJson = join(lab.dir, 'floor-hosts.json');
  writeFileSync(
    hostsJson,
    JSON.stringify(lab.servers.map((s) => ({ address: s.address, port: s.port, key: s.clientKeyFile, hostKeyBase64: s.hostKeyBase64 }))),
  );
  const floor = (user) => {
    const r = timed(process.execPath, [join(root, 'bench/floor-noop-client.mjs'), hostsJson, user, String(tasks)]);
    if (r.status !== 0) throw new Error(`floor failed (${r.status}): ${r.err}`);
    return r;
  };
  console.log(
    `${tasks} × command: /bin/true on ${HOSTS} hosts; ${runs} runs per user, floor and runbook alternating (2-core machine shared with other work: the ratios, measured side by side, are what count)`,
  );
  for (const user of users) {
    const inv = lab.inventory(user);
    floor(user);
    runbookApply(pb, inv); // warm the page cache and sshd
    if (baseline) runbookApply(pb, inv, {}, undefined, baseline);
    const rows = [];
    for (let i = 0; i < runs; i++) {
      const f = floor(user);
      const r = runbookApply(pb, inv);
      const b = baseline ? runbookApply(pb, inv, {}, undefined, baseline) : undefined;
      rows.push({
        floor: f.s,
        runbook: r.s,
        ratio: r.s / f.s,
        rss: r.maxMb,
        cpuRatio: r.cpu / f.cpu,
        ...(b ? { base: b.s, baseRatio: b.s / f.s, baseCpuRatio: b.cpu / f.cpu } : {}),
      });
      console.log(
        `  ${user.padEnd(7)} run ${i + 1}: floor ${f.s.toFixed(3)} s  runbook ${r.s.toFixed(3)} s  ratio ${(r.s / f.s).toFixed(2)}×  cpu ${f.cpu.toFixed(2)}/${r.cpu.toFixed(2)} s  (runbook peak RSS ${r.maxMb.toFixed(0)} MB)${b ? `  baseline ${b.s.toFixed(3)} s ${(b.s / f.s).toFixed(2)}× cpu ${b.cpu.toFixed(2)} s` : ''}`,
      );
    }
    const f = stats(rows.map((x) => x.floor));
    const r = stats(rows.map((x) => x.runbook));
    const q = stats(rows.map((x) => x.ratio));
    const c = stats(rows.map((x) => x.cpuRatio));
    if (args.includes('--profile')) {
      const p = runbookApply(pb, inv, { RUNBOOK_PROFILE: '1' });
      console.log(
        `  ${user} one more run with RUNBOOK_PROFILE=1 (${p.s.toFixed(3)} s):\n${p.err
          .split('\n')
          .filter((l) => l.startsWith('runbook profile') || l.startsWith('  '))
          .map((l) => `    ${l}`)
          .join('\n')}`,
      );
    }
    if (baseline) {
      const b = stats(rows.map((x) => x.base));
      const bq = stats(rows.map((x) => x.baseRatio));
      const bc = stats(rows.map((x) => x.baseCpuRatio));
      console.log(
        `  ${user.padEnd(7)} baseline (${baseline}) median ${b.median.toFixed(3)} s (${b.min.toFixed(3)}–${b.max.toFixed(3)})  baseline/floor ${bq.median.toFixed(2)}× (${bq.min.toFixed(2)}–${bq.max.toFixed(2)}); CPU time ${bc.median.toFixed(2)}× the floor's`,
      );
    }
    console.log(
      `  ${user.padEnd(7)} median: floor ${f.median.toFixed(3)} s (${f.min.toFixed(3)}–${f.max.toFixed(3)})  runbook ${r.median.toFixed(3)} s (${r.min.toFixed(3)}–${r.max.toFixed(3)})  runbook/floor ${q.median.toFixed(2)}× (${q.min.toFixed(2)}–${q.max.toFixed(2)})  goal ≤ 1.50×; CPU time (user+sys) ${c.median.toFixed(2)}× the floor's (${c.min.toFixed(2)}–${c.max.toFixed(2)})`,
    );
  }
} finally {
  await lab.stop();
}
