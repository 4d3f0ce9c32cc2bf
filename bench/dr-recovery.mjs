#!/usr/bin/env node
// Recovery-time figures for playbooks/disaster-recovery.yml: a real 3-member etcd lab
// (127.0.90.x, sshd per member) loaded with K keys, broken by quorum-loss (2 data dirs
// removed), then recovered by the built CLI, timed from spawn to exit. Per strategy (rejoin,
// restore-all, force-new-cluster on a v2 lab) N runs on one lab (break → recover → break → ...), each checked (exit 0 and
// every key back); prints each run, the median, where the median run's time went (top 5
// tasks from the json events), and the issue's targets: restore-all <= 5 s, rejoin <= 10 s.
// For rejoin and restore-all each run is a pair: the hand-written floor (bench/floor-dr.sh:
// bash + ssh ControlMaster, the same steps without the engine's checks) on a freshly broken
// lab, then runbook on a freshly broken lab; each pair's ratio runbook/floor, and the median
// ratio with its spread (min–max). Measured side by side because the machine is shared.
// `--baseline DIR`: another build (DIR/dist, DIR/playbooks) recovers a freshly broken lab too in each
// run, after runbook: before/after side by side, each with its ratio to the same run's floor.
// Each run line ends with the machine's 1-minute load average (with --trace, also the run's longest task:
// a rejoin whose last joiner lost etcd's publish race waits ~6 s more in its health wait, docs/dr-speed.md).
// As root (the lab needs it). Usage: npm run build && node bench/dr-recovery.mjs [--runs N] [--keys K] [--strategies a,b] [--trace] [--etcd-version 3.4|3.5.16|3.5.30] [--baseline DIR]
// (--etcd-version: the lab's etcd, as `runbook lab up --etcd-version`; 3.5.x from scripts/fetch-etcd.sh)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const runs = opt('--runs', 3);
const keys = opt('--keys', 5000);
const strategies = args.includes('--strategies')
  ? args[args.indexOf('--strategies') + 1].split(',')
  : ['rejoin', 'restore-all', 'force-new-cluster'];
const etcdVersion = args.includes('--etcd-version') ? args[args.indexOf('--etcd-version') + 1] : '3.4';
const baseline = args.includes('--baseline') ? args[args.indexOf('--baseline') + 1] : undefined;
const load = () => `load ${loadavg()[0].toFixed(1)}`;
const NET = 90;
const TARGETS = { 'restore-all': 5, rejoin: 10 };

if (process.getuid?.() !== 0) {
  console.error('bench/dr-recovery.mjs must run as root: the lab starts sshd and etcd on 127.0.90.x and edits their data dirs.');
  process.exit(1);
}
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(keys) || keys < 1) {
  console.error('usage: node bench/dr-recovery.mjs [--runs N] [--keys K] [--etcd-version V]   (N, K positive integers)');
  process.exit(2);
}
const { labUp } = await import(join(root, 'dist/lab/etcd/index.js'));

/** One recovery through the built CLI (of `build`): wall-clock seconds from spawn to exit, and its json events. */
function recover(inventoryDir, extra, build = root) {
  const argv = [
    join(build, 'dist/cli/main.js'),
    'apply',
    join(build, 'playbooks/disaster-recovery.yml'),
    '-i',
    inventoryDir,
    '--yes',
    '--output',
    'json',
    ...extra,
  ];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 300_000,
    maxBuffer: 64 << 20,
  });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const events = [];
  for (const l of (r.stdout ?? '').split('\n'))
    if (l.startsWith('{'))
      try {
        events.push(JSON.parse(l));
      } catch {
        /* not an event */
      }
  return { s, code: r.status ?? (r.signal ? `killed by ${r.signal}` : r.error?.message), stderr: r.stderr ?? '', events };
}

/** The floor script on the same lab: wall-clock seconds, exit code. */
function floorRun(lab, strategy, dir) {
  const tsv = join(dir, 'members.tsv');
  writeFileSync(
    tsv,
    lab.members
      .map((m) =>
        [
          m.name,
          m.address,
          m.sshPort,
          m.clientUrl,
          m.peerUrl,
          m.dataDir,
          m.envFile,
          m.serviceScript,
          m.backupDir,
          m.etcd ? dirname(m.etcd.etcdctl) : '/usr/bin',
        ].join('\t'),
      )
      .join('\n') + '\n',
  );
  const t0 = process.hrtime.bigint();
  const r = spawnSync('bash', [join(root, 'bench/floor-dr.sh'), strategy, tsv, lab.record.sshClientKeyFile, lab.record.knownHostsFile], {
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, FLOOR_TRACE: '1' },
  });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return { s, code: r.status ?? r.signal, out: (r.stdout ?? '').trim(), err: (r.stderr ?? '').trim() };
}

