// Shared by the no-op benches (vs-ansible.mjs, floor-noop.mjs): N loopback hosts each with its
// own real sshd, a known_hosts with their keys, a runbook/Ansible inventory for one user, the
// playbook of T × `command: /bin/true`, and a timed spawn (wall clock + peak RSS via
// /usr/bin/time). Needs root and a build (dist/).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { startSshd, ensureUser } = await import(join(root, 'dist/lab/sshd.js'));

/** A user whose login shell is /bin/sh (no rc files): the "light user" of the figures. */
export const LIGHT_USER = 'rbtest';
export const lightUser = () => ensureUser(LIGHT_USER, '/bin/sh');

/** n sshds on 127.0.<net>.1..n, ports base+1..; `user` goes into the inventory. */
export async function sshLab(n, net, user, base = 20000 + (process.pid % 5000)) {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-bench-'));
  chmodSync(dir, 0o755); // sshd reads each user's authorized_keys below it as that user
  const servers = [];
  for (let i = 1; i <= n; i++) servers.push(await startSshd({ address: `127.0.${net}.${i}`, port: base + i, dir: join(dir, `h${i}`) }));
  const known = join(dir, 'known_hosts');
  writeFileSync(known, servers.map((s) => s.hostKeyLine).join('\n') + '\n');
  const inventory = (u) => {
    const inv = ['all:', '  vars:', `    ansible_user: ${u}`, `    ssh_known_hosts_file: ${known}`, '  hosts:'];
    servers.forEach((s, i) =>
      inv.push(
        `    h${i + 1}:`,
        `      ansible_host: ${s.address}`,
        `      ansible_port: ${s.port}`,
        `      ansible_ssh_private_key_file: ${s.clientKeyFile}`,
      ),
    );
    const file = join(dir, `hosts-${u}.yml`);
    writeFileSync(file, inv.join('\n') + '\n');
    return file;
  };
  inventory(user);
  const stop = async () => {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  return { dir, servers, known, hosts: join(dir, `hosts-${user}.yml`), inventory, stop };
}

/** `- hosts: all` with `tasks` × `command: /bin/true`, no facts. */
export function noopPlaybook(dir, tasks) {
  const lines = ['- hosts: all', '  gather_facts: false', '  tasks:'];
  for (let i = 1; i <= tasks; i++) lines.push(`    - name: true ${i}`, '      command: /bin/true');
  const file = join(dir, `noop-${tasks}.yml`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** Spawn and wait: wall-clock seconds (spawn to exit), exit status, output, peak RSS in MB, CPU seconds (user+sys). */
export function timed(cmd, argv, env = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', cmd, ...argv], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 << 20,
  });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const lines = r.stderr.trim().split('\n');
  const [maxKb, user, sys] = (lines.pop() ?? '').trim().split(' ').map(Number);
  return { s, status: r.status, out: r.stdout, err: lines.join('\n'), maxMb: maxKb / 1024, cpu: user + sys };
}

/** The built CLI (of `dir`, default this checkout) applying `pb` to `hosts` (plain output, forks 100 unless `extra` says). */
export function runbookApply(pb, hosts, env = {}, extra = ['-f', '100'], dir = root) {
  const r = timed(process.execPath, [join(dir, 'dist/cli/main.js'), 'apply', pb, '-i', hosts, '--yes', '-o', 'plain', ...extra], env);
  if (r.status !== 0) throw new Error(`runbook failed (${r.status}):\n${r.out}\n${r.err}`);
  return r;
}

/** Median and spread (min–max) of a list of numbers. */
export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1], n: s.length };
}
