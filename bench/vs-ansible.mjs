#!/usr/bin/env node
// Issue 4's speed figures: the same playbook (30 × `command: /bin/true`) on 3 loopback hosts,
// each with its own real sshd, through ansible-playbook (pipelining + ControlPersist on) and
// through runbook; prints both times and the ratio. Then runbook alone on 100 hosts × 10 tasks
// with its peak memory (maxRSS). As root (sshd needs it); needs `npm run build` and, for the
// Ansible half, Debian's ansible-core (skipped with a note when missing).
// Usage: node bench/vs-ansible.mjs [--user NAME] [--skip-ansible] [--hosts100]
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sshLab, noopPlaybook, timed, runbookApply, lightUser, LIGHT_USER } from './lib/noop-lab.mjs';

const args = process.argv.slice(2);
const user = args.includes('--user') ? args[args.indexOf('--user') + 1] : 'root';
const skipAnsible = args.includes('--skip-ansible');

if (user === LIGHT_USER) await lightUser();
else if (user !== 'root') await (await import('../dist/lab/sshd.js')).ensureUser(user, '/bin/sh');

const lab = async (n, net) => {
  const l = await sshLab(n, net, user);
  return { ...l, pb: (t) => noopPlaybook(l.dir, t), run: (pb) => runbookApply(pb, l.hosts) };
};

function ansible(dir, hosts, pb, known) {
  writeFileSync(
    join(dir, 'ansible.cfg'),
    [
      '[defaults]',
      'host_key_checking = True',
      'forks = 20',
      'interpreter_python = auto_silent',
      '[ssh_connection]',
      'pipelining = True',
      `ssh_args = -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=${known}`,
      `control_path_dir = ${dir}/cp`,
    ].join('\n') + '\n',
  );
  const r = timed('ansible-playbook', ['-i', hosts, pb], { ANSIBLE_CONFIG: join(dir, 'ansible.cfg') });
  if (r.status !== 0) throw new Error(`ansible-playbook failed (${r.status}):\n${r.out.slice(-2000)}\n${r.err.slice(-2000)}`);
  return r;
}

const a = await lab(3, 41);
try {
  const pb = a.pb(30);
  a.run(pb); // warm the page cache
  const rb = [a.run(pb), a.run(pb), a.run(pb)].sort((x, y) => x.s - y.s)[1];
  console.log(`30 tasks x 3 hosts as ${user}`);
  console.log(`  runbook          ${rb.s.toFixed(2).padStart(7)} s   peak RSS ${rb.maxMb.toFixed(0)} MB   (median of 3)`);
  const hasAnsible = spawnSync('sh', ['-c', 'command -v ansible-playbook']).status === 0;
  if (skipAnsible || !hasAnsible) {
    console.log(`  ansible-playbook  skipped${hasAnsible ? '' : ' (not installed: apt-get install ansible-core)'}`);
  } else {
    const an = ansible(a.dir, a.hosts, pb, a.known);
    console.log(`  ansible-playbook ${an.s.toFixed(2).padStart(7)} s   peak RSS ${an.maxMb.toFixed(0)} MB   (pipelining, ControlPersist)`);
    console.log(`  ratio            ${(an.s / rb.s).toFixed(1)}x faster`);
  }
} finally {
  await a.stop();
}

if (args.includes('--hosts100')) {
  const b = await lab(100, 42);
  try {
    const pb = b.pb(10);
    const r = b.run(pb);
    console.log(`10 tasks x 100 hosts (100 sshd) as ${user}`);
    console.log(`  runbook          ${r.s.toFixed(2).padStart(7)} s   peak RSS ${r.maxMb.toFixed(0)} MB   (--forks 100)`);
  } finally {
    await b.stop();
  }
}
