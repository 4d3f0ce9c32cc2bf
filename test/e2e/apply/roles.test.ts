// Roles and the rest of "an existing Ansible project" end to end: test/fixtures/ansible-roles
// (site.yml with roles:, meta dependencies, a role found through ansible.cfg's roles_path,
// import_role / include_role tasks_from, include_vars, a templated vars_files name,
// import_playbook) applied by the built CLI to two real sshd "hosts" on 127.0.63.x.
// (127.0.62.x is taken: test/e2e/lab/lab.test.ts runs `lab up --net 62`, sshd on :2222.)
// Every assertion is a real effect on disk, written under {{ base_dir }}/{{ inventory_hostname }}
// (the hosts share this machine's filesystem), checked against what Ansible does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, type CliResult } from '../../helpers/cli.js';
import { startSshHosts, type SshHosts } from '../../helpers/ssh-hosts.js';
import { treeSnapshot } from '../../helpers/tree.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/ansible-roles', import.meta.url));
const NET = 63;

let h: SshHosts;
let inv: string;
let n = 0;

beforeAll(async () => {
  h = await startSshHosts(2, NET);
  // group vars of the inventory: beat role defaults (etcd_client_port 2379, etcd_group etcd),
  // lose to role vars (etcd_data_dir_name: data in roles/etcd_config/vars/main.yml)
  inv = h.inventory({
    file: 'roles-hosts.yml',
    vars: { env_name: 'staging', etcd_client_port: 12379, etcd_group: 'nodes', etcd_data_dir_name: 'from-inventory' },
  });
  // a host var: only node1 gets the etcd_tls role (its `when:` is on the role entry)
  writeFileSync(inv, readFileSync(inv, 'utf8').replace('        node1:\n', '        node1:\n          etcd_tls_enabled: true\n'));
});
afterAll(async () => {
  await h?.stop();
});

interface Project {
  /** the copy of the fixture, where runbook runs (ansible.cfg is read from the cwd) */
  readonly proj: string;
  /** base_dir: each host writes under base/<host> */
  readonly base: string;
}

/** a fresh copy of the fixture project and an empty data directory */
function project(): Project {
  const root = realpathSync(h.dir);
  const proj = join(root, `p${++n}`);
  cpSync(FIXTURE, proj, { recursive: true });
  const base = join(root, `data${n}`);
  mkdirSync(base);
  return { proj, base };
}

const apply = (p: Project, ...extra: string[]): Promise<CliResult> =>
  runCli(['apply', 'site.yml', '-i', inv, '--yes', '--output', 'json', '-e', `base_dir=${p.base}`, ...extra], { cwd: p.proj });
const why = (r: CliResult): string => `exit ${r.code}\n${r.stderr}\n${r.stdout.slice(-4000)}`;
const read = (p: Project, host: string, rel: string): string => readFileSync(join(p.base, host, rel), 'utf8');
const audit = (p: Project, host: string): string[] => read(p, host, 'audit.log').trim().split('\n');
const addr = (host: string): string => `127.0.${NET}.${h.names.indexOf(host) + 1}`;

/** results of a task by host; a role task may be named `role : task` as Ansible shows it */
function results(r: CliResult, task: string): Record<string, Record<string, any>> {
  const out: Record<string, Record<string, any>> = {};
  for (const e of r.events()) {
    if (e['type'] === 'host-result' && (e['task'] === task || String(e['task']).endsWith(` : ${task}`)))
      out[e['host'] as string] = e['result'] as Record<string, any>;
  }
  return out;
}

const snapshot = treeSnapshot;

/** etcd.conf as Ansible renders roles/etcd_config/templates/etcd.conf.j2 for this project */
function etcdConf(p: Project, host: string, logLevel = 'info'): string {
  const a = addr(host);
  return [
    '# Managed by Ansible (role etcd_config, staging): do not edit by hand.', // vars/{{ env_name }}.yml was loaded
    `# template: ${p.proj}/roles/etcd_config/templates/etcd.conf.j2`, // role_path: the role's directory
    `name: ${host}`,
    // role vars (vars/main.yml: data) beat play vars (from-play-vars) and inventory vars (from-inventory)
    `data-dir: ${p.base}/${host}/var/lib/etcd/data`,
    // inventory group vars (12379) beat role defaults (2379)
    `listen-client-urls: http://${a}:12379`,
    `advertise-client-urls: http://${a}:12379`,
    `listen-peer-urls: http://${a}:2380`,
    `initial-advertise-peer-urls: http://${a}:2380`,
    // etcd_group: inventory (nodes) beats the role default (etcd); groups/hostvars from a role var
    `initial-cluster: node1=http://127.0.${NET}.1:2380,node2=http://127.0.${NET}.2:2380`,
    // role params (on the roles: entry) beat set_fact (pre_tasks): 20 > 19 in Ansible's list
    'initial-cluster-token: main-token',
    'initial-cluster-state: new',
    // vars: on the roles: entry beat play vars (150) and role defaults (100)
    'heartbeat-interval: 250',
    // play vars_files (5000) beat play vars (10000), which beat role defaults (100000)
    'snapshot-count: 5000',
    `log-level: ${logLevel}`,
    '',
  ].join('\n');
}

