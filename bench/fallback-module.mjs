// What a module run through Ansible's module code (ansible-core's AnsiballZ payload piped to
// the host's Python) costs per task, against a built-in module doing the same kind of work,
// measured in the same run over one real sshd on 127.0.9.1 with the built CLI:
//   built-in  lineinfile            (one file edit: read, compare, write)
//   built-in  uri                   (a GET from the host with curl to a local HTTP server;
//                                    before it was built in, uri ran through the fallback)
//   fallback  community.general.ini_file, and a tiny library/ module
//   built-in  find                  (a recursive search of a 200-file tree: one host command)
//   fallback  find                  (the same task run by a build from before find was built
//                                    in, given as BENCH_FALLBACK_CLI=/path/to/dist/cli/main.js;
//                                    the row is left out without it)
//   built-in  package_facts         (every package dpkg lists, with apt's origin and section)
//   fallback  package_facts         (ansible-core's own package_facts.py, copied into library/ as
//                                    rb_package_facts: the code the fallback ran before it was built in)
// Per-task cost = (time of a play with 1 + N tasks − time of a play with 1 task) / N, so
// start-up, connection and the bridge's first build are not counted against each task.
// Needs root, openssh-server and ansible-core with community.general (Debian `ansible`).
// Usage: npm run build && node bench/fallback-module.mjs   (BENCH_TASKS=20 for more tasks,
// BENCH_ONLY=package_facts for the rows whose name matches)
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dist = new URL('../dist/', import.meta.url);
const cli = new URL('cli/main.js', dist).pathname;
const { startSshd } = await import(new URL('lab/sshd.js', dist).href);
const N = Number(process.env.BENCH_TASKS ?? 10);
const ROUNDS = 3;

const dir = mkdtempSync(join(tmpdir(), 'rb-bench-fallback-'));
const sshd = await startSshd({ address: '127.0.9.1', port: 2222, dir: join(dir, 'sshd') });
const inv = join(dir, 'hosts.yml');
writeFileSync(
  inv,
  `all:\n  hosts:\n    node1:\n      ansible_host: ${sshd.address}\n      ansible_port: ${sshd.port}\n      ansible_user: root\n      ssh_private_key_file: ${sshd.clientKeyFile}\n      runbook_lock_file: ${join(dir, 'lock')}\n  vars:\n    ssh_known_hosts_file: ${sshd.knownHostsFile}\n`,
);
for (let d = 0; d < 10; d++) {
  mkdirSync(join(dir, 'tree', `d${d}`, 'sub'), { recursive: true });
  for (let f = 0; f < 10; f++) {
    writeFileSync(join(dir, 'tree', `d${d}`, `f${f}.conf`), `key = ${f}\n`);
    writeFileSync(join(dir, 'tree', `d${d}`, 'sub', `f${f}.txt`), `${f}\n`);
  }
}
mkdirSync(join(dir, 'library'));
writeFileSync(
  join(dir, 'library', 'rb_noop.py'),
  `#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule
m = AnsibleModule(argument_spec=dict(i=dict(type='int')), supports_check_mode=True)
m.exit_json(changed=False, i=m.params['i'])
`,
);
copyFileSync('/usr/lib/python3/dist-packages/ansible/modules/package_facts.py', join(dir, 'library', 'rb_package_facts.py'));

// the HTTP server runs in a child: execFileSync below blocks this process's event loop
const WEB = `require('http').createServer((q, s) => { s.setHeader('Content-Type', 'application/json'); s.end(JSON.stringify({ ok: true })); }).listen(0, '127.0.9.1', function () { console.log(this.address().port); })`;
const web = spawn(process.execPath, ['-e', WEB], { stdio: ['ignore', 'pipe', 'inherit'] });
const webPort = await new Promise((resolve) => web.stdout.once('data', (d) => resolve(Number(String(d).trim()))));

const TASKS = {
  'built-in lineinfile': (i) => `    - lineinfile: { path: ${dir}/built-in.conf, line: "key${i} = ${i}", create: true }`,
  'built-in uri': (i) => `    - uri: { url: "http://127.0.9.1:${webPort}/health?i=${i}" }`,
  'fallback ini_file': (i) => `    - community.general.ini_file: { path: ${dir}/fallback.ini, section: s, option: key${i}, value: "${i}" }`,
  'fallback library/ module': (i) => `    - rb_noop: i=${i}`,
  'built-in find': (i) => `    - find: { paths: ${dir}/tree, recurse: true, patterns: "*.conf", excludes: "x${i}" }`,
  'built-in package_facts': () => `    - package_facts:`,
  'fallback package_facts': () => `    - rb_package_facts:`,
};
const FALLBACK_CLI = process.env.BENCH_FALLBACK_CLI;
if (FALLBACK_CLI) TASKS['fallback find'] = TASKS['built-in find'];
const cliOf = (name) => (name === 'fallback find' ? FALLBACK_CLI : cli);
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;

function play(name, count) {
  const file = join(dir, `${name.replace(/\W+/g, '-')}-${count}.yml`);
  const tasks = Array.from({ length: count }, (_, i) => TASKS[name](i)).join('\n');
  writeFileSync(file, `- hosts: all\n  gather_facts: false\n  tasks:\n    - command: "true"\n${tasks}\n`);
  return file;
}

function timed(file, name) {
  const t0 = performance.now();
  execFileSync(process.execPath, [cliOf(name), 'apply', file, '-i', inv, '--yes', '--output', 'json'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return performance.now() - t0;
}

const perTask = {};
try {
  for (const name of Object.keys(TASKS).filter((n) => !only || only.test(n) || n === 'built-in lineinfile')) {
    const base = play(name, 0);
    const full = play(name, N);
    timed(full, name); // converge once: later rounds measure unchanged tasks, the common case
    const samples = [];
    for (let r = 0; r < ROUNDS; r++) samples.push((timed(full, name) - timed(base, name)) / N);
    samples.sort((a, b) => a - b);
    perTask[name] = samples[Math.floor(samples.length / 2)];
  }
} finally {
  web.kill();
  await sshd.stop();
  rmSync(dir, { recursive: true, force: true });
}

const floor = perTask['built-in lineinfile'];
console.log(`per task over SSH (median of ${ROUNDS}, ${N} tasks a play):`);
for (const [name, ms] of Object.entries(perTask))
  console.log(`  ${name.padEnd(26)} ${ms.toFixed(1).padStart(7)} ms   ${(ms / floor).toFixed(1)}x built-in`);
