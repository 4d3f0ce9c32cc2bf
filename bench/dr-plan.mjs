#!/usr/bin/env node
// Issue 21's plan figure: `runbook plan playbooks/disaster-recovery.yml` on a broken cluster
// (a real 3-member etcd lab on 127.0.91.x, sshd per member, K keys, `quorum-loss`: 2 data dirs
// lost, the survivor restarted alone, running without quorum), timed from spawn to exit: what
// an operator waits before the prompt. Each run breaks the lab afresh (quorum-loss again, then
// 1 s) before each plan; with `--baseline DIR` another build (DIR/dist, DIR/playbooks) plans in
// the same rotation, alternating run by run, so load on the shared machine hits both alike.
// Prints every run (wall, CPU user+sys from /usr/bin/time, the 1-minute load average), then the
// median and spread (min–max) per build and of the per-run ratio runbook/baseline. Goal: ≤ 3 s.
// As root (the lab needs it), in a network namespace of your own; needs `npm run build`.
// Usage: node bench/dr-plan.mjs [--runs N] [--keys K] [--etcd-version 3.4|3.5.16|3.5.30] [--baseline DIR]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const runs = Number(opt('--runs', 5));
const keys = Number(opt('--keys', 5000));
const etcdVersion = opt('--etcd-version', '3.4');
const baseline = opt('--baseline', undefined);
const NET = 91;
const GOAL_S = 3;

if (process.getuid?.() !== 0) {
  console.error('bench/dr-plan.mjs must run as root: the lab starts sshd and etcd on 127.0.91.x');
  process.exit(1);
}
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(keys) || keys < 1) {
  console.error('usage: node bench/dr-plan.mjs [--runs N] [--keys K] [--etcd-version V] [--baseline DIR]');
  process.exit(2);
}
const { labUp } = await import(join(root, 'dist/lab/etcd/index.js'));

/** One plan by the build in `build`: wall seconds, CPU seconds, exit status. */
function plan(build, inventoryDir) {
  const argv = [join(build, 'dist/cli/main.js'), 'plan', join(build, 'playbooks/disaster-recovery.yml'), '-i', inventoryDir];
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, ...argv], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 300_000,
    maxBuffer: 64 << 20,
  });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const lines = (r.stderr ?? '').trim().split('\n');
  const [user, sys] = (lines.pop() ?? '').split(' ').map(Number);
  return { s, cpu: user + sys, code: r.status, err: lines.slice(-5).join(' | ') };
}

const stats = (xs) => {
  const q = [...xs].sort((a, b) => a - b);
  return { median: q[Math.floor(q.length / 2)], min: q[0], max: q[q.length - 1], n: q.length };
};
const fmt = (x, d = 2) => `${x.median.toFixed(d)} (${x.min.toFixed(d)}–${x.max.toFixed(d)})`;

const builds = [['runbook', root], ...(baseline ? [['baseline', baseline]] : [])];
const dir = mkdtempSync(join(tmpdir(), 'rb-bench-plan-'));
let lab;
const rows = builds.map(() => []);
const ratios = [];
try {
  const t0 = Date.now();
  lab = await labUp({ dir: join(dir, 'lab'), members: 3, net: NET, inventoryDir: join(dir, 'inventory'), etcdVersion });
  const loaded = await lab.load(keys);
  console.log(
    `etcd ${etcdVersion}: plan of playbooks/disaster-recovery.yml on quorum-loss (3 members, 2 data dirs lost), ${keys} keys; lab up ${((Date.now() - t0 - loaded.ms) / 1000).toFixed(1)} s; ${runs} run(s) per build, alternating${baseline ? `; baseline ${baseline}` : ''}`,
  );
  for (let i = 1; i <= runs; i++) {
    const seen = [];
    for (const [k, [name, build]] of builds.entries()) {
      await lab.breakLab('quorum-loss');
      await new Promise((r) => setTimeout(r, 1000));
      const r = plan(build, lab.inventoryDir);
      console.log(
        `  ${name.padEnd(8)} ${i}  ${r.s.toFixed(2).padStart(6)} s  cpu ${r.cpu.toFixed(2)} s  load ${loadavg()[0].toFixed(1)}  ${r.code === 0 ? 'exit 0' : `FAILED: exit ${r.code} ${r.err}`}`,
      );
      if (r.code === 0) rows[k].push(r);
      seen.push(r.code === 0 ? r.s : undefined);
    }
    if (baseline && seen[0] !== undefined && seen[1] !== undefined) ratios.push(seen[0] / seen[1]);
  }
} finally {
  if (lab) await lab.down().catch((e) => console.log(`  lab down failed: ${e?.message ?? e}`));
  rmSync(dir, { recursive: true, force: true });
}
for (const [k, [name]] of builds.entries()) {
  if (!rows[k].length) {
    console.log(`${name}: no successful plan`);
    continue;
  }
  const w = stats(rows[k].map((r) => r.s));
  console.log(
    `${name.padEnd(8)} median ${fmt(w)} s, cpu ${fmt(stats(rows[k].map((r) => r.cpu)))} s, ${w.n} run(s)  goal ≤ ${GOAL_S} s: ${w.median <= GOAL_S ? 'met' : 'NOT MET'}`,
  );
}
if (ratios.length) console.log(`runbook/baseline per run: median ${fmt(stats(ratios))}×`);