describe('site.yml: roles, dependencies, handlers, includes, imported playbook', () => {
  let p: Project;
  let first: CliResult;
  beforeAll(async () => {
    p = project();
    first = await apply(p);
  });

  it('applies cleanly on both hosts; the imported playbook’s play ran too', () => {
    expect(first.code, why(first)).toBe(0);
    for (const host of h.names) expect(first.recap()[host], host).toMatchObject({ failed: 0, unreachable: 0 });
    const plays = first
      .events()
      .filter((e) => e['type'] === 'play-start')
      .map((e) => e['play']);
    expect(plays).toEqual(['Configure etcd members', 'Verify the rendered configuration']); // import_playbook: verify.yml
    for (const host of h.names) expect(read(p, host, 'verified')).toBe(`verified ${host}\n`);
  });

  it('renders etcd.conf from the role’s templates/ with Ansible’s variable precedence', () => {
    for (const host of h.names) {
      expect(read(p, host, 'etc/etcd/etcd.conf')).toBe(etcdConf(p, host));
      expect(statSync(join(p.base, host, 'etc/etcd/etcd.conf')).mode & 0o777).toBe(0o644);
      expect(read(p, host, 'etc/etcd/etcd.env')).toBe(`ETCD_CONFIG_FILE=${p.base}/${host}/etc/etcd/etcd.conf\n`);
    }
  });

  it('copies files/motd.txt from the role (copy src resolved in the role’s files/)', () => {
    const motd = readFileSync(join(FIXTURE, 'roles/etcd_config/files/motd.txt'), 'utf8');
    for (const host of h.names) expect(read(p, host, 'etc/etcd/motd')).toBe(motd);
  });

  it('runs pre_tasks, roles (a dependency first and once: include_role does not re-run it), tasks, handlers, post_tasks', () => {
    // common is a meta dependency of etcd_limits and of etcd_config: it runs before the first
    // of them and only once (same parameters: deduplicated). include_role of etcd_config does
    // not run it again either: include_role's allow_duplicates (default true) covers the
    // included role only; its dependency is the same role, already run on this host, whose
    // meta has no allow_duplicates. Handlers notified by roles/tasks run after the tasks
    // section, before post_tasks.
    const expected = (tls: boolean): string[] => [
      'pre_tasks',
      'common',
      'etcd_limits',
      'etcd_config',
      ...(tls ? ['etcd_tls'] : []),
      'etcd_healthcheck',
      'etcd_config:extra',
      'tasks',
      'handler:restart',
      'post_tasks',
      'verify',
    ];
    expect(audit(p, 'node1')).toEqual(expected(true));
    expect(audit(p, 'node2')).toEqual(expected(false));
    for (const host of h.names) {
      expect(read(p, host, 'OWNER')).toBe('owner=platform-team\n'); // common's own defaults
      expect(read(p, host, 'etc/security/limits.d/etcd.conf')).toBe('etcd soft nofile 65536\netcd hard nofile 65536\n'); // shared-roles/ via roles_path
    }
  });

  it('`when:` on a role entry applies to every task of the role, per host', () => {
    expect(read(p, 'node1', 'etc/etcd/pki/tls.conf')).toBe(
      `cert-file: ${p.base}/node1/etc/etcd/pki/node1.crt\nkey-file: ${p.base}/node1/etc/etcd/pki/node1.key\ndays: 365\n`,
    );
    expect(existsSync(join(p.base, 'node2', 'etc/etcd/pki'))).toBe(false);
    const tls = results(first, 'TLS settings');
    expect(tls['node1']).toMatchObject({ status: 'changed' });
    expect(tls['node2']).toMatchObject({ status: 'skipped' });
  });

  it('import_role takes vars; include_role tasks_from runs only that file, with the role’s defaults and vars', () => {
    for (const host of h.names) {
      // import_role vars (task vars) beat the role's default endpoint; healthcheck_timeout is its default
      expect(read(p, host, 'usr/local/bin/etcd-health')).toBe(`#!/bin/sh\nexec curl -fsS --max-time 5 http://${addr(host)}:12379/health\n`);
      expect(statSync(join(p.base, host, 'usr/local/bin/etcd-health')).mode & 0o777).toBe(0o755);
      expect(read(p, host, 'etc/etcd/etcdctl.env')).toBe(
        `ETCDCTL_API=3\nETCDCTL_ENDPOINTS=http://${addr(host)}:12379\nETCD_DATA_DIR=${p.base}/${host}/var/lib/etcd/data\nROLE_PATH=${p.proj}/roles/etcd_config\n`,
      );
    }
  });

  it('include_vars values reach later tasks (and beat play vars); role params stay in the role', () => {
    for (const host of h.names) {
      expect(read(p, host, 'backup.conf')).toBe('keep=7 dir=snapshots\n'); // include_vars (18) > play vars (12)
      // post_tasks: the set_fact value (role params apply to the role's tasks only); the
      // defaults of a role under roles: are exposed to the whole play
      expect(read(p, host, 'summary.txt')).toBe('token=from-set-fact nofile=65536\n');
    }
  });

  it('the handler ran once per host, after the change, although two tasks notified it', () => {
    for (const host of h.names) expect(read(p, host, 'etc/etcd/restarts.log')).toBe(`restart ${host}\n`);
    const restart = first.events().filter((e) => e['type'] === 'host-result' && /(^| : )restart etcd$/.test(String(e['task'])));
    expect(restart.map((e) => e['host']).sort()).toEqual([...h.names]);
  });

  it('a second run changes nothing and does not run the handler', async () => {
    for (const host of h.names) rmSync(join(p.base, host, 'audit.log'));
    const again = await apply(p);
    expect(again.code, why(again)).toBe(0);
    for (const host of h.names) {
      expect(again.recap()[host], host).toMatchObject({ changed: 0, failed: 0 });
      expect(read(p, host, 'etc/etcd/restarts.log')).toBe(`restart ${host}\n`);
      expect(audit(p, host)).not.toContain('handler:restart');
    }
  });

  it('--check with a changed extra var predicts the change and touches nothing', async () => {
    const before = snapshot(p.base);
    const r = await apply(p, '--check', '-e', 'etcd_log_level=debug'); // extra vars beat role defaults
    expect(r.code, why(r)).toBe(0);
    expect(snapshot(p.base)).toEqual(before);
    for (const host of h.names) {
      expect(r.recap()[host], host).toMatchObject({ changed: 1, failed: 0 }); // etcd.conf only; the handler's shell is skipped in check mode
      expect(results(r, 'render etcd.conf')[host]).toMatchObject({ status: 'changed' });
      expect(read(p, host, 'etc/etcd/etcd.conf')).toBe(etcdConf(p, host));
    }
  });
});

