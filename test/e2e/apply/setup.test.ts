// The `setup` module end to end: the built CLI (`runbook apply ... --yes --output json`) against
// two real sshd "hosts" on 127.0.64.x (this machine), facts checked against what node:os and
// `hostname -s` say here; and, over a connection opened directly, that gathering is one command.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { openConnection } from '../../../src/connection/open.js';
import type { SshConnection } from '../../../src/connection/ssh/connection.js';
import setup from '../../../src/modules/builtin/setup.js';
import type { ModuleContext } from '../../../src/modules/types.js';
import { runCli, type CliResult } from '../../helpers/cli.js';
import { startSshHosts, type SshHosts } from '../../helpers/ssh-hosts.js';

let h: SshHosts;
let inv: string;
let n = 0;

beforeAll(async () => {
  h = await startSshHosts(2, 64);
  inv = h.inventory();
});
afterAll(async () => {
  await h?.stop();
});

function playbook(text: string): string {
  const p = join(h.dir, `pb${++n}.yml`);
  writeFileSync(p, text);
  return p;
}

const apply = (pb: string, ...extra: string[]): Promise<CliResult> =>
  runCli(['apply', pb, '-i', inv, '--yes', '--output', 'json', ...extra]);
const why = (r: CliResult): string => `exit ${r.code}\n${r.stderr}\n${r.stdout}`;

const shortHostname = execFileSync('hostname', ['-s'], { encoding: 'utf8' }).trim();
const memMb = Math.floor(totalmem() / 1048576);

const FACTS_PLAYBOOK = `- hosts: nodes
  gather_facts: false
  tasks:
    - name: facts
      setup:
    - name: check
      assert:
        that:
          - ansible_hostname == '${shortHostname}'
          - ansible_processor_vcpus == ${cpus().length}
          - (ansible_memtotal_mb - ${memMb}) | abs <= 2
          - ansible_facts['distribution'] == 'Debian'
          - ansible_facts.hostname == ansible_hostname
          - ansible_os_family == 'Debian'
          - ansible_distribution_major_version | int >= 11
          - ansible_user_id == 'root' and ansible_user_uid == 0 and ansible_user_dir == '/root'
          - ansible_pkg_mgr == 'apt'
          - ansible_date_time.epoch | int > 1700000000
          - ansible_system == 'Linux' and ansible_kernel | length > 0
          - ansible_fips == false
    - name: show
      debug:
        msg: "{{ ansible_distribution }} {{ ansible_distribution_version }} ({{ ansible_distribution_release }}) on {{ ansible_architecture }}, {{ ansible_default_ipv4.address | default('no default route') }}"
`;

describe('gather_facts: true', () => {
  it('gathers facts once per host before the first task (pre_tasks included), even in check mode; vars_files can name a file by a fact', async () => {
    writeFileSync(join(h.dir, 'Debian.yml'), 'family_file: debian-vars\n');
    const pb = playbook(`- hosts: nodes
  gather_facts: true
  vars_files:
    - ["{{ ansible_os_family }}.yml", "default.yml"]
  pre_tasks:
    - name: pre
      debug: msg="{{ ansible_hostname }} {{ family_file }} {{ ansible_facts.processor_vcpus }}"
`);
    for (const extra of [[], ['--check']]) {
      const r = await apply(pb, ...extra);
      expect(r.code, why(r)).toBe(0);
      for (const host of h.names) {
        expect(r.results('Gathering Facts')[host]!['status']).toBe('ok');
        expect(r.results('pre')[host]!['msg']).toBe(`${shortHostname} debian-vars ${cpus().length}`);
      }
    }
  });
});

describe('setup over ssh', () => {
  it('sets ansible_<fact> and ansible_facts[fact]; ok, never changed', async () => {
    const r = await apply(playbook(FACTS_PLAYBOOK));
    expect(r.code, why(r)).toBe(0);
    for (const host of h.names) {
      expect(r.recap()[host], host).toMatchObject({ changed: 0, failed: 0 });
      const res = r.results('facts')[host]!;
      expect(res['status']).toBe('ok');
      const facts = res['data']['ansible_facts'] as Record<string, any>;
      expect(facts['ansible_hostname']).toBe(shortHostname);
      expect(facts['ansible_processor_vcpus']).toBe(cpus().length);
      expect(facts['ansible_python']).toMatchObject({ executable: expect.any(String), version: { major: 3 } });
      expect(r.results('check')[host]!['status']).toBe('ok');
      expect(r.results('show')[host]!['msg']).toMatch(/^Debian \d+(\.\d+)* \(\w+\) on \w+/);
    }
  });

  it('runs in check mode too', async () => {
    const r = await apply(playbook(FACTS_PLAYBOOK), '--check');
    expect(r.code, why(r)).toBe(0);
    for (const host of h.names) expect(r.results('check')[host]!['status']).toBe('ok');
  });

  it('filter keeps only the matching facts', async () => {
    const r = await apply(
      playbook(`- hosts: nodes
  gather_facts: false
  tasks:
    - name: facts
      setup:
        filter: ansible_distribution*
        gather_subset: ['!all', 'min']
        gather_timeout: 5
    - name: check
      assert:
        that:
          - ansible_distribution == 'Debian'
          - ansible_facts.distribution_release is defined
          - ansible_hostname is not defined
`),
    );
    expect(r.code, why(r)).toBe(0);
    expect(
      Object.keys(r.results('facts')['node1']!['data']['ansible_facts'])
        .filter((k) => !k.startsWith('ansible_distribution'))
        .sort(),
    ).toEqual(['discovered_interpreter_python']); // as 2.14's: module_setup and gather_subset are filtered too
  });

  it('gathers in one command over the connection', async () => {
    const sshd = h.sshd['node1']!;
    const conn = (await openConnection({
      kind: 'ssh',
      host: 'node1',
      address: sshd.address,
      port: sshd.port,
      user: 'root',
      privateKeyFile: sshd.clientKeyFile,
      knownHostsFile: h.knownHosts,
      acceptNewHostKeys: false,
      connectTimeoutMs: 10_000,
      agent: false,
      sshConfigFile: '/nonexistent',
    })) as SshConnection;
    try {
      const ctx: ModuleContext = {
        conn,
        host: 'node1',
        checkMode: true,
        diffMode: false,
        env: {},
        playbookDir: h.dir,
        vars: {},
        renderFile: (t) => t,
        evaluate: (e) => e,
        evaluateBool: (e) => Boolean(e),
      };
      const before = conn.stats().commands;
      const p = await setup.check(ctx, {});
      expect(conn.stats().commands - before).toBe(1);
      expect(p.kind).toBe('unchanged');
      const facts = (p as { result: { ansible_facts: Record<string, unknown> } }).result.ansible_facts;
      expect(facts['ansible_hostname']).toBe(shortHostname);
      expect(Math.abs((facts['ansible_memtotal_mb'] as number) - memMb)).toBeLessThanOrEqual(2);
    } finally {
      await conn.close();
    }
  });
});
