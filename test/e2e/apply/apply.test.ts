// `runbook apply` / `plan` end to end: the built CLI against three real sshd "hosts" on
// 127.0.52.x, as an operator runs it (no TTY, --yes, --output json for assertions).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli.js';
import { startSshHosts, type SshHosts } from '../../helpers/ssh-hosts.js';

let h: SshHosts;
let inv: string;
let n = 0;

beforeAll(async () => {
  h = await startSshHosts(3, 56);
  inv = h.inventory({ vars: { data: join('/tmp', 'unused') } });
});
afterAll(async () => {
  await h?.stop();
});

/** a fresh per-test data directory; `{{ d }}/{{ inventory_hostname }}` on each host */
function scratch(): string {
  const d = join(h.dir, `t${++n}`);
  mkdirSync(d, { recursive: true });
  return d;
}

function playbook(text: string): string {
  const p = join(h.dir, `pb${++n}.yml`);
  writeFileSync(p, text);
  return p;
}

function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else out[p] = `${(st.mode & 0o7777).toString(8)} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`;
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

const apply = (pb: string, ...extra: string[]) => runCli(['apply', pb, '-i', inv, '--yes', '--output', 'json', ...extra]);

describe('runbook apply over ssh', () => {
  it('runs on every host with key auth; a second run changes nothing', async () => {
    const d = scratch();
    const pb = playbook(`- hosts: nodes
  tasks:
    - file: path=${d}/{{ inventory_hostname }} state=directory mode=0755
    - copy:
        dest: ${d}/{{ inventory_hostname }}/etcd.env
        content: "ETCD_NAME={{ inventory_hostname }}\\n"
        mode: "0640"
    - lineinfile:
        path: ${d}/{{ inventory_hostname }}/state.env
        create: true
        regexp: '^ETCD_INITIAL_CLUSTER_STATE='
        line: ETCD_INITIAL_CLUSTER_STATE=existing
    - command: hostname
      changed_when: false
`);
    const first = await apply(pb);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    for (const host of h.names) {
      expect(first.recap()[host]).toMatchObject({ changed: 3, failed: 0, unreachable: 0 });
      expect(readFileSync(join(d, host, 'etcd.env'), 'utf8')).toBe(`ETCD_NAME=${host}\n`);
      expect(readFileSync(join(d, host, 'state.env'), 'utf8')).toBe('ETCD_INITIAL_CLUSTER_STATE=existing\n');
      expect(statSync(join(d, host, 'etcd.env')).mode & 0o777).toBe(0o640);
    }
    const second = await apply(pb);
    expect(second.code).toBe(0);
    for (const host of h.names) expect(second.recap()[host]).toMatchObject({ changed: 0, ok: 4 });
  });

  it('never lets a shell read a templated command (words as shlex splits them; argv: one argument)', async () => {
    const d = scratch();
    const pb = playbook(`- hosts: node1
  vars:
    evil: "a b; touch ${d}/pwned \`id\` $(id) 'q' \\"dq\\""
  tasks:
    - command: printf '%s|' {{ evil }}
      register: out
    - command:
        argv: [printf, '%s|', "{{ evil }}"]
      register: one
    - copy: content="{{ evil }}" dest=${d}/evil.txt
    - assert:
        that:
          - "out.stdout.split('|') | length == 9"
          - "'$(id)|q|dq|' in out.stdout"
          - one.stdout == evil + '|'
`);
    const r = await apply(pb);
    expect(r.code).toBe(0);
    expect(existsSync(join(d, 'pwned'))).toBe(false);
    expect(readFileSync(join(d, 'evil.txt'), 'utf8')).toContain('; touch');
  });

  it('a failing command fails that host (exit 2); the others carry on', async () => {
    const d = scratch();
    const pb = playbook(`- hosts: nodes
  tasks:
    - command: "{{ 'false' if inventory_hostname == 'node2' else 'true' }}"
    - file: path=${d}/{{ inventory_hostname }} state=touch
`);
    const r = await apply(pb);
    expect(r.code).toBe(2);
    expect(r.recap()['node2']).toMatchObject({ failed: 1 });
    expect(existsSync(join(d, 'node1'))).toBe(true);
    expect(existsSync(join(d, 'node3'))).toBe(true);
    expect(existsSync(join(d, 'node2'))).toBe(false);
    const plain = await runCli(['apply', pb, '-i', inv, '--yes', '--output', 'plain']);
    expect(plain.code).toBe(2);
    expect(plain.stdout).toMatch(/PLAY RECAP/);
    expect(plain.stdout).toMatch(/node2\s+:.*failed=1/);
  });

  it('serial runs the hosts in batches, in order', async () => {
    const d = scratch();
    const pb = playbook(`- hosts: nodes
  serial: 1
  tasks:
    - shell: echo {{ inventory_hostname }} >> ${d}/order
`);
    const r = await apply(pb);
    expect(r.code).toBe(0);
    expect(readFileSync(join(d, 'order'), 'utf8')).toBe('node1\nnode2\nnode3\n');
    expect(
      r
        .events()
        .filter((e) => e['type'] === 'batch-start')
        .map((e) => e['hosts']),
    ).toEqual([['node1'], ['node2'], ['node3']]);
  });

  it('retries/until re-runs a task until it holds', async () => {
    const d = scratch();
    const pb = playbook(`- hosts: node1
  tasks:
    - shell: echo x >> ${d}/count; wc -l < ${d}/count
      register: c
      until: c.stdout | int >= 3
      retries: 5
      delay: 0
`);
    const r = await apply(pb);
    expect(r.code).toBe(0);
    expect(readFileSync(join(d, 'count'), 'utf8').split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('handlers run once at the end, only when notified by a change', async () => {
    const d = scratch();
    const pb = playbook(`- hosts: nodes
  tasks:
    - copy: content="v1\\n" dest=${d}/{{ inventory_hostname }}.conf
      notify: restart
    - copy: content="v1\\n" dest=${d}/{{ inventory_hostname }}.conf
      notify: restart
  handlers:
    - name: restart
      shell: echo restarted >> ${d}/{{ inventory_hostname }}.restarts
`);
    expect((await apply(pb)).code).toBe(0);
    for (const host of h.names) expect(readFileSync(join(d, `${host}.restarts`), 'utf8')).toBe('restarted\n');
    expect((await apply(pb)).code).toBe(0);
    for (const host of h.names) expect(readFileSync(join(d, `${host}.restarts`), 'utf8')).toBe('restarted\n');
  });

  it('check mode and plan touch nothing (file hashes identical) yet predict the changes', async () => {
    const d = scratch();
    for (const host of h.names) {
      mkdirSync(join(d, host));
      writeFileSync(join(d, host, 'etcd.env'), 'ETCD_NAME=old\nETCD_DATA_DIR=/var/lib/etcd\n');
    }
    const pb = playbook(`- hosts: nodes
  tasks:
    - stat: path=${d}/{{ inventory_hostname }}/etcd.env
      register: st
    - lineinfile: path=${d}/{{ inventory_hostname }}/etcd.env regexp=^ETCD_NAME= line=ETCD_NAME={{ inventory_hostname }}
      when: st.stat.exists
    - copy: content="new\\n" dest=${d}/{{ inventory_hostname }}/new.txt
    - file: path=${d}/{{ inventory_hostname }}/old state=directory
    - command: rm -rf ${d}
    - shell: rm -rf ${d}
`);
    const before = hashTree(d);
    const check = await runCli(['apply', pb, '-i', inv, '--check', '--diff', '--output', 'json']);
    expect(check.code).toBe(0);
    expect(hashTree(d)).toEqual(before);
    for (const host of h.names) expect(check.recap()[host]).toMatchObject({ changed: 3, failed: 0 });
    const plan = await runCli(['plan', pb, '-i', inv]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/9 to change/);
    expect(hashTree(d)).toEqual(before);
    expect(readdirSync(join(d, 'node1')).sort()).toEqual(['etcd.env']);
  });

  it('refuses to apply without a terminal and without --yes, changing nothing', async () => {
    const d = scratch();
    const pb = playbook(`- hosts: nodes\n  tasks:\n    - file: path=${d}/x state=touch\n`);
    const r = await runCli(['apply', pb, '-i', inv]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--yes/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(d, 'x'))).toBe(false);
  });

  it('runs a playbook whose plan changes nothing without a terminal and without --yes (health checks from cron)', async () => {
    const pb = playbook(
      `- hosts: nodes\n  gather_facts: false\n  tasks:\n    - stat: path=/proc/uptime\n      register: up\n    - assert: { that: [up.stat.exists] }\n`,
    );
    const r = await runCli(['apply', pb, '-i', inv, '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/The plan changes nothing: running it without asking/);
    expect(Object.keys(r.results('assert')).sort()).toEqual([...h.names].sort());
  });

  it('a broken playbook is refused before any host is touched: one line with file:line:col', async () => {
    const pb = playbook(`- hosts: nodes\n  tasks:\n    - comand: ls\n`);
    const r = await apply(pb);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/pb\d+\.yml:3:7: unknown module 'comand' \(did you mean 'command'\?\)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('connection failures are per host, with the reason', () => {
  const pb = () => playbook(`- hosts: all\n  gather_facts: false\n  tasks:\n    - command: 'true'\n`);

  it('a changed host key is refused with both fingerprints; the other hosts run (exit 4)', async () => {
    const wrong = join(h.dir, `kh-wrong-${++n}`);
    // node2's entry carries node1's key: what a man in the middle would offer
    const lines = h.names.map((x) =>
      x === 'node2' ? h.sshd['node1']!.hostKeyLine.replace(/^\S+/, h.sshd['node2']!.hostKeyLine.split(' ')[0]!) : h.sshd[x]!.hostKeyLine,
    );
    writeFileSync(wrong, lines.join('\n') + '\n');
    const r = await runCli(['apply', pb(), '-i', h.inventory({ knownHosts: wrong, file: `inv${n}.yml` }), '--yes', '--output', 'json']);
    expect(r.code).toBe(4);
    expect(r.recap()['node2']).toMatchObject({ unreachable: 1 });
    expect(r.recap()['node1']).toMatchObject({ ok: 1, unreachable: 0 });
    const msg = String(r.results('command')['node2']?.['msg'] ?? JSON.stringify(r.events().filter((e) => e['host'] === 'node2')));
    expect(msg).toMatch(/host key/i);
    expect(msg).toMatch(/SHA256:[A-Za-z0-9+/]{43}.*SHA256:[A-Za-z0-9+/]{43}/s);
  });

  it('an unknown host is refused; --accept-new-host-keys records it and connects', async () => {
    const empty = join(h.dir, `kh-empty-${++n}`);
    writeFileSync(empty, '');
    const file = h.inventory({ knownHosts: empty, file: `inv${n}.yml` });
    const refused = await runCli(['apply', pb(), '-i', file, '--yes', '--output', 'json', '--limit', 'node1']);
    expect(refused.code).toBe(4);
    expect(JSON.stringify(refused.events())).toMatch(/unknown host|not in .*known_hosts|accept-new-host-keys/i);
    expect(readFileSync(empty, 'utf8')).toBe('');
    const accepted = await runCli(['apply', pb(), '-i', file, '--yes', '--output', 'json', '--limit', 'node1', '--accept-new-host-keys']);
    expect(accepted.code).toBe(0);
    expect(readFileSync(empty, 'utf8')).toContain(h.sshd['node1']!.hostKeyBase64);
    const again = await runCli(['apply', pb(), '-i', file, '--yes', '--output', 'json', '--limit', 'node1']);
    expect(again.code).toBe(0);
  });

  it('a host nobody listens on is unreachable (refused) and the others carry on', async () => {
    const file = h.inventory({ extraHosts: { ghost: { ansible_host: '127.0.56.99', ansible_port: 2222 } }, file: `inv${++n}.yml` });
    const r = await runCli(['apply', pb(), '-i', file, '--yes', '--output', 'plain']);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/ghost.*UNREACHABLE.*refused/is);
    expect(r.stdout).toMatch(/ghost\s+:.*unreachable=1/);
    expect(r.stdout).toMatch(/node3\s+:\s+ok=1/);
  });

  it('a key the server does not accept is an authentication failure', async () => {
    const other = h.sshd['node2']!.clientKeyFile;
    const file = h.inventory({
      file: `inv${++n}.yml`,
      extraHosts: {
        badkey: { ansible_host: h.sshd['node1']!.address, ansible_port: 2222, ansible_user: 'root', ssh_private_key_file: other },
      },
    });
    // node2's key is only in node2's authorized_keys
    const r = await runCli(['apply', pb(), '-i', file, '--yes', '--output', 'plain', '--limit', 'badkey']);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/badkey.*UNREACHABLE.*(auth|permission denied)/is);
  });
});