describe('--tags on a role entry', () => {
  it('--tags etcd_config runs the tagged role’s tasks and nothing untagged', async () => {
    const p = project();
    const r = await apply(p, '--tags', 'etcd_config');
    expect(r.code, why(r)).toBe(0);
    for (const host of h.names) {
      // tags: on the roles: entry are inherited by every task of the role
      expect(read(p, host, 'etc/etcd/etcd.conf')).toBe(etcdConf(p, host));
      expect(read(p, host, 'etc/etcd/motd')).toBe(readFileSync(join(FIXTURE, 'roles/etcd_config/files/motd.txt'), 'utf8'));
      const log = audit(p, host);
      expect(log).toContain('etcd_config');
      for (const untagged of [
        'pre_tasks',
        'etcd_limits',
        'etcd_tls',
        'etcd_healthcheck',
        'etcd_config:extra',
        'tasks',
        'post_tasks',
        'verify',
      ]) {
        expect(log, `${host}: ${untagged}`).not.toContain(untagged);
      }
      for (const absent of [
        'etc/security/limits.d',
        'usr/local/bin',
        'etc/etcd/etcdctl.env',
        'backup.conf',
        'summary.txt',
        'verified',
        'etc/etcd/pki',
      ]) {
        expect(existsSync(join(p.base, host, absent)), `${host}: ${absent}`).toBe(false);
      }
    }
  });
});