/** Time per task (task-start → task-end, summed over serial batches), longest first. */
function taskTimes(events) {
  const open = new Map();
  const by = new Map();
  let play = '';
  for (const e of events) {
    if (e.type === 'play-start') play = e.play;
    else if (e.type === 'task-start') open.set(e.id, { t: e.time, play });
    else if (e.type === 'task-end' && open.has(e.id)) {
      const st = open.get(e.id);
      const k = `${st.play}\u0000${e.task}`;
      const cur = by.get(k) ?? { task: e.task, play: st.play, ms: 0, n: 0 };
      cur.ms += e.time - st.t;
      cur.n++;
      by.set(k, cur);
    }
  }
  return [...by.values()].sort((a, b) => b.ms - a.ms);
}

/** The run's longest task, for each run's line: with --trace, where a run that stands out spent it (a rejoin's health wait). */
function slowest(events) {
  const t = taskTimes(events)[0];
  // a rejoined member etcd lost its own publish for, restarted (playbooks/disaster-recovery.yml)
  const lost = events.filter(
    (e) => e.type === 'host-result' && /^Restart it when etcd lost/.test(e.task) && e.result?.status === 'changed',
  );
  const restarted = lost.length ? `; lost publish, restarted: ${lost.map((e) => e.host).join(', ')}` : '';
  return t ? `  longest: ${t.task}${t.n > 1 ? ` (x${t.n})` : ''} ${(t.ms / 1000).toFixed(2)} s${restarted}` : restarted;
}

function failedResults(events) {
  return events
    .filter((e) => e.type === 'host-result' && e.result?.status === 'failed')
    .map((e) => `${e.host} "${e.task}": ${e.result.msg ?? ''}`);
}

const median = (xs) => [...xs].sort((a, b) => a.s - b.s)[Math.floor(xs.length / 2)];
const summary = {};

