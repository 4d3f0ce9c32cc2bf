#!/usr/bin/env node
// Issue 21's fleet figure: T × `command: /bin/true` on N hosts (default 10 × 500), each host
// its own loopback address with a real sshd behind it, for the light user (login shell
// /bin/sh). A lighter lab than one sshd a host: one sshd serves 16 addresses (ListenAddress
// repeated; Debian's OpenSSH 9.2 takes at most 16, MAX_LISTEN_SOCKS), so 500 hosts are 32 sshd
// masters, each forking a session per connection as any sshd does. The floor is bench/floor-noop-client.mjs over the
// same hosts (one node process, one ssh2 connection and one `sh` per host, all hosts at once,
// one round trip a command); floor and runbook alternate run by run and each run prints
// runbook/floor, then the median and spread. Peak RSS from /usr/bin/time; per host it is
// (peak at N hosts − peak of the 3-host run) / (N − 3).
// Run as root inside a network namespace of your own (ip netns exec NAME node bench/fleet.mjs);
// needs `npm run build`, and file descriptors for N sockets (ulimit -n ≥ N + 100).
// `--serve` only starts the fleet, prints the inventory and playbook paths and waits (Ctrl-C
// stops it): for RUNBOOK_PROFILE=1 runs or a profiler by hand.
// `--baseline DIR` runs another build (DIR/dist) in the same rotation (floor, runbook, baseline):
// before/after side by side. Each run line ends with the machine's 1-minute load average.
// Usage: node bench/fleet.mjs [--hosts 500] [--tasks 10] [--runs 3] [--forks 100] [--user rbtest] [--serve] [--baseline DIR]
import { writeFileSync, mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, noopPlaybook, timed, runbookApply, stats, lightUser, LIGHT_USER } from './lib/noop-lab.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const N = Number(opt('--hosts', 500));
const T = Number(opt('--tasks', 10));
const runs = Number(opt('--runs', 3));
const forks = opt('--forks', '100');
const user = opt('--user', LIGHT_USER);
const baseline = opt('--baseline', undefined);
const PER_SSHD = 16;
const PORT = 2222;

if (process.getuid?.() !== 0) {
  console.error('bench/fleet.mjs must run as root (it starts sshd), in a network namespace of its own');
  process.exit(1);
}
const { startSshd } = await import(join(root, 'dist/lab/sshd.js'));
if (user === LIGHT_USER) await lightUser();

/** 127.1.<a>.<b>: host i of the fleet (1-based) */
const address = (i) => `127.1.${Math.floor((i - 1) / 250)}.${((i - 1) % 250) + 1}`;

