// The compatibility suite: test/fixtures/compat/site.yml (one task per semantic of issue 18) run
// by ansible-playbook 2.14 and by runbook, real and --check, against local hosts (with
// RB_COMPAT_SSH=1 also two hosts over real sshd: ansible-playbook hangs on the lab's sshd here,
// not solved yet). Asserted equal: each task's status per host, what every host registered
// (the report each writes), and the files (modes) the tasks leave. Needs ansible-core
// (scripts/install-deps.sh); net 127.0.69.x.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { startSshHosts, type SshHosts } from '../../helpers/ssh-hosts.js';

const SITE = fileURLToPath(new URL('../../fixtures/compat/site.yml', import.meta.url));
const SSH = process.env['RB_COMPAT_SSH'] === '1';
const HOSTS = SSH ? ['node1', 'node2', 'local1'] : ['local1', 'local2', 'local3'];
const EXTRA = JSON.stringify({ ansible_check_mode: 'from -e' }); // magic variables win over -e
let h: SshHosts | undefined;
let dir: string;
let inventory: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rb-compat-'));
  const local = (n: string) => `${n} ansible_connection=local runbook_lock_file=${join(dir, n + '.lock')}`;
  inventory = join(dir, 'hosts.ini');
  if (!SSH) {
    // groups out of inventory order: `hosts: b:a` must run b's hosts first, in both tools
    writeFileSync(
      inventory,
      [
        '[a]',
        local('local1'),
        '[b]',
        local('local2'),
        local('local3'),
        '[all:vars]',
        'ansible_python_interpreter=/usr/bin/python3',
        '',
      ].join('\n'),
    );
    return;
  }
  h = await startSshHosts(2, 69);
  const line = (n: string) => {
    const s = h!.sshd[n]!;
    return `${n} ansible_host=${s.address} ansible_port=${s.port} ansible_user=root ansible_ssh_private_key_file=${s.clientKeyFile} runbook_lock_file=${join(dir, n + '.lock')}`;
  };
  writeFileSync(
    inventory,
    [
      '[a]',
      line('node1'),
      '[b]',
      line('node2'),
      local('local1'),
      '[all:vars]',
      'ansible_python_interpreter=/usr/bin/python3',
      `ssh_known_hosts_file=${h!.knownHosts}`,
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await h?.stop();
});

type Statuses = Record<string, Record<string, string[]>>;

/** ansible-playbook's output goes to files: its async job (local host) keeps inherited pipes open after it exits. */
function ansible(out: string, check: boolean): Promise<Statuses> {
  mkdirSync(out, { recursive: true });
  const args = ['-i', inventory, SITE, '-e', `out=${out}`, '-e', EXTRA, ...(check ? ['--check'] : [])];
  const log = join(dir, `ansible-${check}.json`);
  const fd = openSync(log, 'w');
  const env = {
    ...process.env,
    ANSIBLE_STDOUT_CALLBACK: process.env['RB_COMPAT_DEBUG'] ? 'default' : 'json',
    ANSIBLE_HOST_KEY_CHECKING: 'False',
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_TIMEOUT: '10',
    ANSIBLE_PIPELINING: 'True',
    ANSIBLE_SSH_TRANSFER_METHOD: 'piped',
    ANSIBLE_SSH_ARGS: '-o ControlMaster=no -o BatchMode=yes -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no',
  };
  return new Promise((resolve, reject) => {
    const child = spawn('ansible-playbook', args, { env, stdio: ['ignore', fd, fd] });
    const timer = setTimeout(() => child.kill('SIGKILL'), process.env['RB_COMPAT_DEBUG'] ? 40_000 : 280_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      closeSync(fd);
      const stdout = readFileSync(log, 'utf8');
      let parsed: { plays: { tasks: { task: { name: string }; hosts: Record<string, Record<string, unknown>> }[] }[] };
      try {
        parsed = JSON.parse(stdout.slice(stdout.indexOf('{')));
      } catch {
        return reject(new Error(`ansible-playbook exited ${code}:\n${stdout.slice(-3000)}`));
      }
      const st: Statuses = {};
      for (const p of parsed.plays)
        for (const t of p.tasks)
          for (const [host, r] of Object.entries(t.hosts)) {
            const s = r['failed'] ? 'failed' : r['skipped'] ? 'skipped' : r['changed'] ? 'changed' : 'ok';
            ((st[t.task.name] ??= {})[host] ??= []).push(s);
          }
      resolve(st);
    });
  });
}