console.log(`etcd ${etcdVersion} disaster recovery, quorum-loss (3 members, 2 data dirs lost), ${keys} keys, ${runs} run(s) per strategy`);
// force-new-cluster runs on a lab with the v2 API enabled (its default there; v2 keys too)
for (const strategy of strategies) {
  const withFloor = strategy === 'rejoin' || strategy === 'restore-all';
  const ratios = [];
  const baseRatios = [];
  const baseTimes = [];
  const extra = strategy === 'rejoin' || strategy === 'force-new-cluster' ? [] : ['-e', `etcd_dr_strategy=${strategy}`];
  const dir = mkdtempSync(join(tmpdir(), 'rb-bench-dr-'));
  const results = [];
  let lab;
  console.log(
    `\n${strategy}${extra.length ? ` (${extra.join(' ')})` : strategy === 'force-new-cluster' ? ' (default with v2 data; lab with ETCD_ENABLE_V2)' : ' (default)'}`,
  );
  try {
    const t0 = Date.now();
    lab = await labUp({
      dir: join(dir, 'lab'),
      members: 3,
      net: NET,
      inventoryDir: join(dir, 'inventory'),
      etcdVersion,
      ...(strategy === 'force-new-cluster' ? { v2: true } : {}),
    });
    const loaded = await lab.load(keys);
    console.log(
      `  lab up ${((Date.now() - t0 - loaded.ms) / 1000).toFixed(1)} s, ${keys} keys loaded in ${(loaded.ms / 1000).toFixed(1)} s`,
    );
    for (let i = 1; i <= runs; i++) {
      let floor;
      if (withFloor) {
        await lab.breakLab('quorum-loss');
        floor = floorRun(lab, strategy, dir);
        const fv = await lab.verify();
        console.log(
          `  floor ${i} ${floor.s.toFixed(2).padStart(6)} s  ${floor.code === 0 && fv.ok ? 'ok' : `FAILED: exit ${floor.code}, verify ${fv.found}/${fv.expected} ${floor.err.split('\n').slice(-3).join(' | ')}`}  ${load()}`,
        );
        if (args.includes('--trace'))
          for (const l of floor.err.split('\n').filter((x) => x.startsWith('floor-dr: '))) console.log(`           ${l}`);
        if (floor.code !== 0 || !fv.ok) floor = undefined;
      }
      await lab.breakLab('quorum-loss');
      const r = recover(lab.inventoryDir, extra);
      const v = await lab.verify();
      r.ok = r.code === 0 && v.ok;
      results.push(r);
      const end = r.events.find((e) => e.type === 'run-end');
      const note = end ? `(in-process ${(end.durationMs / 1000).toFixed(2)} s)` : '(no run-end event)';
      if (floor && r.ok) ratios.push(r.s / floor.s);
      console.log(
        `  run ${i}   ${r.s.toFixed(2).padStart(6)} s  ${floor && r.ok ? `runbook/floor ${(r.s / floor.s).toFixed(2)}×  ` : ''}${note}  ${r.ok ? 'ok' : 'FAILED'}: exit ${r.code}, verify ${v.found}/${v.expected} keys${v.ok ? '' : ` (missing ${v.missingCount}, wrong ${v.wrongCount})`}  ${load()}${args.includes('--trace') ? slowest(r.events) : ''}`,
      );
      if (!r.ok) {
        for (const f of failedResults(r.events).slice(0, 5)) console.log(`         failed: ${f}`);
        const err = r.stderr.trim().split('\n').slice(-5).join('\n         ');
        if (err) console.log(`         stderr: ${err}`);
      }
      if (baseline) {
        await lab.breakLab('quorum-loss');
        const b = recover(lab.inventoryDir, extra, baseline);
        const bv = await lab.verify();
        const ok = b.code === 0 && bv.ok;
        if (ok) baseTimes.push(b.s);
        if (ok && floor) baseRatios.push(b.s / floor.s);
        console.log(
          `  base ${i}  ${b.s.toFixed(2).padStart(6)} s  ${floor && ok ? `baseline/floor ${(b.s / floor.s).toFixed(2)}×  ` : ''}${ok ? 'ok' : `FAILED: exit ${b.code}, verify ${bv.found}/${bv.expected}`}  ${load()}${args.includes('--trace') ? slowest(b.events) : ''}`,
        );
      }
    }
  } catch (e) {
    console.log(`  ABORTED after ${results.length} run(s): ${e?.message ?? e}`);
  } finally {
    if (lab) await lab.down().catch((e) => console.log(`  lab down failed: ${e?.message ?? e}`));
    rmSync(dir, { recursive: true, force: true });
  }
  const good = results.filter((r) => r.ok);
  const failed = runs - good.length;
  if (good.length === 0) {
    console.log('  no successful run: no median');
    summary[strategy] = { failed };
    continue;
  }
  const m = median(good);
  console.log(
    `  median ${m.s.toFixed(2).padStart(6)} s  (of ${good.length} successful run(s)${failed ? `; ${failed} of ${runs} failed or not run` : ''})`,
  );
  const tasks = taskTimes(m.events);
  const inTasks = tasks.reduce((a, t) => a + t.ms, 0);
  console.log(
    `  where the median run's time went (tasks total ${(inTasks / 1000).toFixed(2)} s; the rest is start-up, connections, exit):`,
  );
  for (const t of tasks.slice(0, 5))
    console.log(`    ${(t.ms / 1000).toFixed(2).padStart(6)} s  ${t.task}${t.n > 1 ? ` (x${t.n})` : ''}  [${t.play}]`);
  if (ratios.length) {
    const q = [...ratios].sort((a, b) => a - b);
    console.log(
      `  runbook/floor median ${q[Math.floor(q.length / 2)].toFixed(2)}× (${q[0].toFixed(2)}–${q[q.length - 1].toFixed(2)}, ${q.length} pair(s))  goal ≤ 1.00×`,
    );
  }
  if (baseRatios.length || baseTimes.length) {
    const q = [...baseRatios].sort((a, b) => a - b);
    const t = [...baseTimes].sort((a, b) => a - b);
    console.log(
      `  baseline (${baseline}): median ${t[Math.floor(t.length / 2)]?.toFixed(2)} s (${t[0]?.toFixed(2)}–${t[t.length - 1]?.toFixed(2)})${q.length ? `, baseline/floor median ${q[Math.floor(q.length / 2)].toFixed(2)}× (${q[0].toFixed(2)}–${q[q.length - 1].toFixed(2)})` : ''}`,
    );
  }
  summary[strategy] = { median: m.s, failed };
}

const verdict = (s) => {
  const x = summary[s];
  const target = `${s} <= ${TARGETS[s]} s`;
  if (x.median === undefined) return `${target}: NOT MET (no successful run)`;
  const met = x.median <= TARGETS[s] && x.failed === 0;
  return `${target}: ${met ? 'met' : 'NOT MET'} (median ${x.median.toFixed(2)} s${x.failed ? `, ${x.failed} run(s) failed` : ''})`;
};
console.log(
  `\ntargets (issue): ${['restore-all', 'rejoin']
    .filter((x) => summary[x])
    .map(verdict)
    .join('; ')}`,
);
