#!/usr/bin/env node
// Issue 4's speed figures: the same playbook (30 × `command: /bin/true`) on 3 loopback hosts,
// each with its own real sshd, through ansible-playbook (pipelining + ControlPersist on) and
// through runbook; prints both times and the ratio. Then runbook alone on 100 hosts × 10 tasks
// with its peak memory (maxRSS). As root (sshd needs it); needs `npm run build` and, for the
// Ansible half, Debian's ansible-core (skipped with a note when missing).
// Usage: node bench/vs-ansible.mjs [--user NAME] [--skip-ansible] [--hosts100]
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { startSshd } = await import(join(root, 'dist/lab/sshd.js'));
const { ensureUser } = await import(join(root, 'dist/lab/sshd.js'));
const args = process.argv.slice(2);
const user = args.includes('--user') ? args[args.indexOf('--user') + 1] : 'root';
const skipAnsible = args.includes('--skip-ansible');
const base = 20000 + (process.pid % 5000);

if (user !== 'root') await ensureUser(user, '/bin/sh');

async function lab(n, net) {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-bench-'));
  chmodSync(dir, 0o755); // sshd reads each user's authorized_keys below it as that user
  const servers = [];
  for (let i = 1; i <= n; i++) servers.push(await startSshd({ address: `127.0.${net}.${i}`, port: base + i, dir: join(dir, `h${i}`) }));
  const known = join(dir, 'known_hosts');
  writeFileSync(known, servers.map((s) => s.hostKeyLine).join('\n') + '\n');
  const inv = ['all:', '  vars:', `    ansible_user: ${user}`, `    ansible_ssh_private_key_file: KEY`, `    ssh_known_hosts_file: ${known}`, '  hosts:'];
  servers.forEach((s, i) => inv.push(`    h${i + 1}:`, `      ansible_host: ${s.address}`, `      ansible_port: ${s.port}`, `      ansible_ssh_private_key_file: ${s.clientKeyFile}`));
  writeFileSync(join(dir, 'hosts.yml'), inv.filter((l) => !l.includes('KEY')).join('\n') + '\n');
  return { dir, servers, known };
}

function playbook(dir, tasks) {
  const lines = ['- hosts: all', '  gather_facts: false', '  tasks:'];
  for (let i = 1; i <= tasks; i++) lines.push(`    - name: true ${i}`, '      command: /bin/true');
  writeFileSync(join(dir, 'pb.yml'), lines.join('\n') + '\n');
  return join(dir, 'pb.yml');
}

function timed(cmd, argv, env = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...argv], { encoding: 'utf8', env: { ...process.env, ...env } });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const maxKb = Number((r.stderr.trim().split('\n').pop() ?? '').trim());
  return { s, status: r.status, out: r.stdout, err: r.stderr, maxMb: maxKb / 1024 };
}

function runbook(dir, pb) {
  const r = timed(process.execPath, [join(root, 'dist/cli/main.js'), 'apply', pb, '-i', join(dir, 'hosts.yml'), '--yes', '-o', 'plain', '-f', '100']);
  if (r.status !== 0) throw new Error(`runbook failed (${r.status}):\n${r.out}\n${r.err}`);
  return r;
}

function ansible(dir, pb, known) {
  writeFileSync(join(dir, 'ansible.cfg'), ['[defaults]', 'host_key_checking = True', 'forks = 20', 'interpreter_python = auto_silent', '[ssh_connection]', 'pipelining = True', `ssh_args = -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=${known}`, `control_path_dir = ${dir}/cp`].join('\n') + '\n');
  const r = timed('ansible-playbook', ['-i', join(dir, 'hosts.yml'), pb], { ANSIBLE_CONFIG: join(dir, 'ansible.cfg') });
  if (r.status !== 0) throw new Error(`ansible-playbook failed (${r.status}):\n${r.out.slice(-2000)}\n${r.err.slice(-2000)}`);
  return r;
}

const a = await lab(3, 41);
try {
  const pb = playbook(a.dir, 30);
  runbook(a.dir, pb); // warm the page cache
  const rb = [runbook(a.dir, pb), runbook(a.dir, pb), runbook(a.dir, pb)].sort((x, y) => x.s - y.s)[1];
  console.log(`30 tasks x 3 hosts as ${user}`);
  console.log(`  runbook          ${rb.s.toFixed(2).padStart(7)} s   peak RSS ${rb.maxMb.toFixed(0)} MB   (median of 3)`);
  const hasAnsible = spawnSync('sh', ['-c', 'command -v ansible-playbook']).status === 0;
  if (skipAnsible || !hasAnsible) {
    console.log(`  ansible-playbook  skipped${hasAnsible ? '' : ' (not installed: apt-get install ansible-core)'}`);
  } else {
    const an = ansible(a.dir, pb, a.known);
    console.log(`  ansible-playbook ${an.s.toFixed(2).padStart(7)} s   peak RSS ${an.maxMb.toFixed(0)} MB   (pipelining, ControlPersist)`);
    console.log(`  ratio            ${(an.s / rb.s).toFixed(1)}x faster`);
  }
} finally {
  await Promise.all(a.servers.map((s) => s.stop()));
  rmSync(a.dir, { recursive: true, force: true });
}

if (args.includes('--hosts100')) {
  const b = await lab(100, 42);
  try {
    const pb = playbook(b.dir, 10);
    const r = runbook(b.dir, pb);
    console.log(`10 tasks x 100 hosts (100 sshd) as ${user}`);
    console.log(`  runbook          ${r.s.toFixed(2).padStart(7)} s   peak RSS ${r.maxMb.toFixed(0)} MB   (--forks 100)`);
  } finally {
    await Promise.all(b.servers.map((s) => s.stop()));
    rmSync(b.dir, { recursive: true, force: true });
  }
}
