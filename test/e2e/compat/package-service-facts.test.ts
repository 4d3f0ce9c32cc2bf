// package_facts and service_facts, built in, side by side with ansible-playbook 2.14 (which runs
// its own module code): the same playbook run by both, real and --check, over the local
// connection and over real sshd; asserted equal: the whole `packages` and `services` dicts (as
// facts and as registered), and the failure messages. This machine has no systemd as PID 1, so
// Ansible's reference here is sysv init; systemd, upstart, chkconfig and OpenRC are compared on
// stand-ins (test/fixtures/service-facts: systemd's list-unit-files is the real one, list-units
// hand-written in systemd 252's format) that both engines read. Needs ansible-core, python3-apt,
// unshare(1); net 127.0.117.x.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshHosts, type SshHosts } from '../../helpers/ssh-hosts.js';
import { ansibleMessages, runbookMessages, type RunOptions } from './side-by-side.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/service-facts/', import.meta.url));

let dir: string;
let h: SshHosts;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rb-compat-facts-'));
  writeFileSync(join(dir, 'local.ini'), '[all]\nlocalhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
  h = await startSshHosts(1, 117);
  const s = h.sshd['node1']!;
  writeFileSync(
    join(dir, 'ssh.ini'),
    `node1 ansible_host=${s.address} ansible_port=${s.port} ansible_user=root ansible_ssh_private_key_file=${s.clientKeyFile} ansible_python_interpreter=/usr/bin/python3 ssh_known_hosts_file=${h.knownHosts}\n`,
  );
  writeFileSync(
    join(dir, 'facts.yml'),
    `- hosts: all
  gather_facts: false
  tasks:
    - package_facts:
      register: p
    - debug: { msg: "{{ ansible_facts.packages }}" }
    - debug: { msg: "{{ p.ansible_facts.packages == ansible_facts.packages and not p.changed }}" }
    - ansible.builtin.service_facts:
      register: s
    - debug: { msg: "{{ ansible_facts.services }}" }
    - debug: { msg: "{{ s }}" }
`,
  );
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

/** Both engines' messages for the same playbook on one host: [ansible, runbook]. */
async function both(
  playbook: string,
  inventory: string,
  host: string,
  extra: string[] = [],
  opts: RunOptions = {},
): Promise<[unknown[], unknown[]]> {
  return Promise.all([
    ansibleMessages(dir, playbook, inventory, host, extra, opts),
    runbookMessages(dir, playbook, inventory, host, extra, opts),
  ]);
}

const SSH_ENV = { ANSIBLE_SSH_ARGS: '-o ControlMaster=no -o BatchMode=yes -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no' };

describe('package_facts and service_facts: the same facts as ansible-playbook 2.14', () => {
  for (const [via, inventory, host, env] of [
    ['local', 'local.ini', 'localhost', {}],
    ['ssh', 'ssh.ini', 'node1', SSH_ENV],
  ] as const) {
    for (const check of [false, true]) {
      it(`every package and service, ${via}${check ? ', --check' : ''}`, async () => {
        const [want, got] = await both('facts.yml', inventory, host, check ? ['--check'] : [], { env });
        const packages = want[1] as Record<string, { name: string; source: string }[]>;
        // dpkg's database of this machine: hundreds of packages, each read with apt's origin and section
        expect(Object.keys(packages).length).toBeGreaterThan(100);
        expect(packages['dpkg']?.[0]).toMatchObject({ name: 'dpkg', source: 'apt', arch: expect.any(String) });
        expect(want[2]).toBe(true);
        expect((want[4] as Record<string, unknown>)['ssh']).toMatchObject({ name: 'ssh', source: 'sysv' });
        expect(got).toEqual(want);
      }, 180_000);
    }
  }

  it("a manager that is not on the host, one Ansible does not know: Ansible's messages", async () => {
    writeFileSync(
      join(dir, 'missing.yml'),
      `- hosts: all
  gather_facts: false
  tasks:
${['rpm', '[rpm, pacman]', 'nope', '[auto, nope]']
  .map(
    (m) =>
      `    - package_facts: { manager: ${m}, strategy: all }\n      ignore_errors: true\n      register: r\n    - debug: { msg: "{{ r.msg }} {{ r.failed }}" }\n`,
  )
  .join('')}`,
    );
    const [want, got] = await both('missing.yml', 'local.ini', 'localhost');
    expect(want[1]).toMatch(/^Could not detect a supported package manager from the following list: \['rpm'\]/);
    expect(want[5]).toBe('Unsupported package managers requested: nope True');
    expect(got.filter((_, i) => i % 2 === 1)).toEqual(want.filter((_, i) => i % 2 === 1));
  }, 120_000);
});

/** A bin directory holding the named stand-ins, for the front of both engines' PATH. */
function standIns(name: string, tools: readonly string[]): string {
  const bin = join(dir, name);
  mkdirSync(bin);
  for (const t of tools) symlinkSync(join(FIXTURES, t), join(bin, t));
  return bin;
}

describe('service_facts on stand-ins for the init systems this machine does not run', () => {
  const services = `- hosts: all\n  gather_facts: false\n  tasks:\n    - service_facts:\n      register: s\n    - debug: { msg: "{{ s }}" }\n`;
  const run = async (bin: string, opts: RunOptions = {}): Promise<[unknown[], unknown[]]> => {
    writeFileSync(join(dir, 'services.yml'), services);
    return both('services.yml', 'local.ini', 'localhost', [], { ...opts, env: { PATH: `${bin}:${process.env['PATH']}` } });
  };

  it('systemd as PID 1 (a pid namespace whose init is named systemd) beside sysv init', async () => {
    // the stand-ins and the real systemctl (list-unit-files) in a directory of their own, read by both engines' namespaces
    const ns = join(dir, 'ns');
    mkdirSync(ns);
    for (const f of readdirSync(FIXTURES)) copyFileSync(join(FIXTURES, f), join(ns, f));
    copyFileSync('/usr/bin/systemctl', join(ns, 'real-systemctl'));
    const wrap = ['unshare', '--pid', '--mount', '--fork', '--mount-proc', join(ns, 'systemd')];
    const [want, got] = await run(standIns('bin-systemd', ['service']), { wrap });
    const s = (want[1] as { ansible_facts: { services: Record<string, unknown> } }).ansible_facts.services;
    expect(s['cron']).toEqual({ name: 'cron', state: 'running', source: 'sysv' });
    expect(s['etcd.service']).toEqual({ name: 'etcd.service', state: 'running', status: 'enabled', source: 'systemd' });
    expect(s['postgresql.service']).toMatchObject({ status: 'failed', state: 'stopped' });
    expect(s['getty@.service']).toMatchObject({ state: 'unknown', status: 'enabled' });
    expect(got).toEqual(want);
  }, 120_000);

  for (const [system, tools] of [
    ['upstart', ['service', 'initctl']],
    ['chkconfig', ['service', 'chkconfig']],
    ['OpenRC', ['rc-status', 'rc-update']],
  ] as const) {
    it(
      system,
      async () => {
        const [want, got] = await run(standIns(`bin-${system}`, tools));
        expect(Object.keys((want[1] as { ansible_facts: { services: object } }).ansible_facts.services).length).toBeGreaterThan(2);
        expect(got).toEqual(want);
      },
      120_000,
    );
  }
});