async function runbook(out: string, check: boolean): Promise<Statuses> {
  mkdirSync(out, { recursive: true });
  const r = await runCli(
    [
      'apply',
      SITE,
      '-i',
      inventory,
      '-e',
      `out=${out}`,
      '-e',
      EXTRA,
      '--yes',
      '-o',
      'json',
      '--state-dir',
      join(dir, 'state'),
      ...(check ? ['--check'] : []),
    ],
    { timeoutMs: 170_000 },
  );
  expect(r.code, r.stderr).toBe(0);
  const st: Statuses = {};
  for (const e of r.events())
    if (e['type'] === 'host-result') ((st[e['task'] as string] ??= {})[e['host'] as string] ??= []).push(e['result']['status'] as string);
  return st;
}

/** Ansible renders a nested "{{ n }}" as text, runbook keeps the number: compare scalars as text. */
function normal(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normal);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normal(x)]));
  return typeof v === 'boolean' ? v : String(v);
}

const report = (out: string, host: string): unknown => normal(JSON.parse(readFileSync(join(out, `${host}.json`), 'utf8')));
const modes = (out: string): Record<string, string> => {
  const m: Record<string, string> = {};
  for (const host of HOSTS)
    for (const f of ['1', '2', '3', '4', '5', '6', '7', 'notified', 'yaml.txt']) {
      const p = join(out, `${host}-${f}`);
      m[`${host}-${f}`] = existsSync(p) ? (statSync(p).mode & 0o7777).toString(8) : 'absent';
    }
  return m;
};

describe.each(process.env['RB_COMPAT_ONE'] ? [false] : [false, true])(
  'the same playbook in ansible-playbook 2.14 and runbook (check: %s)',
  (check) => {
    let a: Statuses;
    let r: Statuses;
    let aOut: string;
    let rOut: string;
    beforeAll(async () => {
      aOut = join(dir, `ansible-${check}`);
      rOut = join(dir, `runbook-${check}`);
      a = await ansible(aOut, check);
      r = await runbook(rOut, check);
    }, 480_000); // ansible-playbook alone takes minutes on a loaded machine

    // include_tasks lines are Ansible's only: runbook shows the included tasks, not the include
    const INCLUDES = ['first found include', 'retry include', 'again'];
    it('every task ends the same on every host, in the same number of runs', () => {
      expect(
        Object.keys(a)
          .filter((t) => !(t in r))
          .sort(),
      ).toEqual([...INCLUDES].sort());
      for (const [task, byHost] of Object.entries(a))
        if (!INCLUDES.includes(task)) expect({ task, ...r[task] }).toEqual({ task, ...byHost });
    });

    it('every host registered the same values (command splitting, check-mode results, service, magic vars, includes, delegate_facts, async)', () => {
      for (const host of HOSTS) expect({ host, ...(report(rOut, host) as object) }).toEqual({ host, ...(report(aOut, host) as object) });
      const r1 = report(rOut, HOSTS[0]!) as Record<string, unknown>;
      expect(r1['order']).toEqual([HOSTS[1], HOSTS[2], HOSTS[0]]);
      expect(r1['split']).toEqual(['printf', '%s|', 'a;b', '$(x)', 'q r']);
      expect(r1['check_mode']).toBe(check);
    });

    it('the files are the same: symbolic modes, handler from a notified block, YAML read as PyYAML', () => {
      const m = modes(rOut);
      expect(m).toEqual(modes(aOut));
      expect(m[`${HOSTS[0]}-1`]).toBe('640');
      expect(readFileSync(join(rOut, `${HOSTS[2]}-yaml.txt`), 'utf8')).toBe('a long continued line');
    });
  },
);