const dir = mkdtempSync(join(tmpdir(), 'runbook-fleet-'));
chmodSync(dir, 0o755);
const sshds = [];
try {
  const hosts = [];
  for (let first = 1; first <= N; first += PER_SSHD) {
    const last = Math.min(N, first + PER_SSHD - 1);
    const extra = [];
    for (let i = first + 1; i <= last; i++) extra.push(`ListenAddress ${address(i)}:${PORT}`);
    const s = await startSshd({ address: address(first), port: PORT, dir: join(dir, `sshd${sshds.length + 1}`), extraConfig: extra });
    sshds.push(s);
    for (let i = first; i <= last; i++)
      hosts.push({ name: `h${i}`, address: address(i), port: PORT, key: s.clientKeyFile, hostKeyBase64: s.hostKeyBase64 });
  }
  const known = join(dir, 'known_hosts');
  writeFileSync(known, hosts.map((h) => `[${h.address}]:${PORT} ssh-ed25519 ${h.hostKeyBase64}`).join('\n') + '\n');
  const inventory = (list, file) => {
    const inv = [
      'all:',
      '  vars:',
      `    ansible_user: ${user}`,
      `    ansible_port: ${PORT}`,
      `    ssh_known_hosts_file: ${known}`,
      '  hosts:',
    ];
    for (const h of list) inv.push(`    ${h.name}:`, `      ansible_host: ${h.address}`, `      ansible_ssh_private_key_file: ${h.key}`);
    writeFileSync(file, inv.join('\n') + '\n');
    return file;
  };
  const invAll = inventory(hosts, join(dir, 'fleet.yml'));
  const invSmall = inventory(hosts.slice(0, 3), join(dir, 'fleet-3.yml'));
  const floorHosts = join(dir, 'floor-hosts.json');
  writeFileSync(floorHosts, JSON.stringify(hosts));
  const pb = noopPlaybook(dir, T);
  if (args.includes('--serve')) {
    console.log(
      `fleet up: runbook apply ${pb} -i ${invAll} --yes -o plain -f ${forks}   (floor: node bench/floor-noop-client.mjs ${floorHosts} ${user} ${T})`,
    );
    await new Promise((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  } else {
    const floor = () => {
      const r = timed(process.execPath, [join(root, 'bench/floor-noop-client.mjs'), floorHosts, user, String(T)]);
      if (r.status !== 0) throw new Error(`floor failed (${r.status}): ${r.err.slice(-2000)}`);
      return r;
    };
    const apply = (inv, build = root) => runbookApply(pb, inv, {}, ['-f', forks], build);
    const small = apply(invSmall);
    floor(); // warm: page cache, sshd, the user's home
    const smallBase = baseline ? apply(invSmall, baseline) : undefined;
    console.log(
      `${T} × command: /bin/true on ${N} hosts (${sshds.length} sshd × ≤${PER_SSHD} addresses) as ${user}, runbook --forks ${forks}; ${runs} runs, floor and runbook alternating`,
    );
    const rows = [];
    for (let i = 0; i < runs; i++) {
      const f = floor();
      const r = apply(invAll);
      const b = baseline ? apply(invAll, baseline) : undefined;
      rows.push({
        floor: f.s,
        runbook: r.s,
        ratio: r.s / f.s,
        rss: r.maxMb,
        floorRss: f.maxMb,
        base: b?.s,
        baseRss: b?.maxMb,
        cpu: r.cpu,
        floorCpu: f.cpu,
        baseCpu: b?.cpu,
      });
      console.log(
        `  run ${i + 1}: floor ${f.s.toFixed(2)} s (${f.maxMb.toFixed(0)} MB, cpu ${f.cpu.toFixed(1)} s)  runbook ${r.s.toFixed(2)} s (peak RSS ${r.maxMb.toFixed(0)} MB, cpu ${r.cpu.toFixed(1)} s)  ratio ${(r.s / f.s).toFixed(2)}×${b ? `  baseline ${b.s.toFixed(2)} s (${b.maxMb.toFixed(0)} MB, cpu ${b.cpu.toFixed(1)} s) ${(b.s / f.s).toFixed(2)}×` : ''}  load ${loadavg()[0].toFixed(1)}`,
      );
    }
    const f = stats(rows.map((x) => x.floor));
    const r = stats(rows.map((x) => x.runbook));
    const q = stats(rows.map((x) => x.ratio));
    const m = stats(rows.map((x) => x.rss));
    console.log(
      `  median: floor ${f.median.toFixed(2)} s (${f.min.toFixed(2)}–${f.max.toFixed(2)})  runbook ${r.median.toFixed(2)} s (${r.min.toFixed(2)}–${r.max.toFixed(2)})  runbook/floor ${q.median.toFixed(2)}× (${q.min.toFixed(2)}–${q.max.toFixed(2)})  goal ≤ 10 s`,
    );
    console.log(
      `  runbook peak RSS ${m.median.toFixed(0)} MB (${m.min.toFixed(0)}–${m.max.toFixed(0)}); 3 hosts: ${small.maxMb.toFixed(0)} MB; per host ${(((m.median - small.maxMb) / (N - 3)) * 1024).toFixed(0)} KB  goal < 500 MB`,
    );
    if (baseline) {
      const b = stats(rows.map((x) => x.base));
      const bq = stats(rows.map((x) => x.base / x.floor));
      const bm = stats(rows.map((x) => x.baseRss));
      console.log(
        `  baseline (${baseline}): ${b.median.toFixed(2)} s (${b.min.toFixed(2)}–${b.max.toFixed(2)}) = ${bq.median.toFixed(2)}× the floor (${bq.min.toFixed(2)}–${bq.max.toFixed(2)}); peak RSS ${bm.median.toFixed(0)} MB, 3 hosts ${smallBase.maxMb.toFixed(0)} MB`,
      );
    }
  }
} finally {
  await Promise.all(sshds.map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
}
