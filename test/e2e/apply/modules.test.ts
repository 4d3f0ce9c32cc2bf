// Every built-in module end to end: the built CLI (`runbook apply ... --yes --output json`)
// against three real sshd "hosts" on 127.0.54.x. Each test checks the real effect on disk
// (the hosts are this machine), that a second apply changes nothing where the module is
// idempotent, and that --check touches nothing for the modules that change things.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runCli, type CliResult } from '../../helpers/cli.js';
import { startSshHosts, type SshHosts } from '../../helpers/ssh-hosts.js';
import { treeSnapshot } from '../../helpers/tree.js';

let h: SshHosts;
let inv: string;
let n = 0;
/** pid files of background processes the tests start on the "hosts" */
const pidFiles: string[] = [];

beforeAll(async () => {
  h = await startSshHosts(3, 54);
  chmodSync(h.dir, 0o755); // become_user nobody must reach the test directories
  inv = h.inventory();
});
afterAll(async () => {
  for (const f of pidFiles) {
    try {
      process.kill(Number(readFileSync(f, 'utf8').trim()));
    } catch {
      // already gone
    }
  }
  await h?.stop();
});

/** a fresh test directory with one sub-directory per host */
function scratch(): string {
  const d = join(h.dir, `t${++n}`);
  for (const host of h.names) mkdirSync(join(d, host), { recursive: true });
  return d;
}

function playbook(text: string): string {
  const p = join(h.dir, `pb${++n}.yml`);
  writeFileSync(p, text);
  return p;
}

const apply = (pb: string, ...extra: string[]): Promise<CliResult> =>
  runCli(['apply', pb, '-i', inv, '--yes', '--output', 'json', ...extra]);
const check = (pb: string, ...extra: string[]): Promise<CliResult> =>
  runCli(['apply', pb, '-i', inv, '--check', '--diff', '--output', 'json', ...extra]);
const sha1 = (data: string | Buffer): string => createHash('sha1').update(data).digest('hex');
const mode = (p: string): number => statSync(p).mode & 0o7777;
const why = (r: CliResult): string => `exit ${r.code}\n${r.stderr}\n${r.stdout}`;

const snapshot = treeSnapshot;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((res) => server.close(() => res()));
  return port;
}

/** --check predicts changes and leaves dir exactly as it was */
async function expectCheckTouchesNothing(pb: string, dir: string, changedPerHost?: Record<string, number>): Promise<CliResult> {
  const before = snapshot(dir);
  const r = await check(pb);
  expect(r.code, why(r)).toBe(0);
  expect(snapshot(dir)).toEqual(before);
  for (const [host, changed] of Object.entries(changedPerHost ?? {})) expect(r.recap()[host]).toMatchObject({ changed, failed: 0 });
  return r;
}

/** a second apply: nothing changes on any host */
async function expectConverged(pb: string, hosts: readonly string[] = h.names): Promise<void> {
  const again = await apply(pb);
  expect(again.code, why(again)).toBe(0);
  for (const host of hosts) expect(again.recap()[host], host).toMatchObject({ changed: 0, failed: 0 });
}

describe('template', () => {
  it('renders loops, conditionals and another host’s hostvars; mode; second run ok; --diff shows the drift', async () => {
    const d = scratch();
    writeFileSync(
      join(h.dir, 'cluster.conf.j2'),
      [
        '# managed for {{ inventory_hostname }}',
        'name={{ inventory_hostname }}',
        "{% for peer in groups['nodes'] | sort %}",
        "peer.{{ peer }}={{ hostvars[peer]['ansible_host'] }}:{{ hostvars[peer]['client_port'] }}{% if peer == inventory_hostname %} # me{% endif %}",
        '',
        '{% endfor %}',
        "{% if inventory_hostname == 'node1' %}",
        'role=leader',
        '{% else %}',
        "role=follower of {{ hostvars['node1']['ansible_host'] }}:{{ hostvars['node1']['client_port'] }}",
        '{% endif %}',
        '',
      ].join('\n'),
    );
    const pb = playbook(`- hosts: nodes
  tasks:
    - set_fact:
        client_port: "{{ 2379 + (inventory_hostname[-1] | int) }}"
    - name: render
      template:
        src: cluster.conf.j2
        dest: ${d}/{{ inventory_hostname }}/cluster.conf
        mode: "0640"
`);
    const expected = (host: string): string => {
      const peers = h.names.map((p, i) => `peer.${p}=127.0.54.${i + 1}:${2380 + i}${p === host ? ' # me' : ''}\n`).join('');
      return `# managed for ${host}\nname=${host}\n${peers}${host === 'node1' ? 'role=leader' : 'role=follower of 127.0.54.1:2380'}\n`;
    };
    await expectCheckTouchesNothing(pb, d, { node1: 1, node2: 1, node3: 1 });

    const first = await apply(pb);
    expect(first.code, why(first)).toBe(0);
    for (const host of h.names) {
      const file = join(d, host, 'cluster.conf');
      expect(readFileSync(file, 'utf8')).toBe(expected(host));
      expect(mode(file)).toBe(0o640);
      expect(first.results('render')[host]).toMatchObject({ status: 'changed', data: { checksum: sha1(expected(host)), mode: '0640' } });
    }
    await expectConverged(pb);

    // drift on node1: --check --diff shows it and leaves it; apply --diff repairs it (mode kept)
    const file = join(d, 'node1', 'cluster.conf');
    writeFileSync(file, 'name=drifted\n');
    const diff = await expectCheckTouchesNothing(pb, d, { node1: 1, node2: 0, node3: 0 });
    expect(diff.results('render')['node1']?.['diff']).toEqual([{ path: file, before: 'name=drifted\n', after: expected('node1') }]);
    expect(readFileSync(file, 'utf8')).toBe('name=drifted\n');
    const plain = await runCli(['apply', pb, '-i', inv, '--check', '--diff', '--output', 'plain']);
    expect(plain.code, why(plain)).toBe(0);
    expect(plain.stdout).toMatch(/^-name=drifted$/m);
    expect(plain.stdout).toMatch(/^\+name=node1$/m);
    const repair = await apply(pb, '--diff');
    expect(repair.code, why(repair)).toBe(0);
    expect(repair.recap()['node1']).toMatchObject({ changed: 1 });
    expect(repair.results('render')['node1']?.['diff']?.[0]).toMatchObject({ before: 'name=drifted\n', after: expected('node1') });
    expect(readFileSync(file, 'utf8')).toBe(expected('node1'));
    expect(mode(file)).toBe(0o640);
  });
});

describe('fetch', () => {
  it('copies each host’s file into dest/<host>/<path> (and flat); checksums; second run ok; fail_on_missing', async () => {
    const d = scratch();
    for (const host of h.names) {
      mkdirSync(join(d, host, 'etc'));
      writeFileSync(join(d, host, 'etc', 'member.id'), `id of ${host}\n`);
    }
    const out = `fetched${n}`; // relative: from the playbook directory, as Ansible
    const pb = playbook(`- hosts: nodes
  tasks:
    - name: tree
      fetch: src=${d}/{{ inventory_hostname }}/etc/member.id dest=${out}
    - name: flat
      fetch: src=${d}/{{ inventory_hostname }}/etc/member.id dest=${out}-flat/{{ inventory_hostname }}.id flat=true
    - name: optional
      fetch: src=${d}/{{ inventory_hostname }}/etc/absent.conf dest=${out} fail_on_missing=false
`);
    await expectCheckTouchesNothing(pb, d, { node1: 2, node2: 2, node3: 2 });
    expect(existsSync(join(h.dir, out))).toBe(false);
    expect(existsSync(join(h.dir, `${out}-flat`))).toBe(false);

    const first = await apply(pb);
    expect(first.code, why(first)).toBe(0);
    for (const host of h.names) {
      const content = `id of ${host}\n`;
      const tree = join(h.dir, out, host, d.replace(/^\//, ''), host, 'etc', 'member.id');
      expect(readFileSync(tree, 'utf8')).toBe(content);
      expect(readFileSync(join(h.dir, `${out}-flat`, `${host}.id`), 'utf8')).toBe(content);
      expect(first.results('tree')[host]).toMatchObject({
        status: 'changed',
        data: { dest: tree, checksum: sha1(content), remote_checksum: sha1(content) },
      });
      expect(first.results('optional')[host]).toMatchObject({
        status: 'ok',
        msg: expect.stringMatching(/does not exist.*not transferring/),
      });
    }
    expect(readdirSync(join(h.dir, out)).sort()).toEqual([...h.names]);
    await expectConverged(pb);

    // a changed remote file is fetched again; missing (by default) and directory sources fail
    writeFileSync(join(d, 'node2', 'etc', 'member.id'), 'id of node2, changed\n');
    const strict = playbook(`- hosts: nodes
  tasks:
    - name: tree
      fetch: src=${d}/{{ inventory_hostname }}/etc/member.id dest=${out}
    - name: missing
      fetch: src=${d}/{{ inventory_hostname }}/etc/absent.conf dest=${out}
      when: inventory_hostname == 'node1'
    - name: directory
      fetch: src=${d}/{{ inventory_hostname }}/etc dest=${out}
      when: inventory_hostname == 'node3'
    - name: flat into a directory
      fetch: src=${d}/{{ inventory_hostname }}/etc/member.id dest=${out}-flat flat=true
      when: inventory_hostname == 'node2'
`);
    const r = await apply(strict);
    expect(r.code).toBe(2);
    expect(r.recap()).toMatchObject({ node1: { failed: 1 }, node2: { changed: 1, failed: 1 }, node3: { failed: 1 } });
    expect(readFileSync(join(h.dir, out, 'node2', d.replace(/^\//, ''), 'node2', 'etc', 'member.id'), 'utf8')).toBe(
      'id of node2, changed\n',
    );
    expect(r.results('missing')['node1']).toMatchObject({ status: 'failed', msg: expect.stringMatching(/remote file does not exist/) });
    expect(r.results('directory')['node3']).toMatchObject({ status: 'failed', msg: expect.stringMatching(/is a directory/) });
    expect(r.results('flat into a directory')['node2']).toMatchObject({
      status: 'failed',
      msg: expect.stringMatching(/existing directory, use a trailing slash/),
    });
    expect(readdirSync(join(h.dir, `${out}-flat`)).sort()).toEqual(h.names.map((x) => `${x}.id`));
  });
});

describe('replace', () => {
  it('rewrites every match with backrefs (also between after/before); no match is ok', async () => {
    const d = scratch();
    const original =
      'upstream etcd {\n  server 10.0.0.1:2379;\n  server 10.0.0.2:2379;\n}\n# server 10.9.9.9:1;\n[old]\nport=1\n[new]\nport=2\n';
    for (const host of h.names) writeFileSync(join(d, host, 'lb.conf'), original);
    const pb = playbook(String.raw`- hosts: nodes
  tasks:
    - name: backrefs
      replace:
        path: ${d}/{{ inventory_hostname }}/lb.conf
        regexp: '^(\s+)server (?P<ip>[\d.]+):(\d+);$'
        replace: '\1server \g<ip>:\3 max_fails=3;'
    - name: section
      replace:
        path: ${d}/{{ inventory_hostname }}/lb.conf
        after: '\[new\]'
        regexp: '^port=\d+$'
        replace: 'port={{ inventory_hostname[-1] }}000'
    - name: nothing
      replace:
        path: ${d}/{{ inventory_hostname }}/lb.conf
        regexp: '^no such line$'
        replace: 'x'
`);
    await expectCheckTouchesNothing(pb, d, { node1: 2 });
    const first = await apply(pb);
    expect(first.code, why(first)).toBe(0);
    for (const host of h.names) {
      expect(readFileSync(join(d, host, 'lb.conf'), 'utf8')).toBe(
        `upstream etcd {\n  server 10.0.0.1:2379 max_fails=3;\n  server 10.0.0.2:2379 max_fails=3;\n}\n# server 10.9.9.9:1;\n[old]\nport=1\n[new]\nport=${host.slice(-1)}000\n`,
      );
      expect(first.results('backrefs')[host]).toMatchObject({ status: 'changed', msg: '2 replacements made' });
      expect(first.results('nothing')[host]).toMatchObject({ status: 'ok' });
    }
    await expectConverged(pb);
  });
});

describe('lineinfile', () => {
  it('keeps a KEY=VALUE env file right: replace, insertafter/before, absent, create (with its directory)', async () => {
    const d = scratch();
    for (const host of h.names)
      writeFileSync(join(d, host, 'etcd.env'), 'ETCD_NAME=default\nETCD_DATA_DIR=/var/lib/etcd\nETCD_DEBUG=true\nETCD_LOG_LEVEL=debug\n');
    const pb = playbook(`- hosts: nodes
  vars:
    env: ${d}/{{ inventory_hostname }}/etcd.env
  tasks:
    - lineinfile: path={{ env }} regexp=^ETCD_NAME= line=ETCD_NAME={{ inventory_hostname }}
    - lineinfile:
        path: "{{ env }}"
        regexp: '^ETCD_LISTEN_CLIENT_URLS='
        line: ETCD_LISTEN_CLIENT_URLS=https://{{ ansible_host }}:2379
        insertafter: '^ETCD_NAME='
    - lineinfile: path={{ env }} regexp=^ETCD_DEBUG= state=absent
    - lineinfile: path={{ env }} regexp=^ETCD_LOG_LEVEL= line=ETCD_LOG_LEVEL=info
    - lineinfile:
        path: "{{ env }}"
        line: "# managed by runbook"
        insertbefore: BOF
    - lineinfile:
        path: ${d}/{{ inventory_hostname }}/conf.d/new.env
        line: ETCD_INITIAL_CLUSTER_STATE=existing
        create: true
        mode: "0600"
`);
    await expectCheckTouchesNothing(pb, d, { node1: 6, node2: 6, node3: 6 });
    const first = await apply(pb);
    expect(first.code, why(first)).toBe(0);
    h.names.forEach((host, i) => {
      expect(readFileSync(join(d, host, 'etcd.env'), 'utf8')).toBe(
        `# managed by runbook\nETCD_NAME=${host}\nETCD_LISTEN_CLIENT_URLS=https://127.0.54.${i + 1}:2379\nETCD_DATA_DIR=/var/lib/etcd\nETCD_LOG_LEVEL=info\n`,
      );
      // create: true makes the missing directory too, as Ansible
      expect(readFileSync(join(d, host, 'conf.d', 'new.env'), 'utf8')).toBe('ETCD_INITIAL_CLUSTER_STATE=existing\n');
      expect(mode(join(d, host, 'conf.d', 'new.env'))).toBe(0o600);
      expect(first.recap()[host]).toMatchObject({ changed: 6 });
    });
    await expectConverged(pb);
  });
});

describe('copy', () => {
  it('remote_src with owner/mode, backup: true keeps the old file, second run ok', async () => {
    const d = scratch();
    for (const host of h.names) {
      writeFileSync(join(d, host, 'seed.pem'), `cert of ${host}\n`);
      writeFileSync(join(d, host, 'app.conf'), 'version=1\n');
      writeFileSync(join(d, host, 'same.conf'), 'same\n', { mode: 0o644 });
    }
    const pb = playbook(`- hosts: nodes
  tasks:
    - name: remote
      copy:
        src: ${d}/{{ inventory_hostname }}/seed.pem
        remote_src: true
        dest: ${d}/{{ inventory_hostname }}/server.pem
        owner: nobody
        group: nogroup
        mode: "0600"
    - name: backup
      copy:
        content: "version=2\\n"
        dest: ${d}/{{ inventory_hostname }}/app.conf
        backup: true
    - name: attrs only
      copy:
        content: "same\\n"
        dest: ${d}/{{ inventory_hostname }}/same.conf
        mode: "0600"
        backup: true
`);
    await expectCheckTouchesNothing(pb, d, { node1: 3, node2: 3, node3: 3 });
    const first = await apply(pb);
    expect(first.code, why(first)).toBe(0);
    for (const host of h.names) {
      const pem = join(d, host, 'server.pem');
      expect(readFileSync(pem, 'utf8')).toBe(`cert of ${host}\n`);
      expect(statSync(pem)).toMatchObject({ uid: 65534, gid: 65534 });
      expect(mode(pem)).toBe(0o600);
      expect(readFileSync(join(d, host, 'app.conf'), 'utf8')).toBe('version=2\n');
      const backups = readdirSync(join(d, host)).filter((f) => f.startsWith('app.conf.'));
      expect(backups).toHaveLength(1);
      expect(backups[0]).toMatch(/^app\.conf\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/);
      expect(readFileSync(join(d, host, backups[0]!), 'utf8')).toBe('version=1\n');
      expect(first.results('backup')[host]?.['data']?.['backup_file']).toBe(join(d, host, backups[0]!));
      // only the mode changed: no backup of an unchanged content
      expect(mode(join(d, host, 'same.conf'))).toBe(0o600);
      expect(readdirSync(join(d, host)).filter((f) => f.startsWith('same.conf.'))).toEqual([]);
    }
    await expectConverged(pb);
    for (const host of h.names) expect(readdirSync(join(d, host)).filter((f) => f.startsWith('app.conf.'))).toHaveLength(1);
  });
});

describe('file', () => {
  it('link, absent on a directory, touch, nested directory with mode', async () => {
    const d = scratch();
    for (const host of h.names) {
      mkdirSync(join(d, host, 'old-data', 'member', 'snap'), { recursive: true });
      writeFileSync(join(d, host, 'old-data', 'member', 'snap', 'db'), 'x');
      writeFileSync(join(d, host, 'etcd-3.5'), 'binary');
    }
    const pb = playbook(`- hosts: nodes
  vars:
    d: ${d}/{{ inventory_hostname }}
  tasks:
    - file: path={{ d }}/etcd src={{ d }}/etcd-3.5 state=link
    - file: path={{ d }}/current src=etcd-3.5 state=link
    - file: path={{ d }}/old-data state=absent
    - file: path={{ d }}/ready state=touch mode=0600 modification_time=preserve access_time=preserve
    - file: path={{ d }}/data/member/wal state=directory mode=0700
`);
    await expectCheckTouchesNothing(pb, d, { node1: 5, node2: 5, node3: 5 });
    const first = await apply(pb);
    expect(first.code, why(first)).toBe(0);
    for (const host of h.names) {
      const base = join(d, host);
      expect(readlinkSync(join(base, 'etcd'))).toBe(join(base, 'etcd-3.5'));
      expect(readlinkSync(join(base, 'current'))).toBe('etcd-3.5');
      expect(readFileSync(join(base, 'current'), 'utf8')).toBe('binary');
      expect(existsSync(join(base, 'old-data'))).toBe(false);
      expect(statSync(join(base, 'ready')).size).toBe(0);
      expect(mode(join(base, 'ready'))).toBe(0o600);
      // as Ansible: every directory created on the way gets the mode
      for (const sub of ['data', 'data/member', 'data/member/wal']) {
        expect(statSync(join(base, sub)).isDirectory()).toBe(true);
        expect(mode(join(base, sub)), sub).toBe(0o700);
      }
      expect(first.recap()[host]).toMatchObject({ changed: 5 });
    }
    await expectConverged(pb);

    // a plain touch always changes (and updates the time), as Ansible's
    const touch = playbook(`- hosts: node1\n  tasks:\n    - file: path=${d}/node1/ready state=touch\n`);
    const before = statSync(join(d, 'node1', 'ready')).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    const t = await apply(touch);
    expect(t.recap()['node1']).toMatchObject({ changed: 1 });
    expect(statSync(join(d, 'node1', 'ready')).mtimeMs).toBeGreaterThan(before);
  });
});

describe('command and shell', () => {
  it('creates/removes/chdir/stdin, free-form and through args:', async () => {
    const d = scratch();
    for (const host of h.names) writeFileSync(join(d, host, 'stale.lock'), '');
    const pb = playbook(`- hosts: nodes
  tasks:
    - name: init
      command: touch initialized
      args:
        chdir: ${d}/{{ inventory_hostname }}
        creates: initialized
    - name: unlock
      command: rm ${d}/{{ inventory_hostname }}/stale.lock removes=${d}/{{ inventory_hostname }}/stale.lock
    - name: stdin
      shell: cat > from-stdin; pwd
      args:
        chdir: ${d}/{{ inventory_hostname }}
        stdin: "hello {{ inventory_hostname }}"
        creates: from-stdin
      register: sh
    - name: raw stdin
      command: cat
      args:
        stdin: "no newline"
        stdin_add_newline: false
      register: raw
      changed_when: false
    - name: argv
      command:
        argv: [printf, "%s|", "a b", "{{ inventory_hostname }}"]
      register: argv
      changed_when: false
    - name: glob
      shell: echo should not run > ${d}/{{ inventory_hostname }}/ran
      args:
        creates: ${d}/{{ inventory_hostname }}/init*
`);
    const checked = await expectCheckTouchesNothing(pb, d);
    for (const host of h.names) {
      // as Ansible 2.14: creates/removes that say the command would run make it changed in check mode
      expect(checked.results('init')[host]).toMatchObject({ status: 'changed' });
      expect(checked.results('unlock')[host]).toMatchObject({ status: 'changed' });
    }
    const first = await apply(pb);
    expect(first.code, why(first)).toBe(0);
    for (const host of h.names) {
      const base = join(d, host);
      expect(existsSync(join(base, 'initialized'))).toBe(true);
      expect(existsSync(join(base, 'stale.lock'))).toBe(false);
      expect(readFileSync(join(base, 'from-stdin'), 'utf8')).toBe(`hello ${host}\n`);
      expect(first.results('stdin')[host]).toMatchObject({ status: 'changed', rc: 0, stdout: base });
      expect(first.results('glob')[host]).toMatchObject({ status: 'ok', msg: `Did not run command since '${base}/init*' exists` });
      expect(existsSync(join(base, 'ran'))).toBe(false);
      expect(first.results('raw stdin')[host]).toMatchObject({ status: 'ok', stdout: 'no newline' });
      expect(first.results('argv')[host]).toMatchObject({ status: 'ok', stdout: `a b|${host}|` });
      expect(first.recap()[host]).toMatchObject({ changed: 3, failed: 0 });
    }
    const again = await apply(pb);
    expect(again.code, why(again)).toBe(0);
    for (const host of h.names) {
      expect(again.recap()[host]).toMatchObject({ changed: 0 });
      expect(again.results('init')[host]).toMatchObject({ status: 'ok', msg: "Did not run command since 'initialized' exists" });
      expect(again.results('unlock')[host]).toMatchObject({ status: 'ok', msg: expect.stringMatching(/does not exist/) });
    }
  });

  it('a non-zero return code fails the host and shows rc, stdout and stderr', async () => {
    const pb = playbook(`- hosts: nodes
  tasks:
    - name: script
      shell: "echo partial; echo 'boom: disk full' >&2; exit {{ 3 if inventory_hostname == 'node2' else 0 }}"
    - name: missing
      command: ls /nonexistent-{{ inventory_hostname }}
      when: inventory_hostname == 'node3'
`);
    const r = await apply(pb);
    expect(r.code).toBe(2);
    expect(r.results('script')['node2']).toMatchObject({
      status: 'failed',
      msg: 'non-zero return code',
      rc: 3,
      stdout: 'partial',
      stderr: 'boom: disk full',
    });
    expect(r.results('script')['node1']).toMatchObject({ status: 'changed', rc: 0 });
    expect(r.results('missing')['node3']).toMatchObject({
      status: 'failed',
      rc: 2,
      stderr: expect.stringMatching(/nonexistent-node3.*No such file/),
    });
    expect(r.recap()).toMatchObject({ node1: { failed: 0 }, node2: { failed: 1 }, node3: { failed: 1 } });
    const plain = await runCli(['apply', pb, '-i', inv, '--yes', '--output', 'plain', '-v', '--limit', 'node2']);
    expect(plain.code).toBe(2);
    // -v: the result as 2.14's default callback dumps it (test/e2e/compat/verbose-output.test.ts)
    expect(plain.stdout).toMatch(/node2\]: FAILED! => \{"changed": true, .*"msg": "non-zero return code", "rc": 3, /);
    expect(plain.stdout).toMatch(/"stderr": "boom: disk full"/);
  });
});

describe('service (command manager)', () => {
  it('starts a toy service once, stops it, restarts a stopped one', async () => {
    const d = scratch();
    const svc = join(d, 'toy.sh');
    writeFileSync(
      svc,
      [
        '#!/bin/sh',
        'p=$2',
        'case $1 in',
        '  start) nohup sleep 120 </dev/null >/dev/null 2>&1 & echo $! > "$p"; echo start >> "$p.log";;',
        '  stop) [ -f "$p" ] && kill "$(cat "$p")" || { echo "toy is not running" >&2; exit 1; }; rm -f "$p"; echo stop >> "$p.log";;',
        '  status) [ -f "$p" ] && kill -0 "$(cat "$p")" 2>/dev/null;;',
        'esac',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    const pid = (host: string): string => join(d, host, 'toy.pid');
    for (const host of h.names) pidFiles.push(pid(host));
    const running = (host: string): boolean => {
      if (!existsSync(pid(host))) return false;
      try {
        process.kill(Number(readFileSync(pid(host), 'utf8').trim()), 0);
        return true;
      } catch {
        return false;
      }
    };
    const play = (state: string): string =>
      playbook(`- hosts: nodes
  vars:
    service_start_command: ${svc} start ${d}/{{ inventory_hostname }}/toy.pid
    service_stop_command: ${svc} stop ${d}/{{ inventory_hostname }}/toy.pid
    service_status_command: ${svc} status ${d}/{{ inventory_hostname }}/toy.pid
  tasks:
    - name: toy
      service: name=toy state=${state} daemon_reload=yes  # passed on to systemd only, as Ansible
`);
    const started = play('started');
    const checked = await expectCheckTouchesNothing(started, d, { node1: 1, node2: 1, node3: 1 });
    expect(checked.results('toy')['node1']).toMatchObject({ predicted: expect.stringMatching(/start toy/) });

    const first = await apply(started);
    expect(first.code, why(first)).toBe(0);
    for (const host of h.names) {
      expect(running(host), host).toBe(true);
      expect(first.results('toy')[host]).toMatchObject({ status: 'changed', data: { manager: 'command', state: 'started' } });
    }
    const again = await apply(started);
    expect(again.code, why(again)).toBe(0);
    for (const host of h.names) expect(again.results('toy')[host]).toMatchObject({ status: 'ok', data: { status: { running: true } } });

    const stopped = play('stopped');
    const stop = await apply(stopped);
    expect(stop.code, why(stop)).toBe(0);
    for (const host of h.names) {
      expect(running(host)).toBe(false);
      expect(stop.results('toy')[host]).toMatchObject({ status: 'changed', data: { state: 'stopped' } });
    }
    await expectConverged(stopped);

    // restarted on a stopped service: the stop fails (not running), the start decides (as Ansible)
    const restart = await apply(play('restarted'));
    expect(restart.code, why(restart)).toBe(0);
    for (const host of h.names) {
      expect(running(host)).toBe(true);
      expect(readFileSync(`${pid(host)}.log`, 'utf8')).toBe('start\nstop\nstart\n');
    }
    expect((await apply(stopped)).code).toBe(0);
    for (const host of h.names) expect(running(host)).toBe(false);
  });
});

describe('wait_for', () => {
  it('a port opening and closing, a file appearing, text in it, and a clear timeout', async () => {
    const d = scratch();
    const port = await freePort();
    pidFiles.push(join(d, 'node1', 'http.pid'));
    const pb = playbook(String.raw`- hosts: node1
  vars:
    d: ${d}/node1
  tasks:
    - name: serve
      shell: "nohup node -e \"require('net').createServer(s => s.end()).listen(${port}, '127.0.0.1')\" </dev/null >/dev/null 2>&1 & echo $! > {{ d }}/http.pid"
    - name: port open
      wait_for: port=${port} timeout=15 sleep=0.2
    - name: unserve
      shell: kill $(cat {{ d }}/http.pid)
    - name: port closed
      wait_for: port=${port} state=stopped timeout=10 sleep=0.2
    - name: writer
      shell: "(sleep 0.5; echo starting > {{ d }}/etcd.log; sleep 0.5; echo 'serving client requests on 127.0.0.1:2379' >> {{ d }}/etcd.log) </dev/null >/dev/null 2>&1 &"
    - name: file appears
      wait_for: path={{ d }}/etcd.log timeout=10 sleep=0.1
    - name: text appears
      wait_for:
        path: "{{ d }}/etcd.log"
        search_regex: 'serving client requests on ([\d.]+):(\d+)'
        timeout: 10
        sleep: 0.1
      register: served
    - assert:
        that: served.match_groups == ['127.0.0.1', '2379']
    - name: never
      wait_for: path={{ d }}/never timeout=1
      ignore_errors: true
    - name: never open
      wait_for: port=${port} timeout=1 msg="etcd did not listen on ${port}"
      ignore_errors: true
`);
    const r = await apply(pb);
    expect(r.code, why(r)).toBe(0);
    const ev = (task: string): Record<string, any> => r.events().find((e) => e['type'] === 'host-result' && e['task'] === task)!;
    expect(ev('port open')['result']).toMatchObject({ status: 'ok', data: { port, state: 'started' } });
    expect(ev('port closed')['result']).toMatchObject({ status: 'ok', data: { port, state: 'stopped' } });
    expect(ev('file appears')['result']).toMatchObject({ status: 'ok', data: { path: join(d, 'node1', 'etcd.log') } });
    expect(ev('file appears')['durationMs']).toBeGreaterThanOrEqual(300);
    expect(ev('text appears')['result']).toMatchObject({ status: 'ok', data: { match_groups: ['127.0.0.1', '2379'] } });
    expect(readFileSync(join(d, 'node1', 'etcd.log'), 'utf8')).toMatch(/serving client requests/);
    expect(ev('never')['result']).toMatchObject({
      status: 'failed',
      ignored: true,
      msg: `Timeout when waiting for file ${join(d, 'node1', 'never')}`,
    });
    // it waits the whole timeout before giving up (default sleep 1 s, timeout 1 s)
    expect(ev('never')['durationMs']).toBeGreaterThanOrEqual(900);
    expect(ev('never open')['result']).toMatchObject({ status: 'failed', msg: `etcd did not listen on ${port}` });
    expect(ev('never open')['durationMs']).toBeGreaterThanOrEqual(900);
    expect(r.recap()['node1']).toMatchObject({ failed: 0, ignored: 2 });

    const fails = await apply(playbook(`- hosts: node1\n  tasks:\n    - wait_for: port=${port} timeout=0.5 sleep=0.1\n`));
    expect(fails.code).toBe(2);
    expect(fails.results('wait_for')['node1']).toMatchObject({ status: 'failed', msg: `Timeout when waiting for 127.0.0.1:${port}` });
  });
});

describe('become', () => {
  it('become_user nobody runs commands and writes files as nobody (sudo, no password)', async () => {
    const d = scratch();
    for (const host of h.names) chmodSync(join(d, host), 0o777);
    chmodSync(d, 0o755);
    const pb = playbook(`- hosts: nodes
  tasks:
    - name: as nobody
      command: id -un
      become: true
      become_user: nobody
      changed_when: false
    - name: as root
      command: id -un
      become: true
      changed_when: false
    - name: secret
      command: cat /root/.ssh/nothing-to-see /etc/shadow
      become: true
      become_user: nobody
      register: secret
      failed_when: secret.rc == 0
      changed_when: false
    - name: write
      copy:
        content: "written by {{ inventory_hostname }}\\n"
        dest: ${d}/{{ inventory_hostname }}/by-nobody
      become: true
      become_user: nobody
`);
    const r = await apply(pb);
    expect(r.code, why(r)).toBe(0);
    for (const host of h.names) {
      expect(r.results('as nobody')[host]).toMatchObject({ stdout: 'nobody' });
      expect(r.results('as root')[host]).toMatchObject({ stdout: 'root' });
      expect(r.results('secret')[host]?.['stderr']).toMatch(/Permission denied/);
      const f = join(d, host, 'by-nobody');
      expect(readFileSync(f, 'utf8')).toBe(`written by ${host}\n`);
      expect(statSync(f).uid).toBe(65534);
    }
    await expectConverged(pb);
  });
});

describe('controller-side modules', () => {
  it('set_fact, group_by, add_host (reached over ssh), assert, fail, debug, pause, meta', async () => {
    const d = scratch();
    const log = (host: string): string => (existsSync(join(d, `${host}.log`)) ? readFileSync(join(d, `${host}.log`), 'utf8') : '');
    const pb = playbook(`- hosts: nodes
  tasks:
    - name: facts
      set_fact:
        role: "{{ 'leader' if inventory_hostname == 'node1' else 'follower' }}"
        ordinal: "{{ inventory_hostname[-1] | int }}"
    - name: group
      group_by: key=role_{{ role }}
    - name: add
      add_host:
        name: dyn1
        groups: [dynamic]
        ansible_host: 127.0.54.3
        ansible_port: 2222
        ansible_user: root
        ssh_private_key_file: ${h.sshd['node3']!.clientKeyFile}
        color: blue
      when: inventory_hostname == 'node1'
    - name: check
      assert:
        that:
          - ordinal | int > 0
          - groups['role_follower'] | sort == ['node2', 'node3']
          - "'dyn1' in groups['dynamic']"
          - hostvars['dyn1']['color'] == 'blue'
        success_msg: cluster shape ok
    - name: show
      debug:
        msg: "{{ inventory_hostname }} is {{ role }}"
    - name: show missing
      debug: var=not_defined_anywhere
    - name: wait
      pause: seconds=0.3
    - name: conf
      copy:
        content: "x\\n"
        dest: ${d}/{{ inventory_hostname }}.conf
      notify: reload
    - meta: flush_handlers
    - shell: echo after-flush >> ${d}/{{ inventory_hostname }}.log
    - meta: end_host
      when: inventory_hostname == 'node2'
    - shell: echo after-end >> ${d}/{{ inventory_hostname }}.log
    - name: soft check
      assert:
        that: ordinal | int < 3
        fail_msg: "{{ inventory_hostname }} is too far"
      ignore_errors: true
    - name: stop here
      fail: msg="{{ inventory_hostname }} refuses"
      when: inventory_hostname == 'node3'
    - shell: echo end >> ${d}/{{ inventory_hostname }}.log
  handlers:
    - name: reload
      shell: echo reload >> ${d}/{{ inventory_hostname }}.log

- hosts: dynamic
  tasks:
    - name: on the added host
      copy:
        content: "{{ color }} via {{ ansible_host }}\\n"
        dest: ${d}/{{ inventory_hostname }}.txt

- hosts: role_leader
  tasks:
    - shell: echo leader >> ${d}/{{ inventory_hostname }}.log
`);
    const r = await apply(pb);
    expect(r.code).toBe(2); // node3 failed on purpose
    expect(log('node1')).toBe('reload\nafter-flush\nafter-end\nend\nleader\n');
    expect(log('node2')).toBe('reload\nafter-flush\n'); // end_host: only node2 stops
    expect(log('node3')).toBe('reload\nafter-flush\nafter-end\n');
    expect(readFileSync(join(d, 'dyn1.txt'), 'utf8')).toBe('blue via 127.0.54.3\n');
    // "{{ … | int }}" is text in Ansible 2.14 (only `{{ name }}` of a number keeps it): the string '2'
    expect(r.results('facts')['node2']).toMatchObject({ data: { ansible_facts: { role: 'follower', ordinal: '2' } } });
    expect(r.results('group')['node1']).toMatchObject({ status: 'ok', data: { add_group: 'role_leader' } });
    expect(r.results('add')['node1']).toMatchObject({ status: 'changed' });
    expect(r.results('check')['node3']).toMatchObject({ status: 'ok', msg: 'cluster shape ok' });
    expect(r.results('show')['node2']).toMatchObject({ msg: 'node2 is follower' });
    expect(r.results('show missing')['node1']).toMatchObject({ data: { not_defined_anywhere: 'VARIABLE IS NOT DEFINED!' } });
    for (const host of h.names) {
      const wait = r.events().find((e) => e['type'] === 'host-result' && e['task'] === 'wait' && e['host'] === host)!;
      expect(wait['durationMs']).toBeGreaterThanOrEqual(280);
    }
    expect(r.results('soft check')['node3']).toMatchObject({
      status: 'failed',
      ignored: true,
      msg: 'node3 is too far',
      data: { evaluated_to: false },
    });
    expect(r.results('soft check')['node1']).toMatchObject({ status: 'ok' });
    expect(r.results('soft check')['node2']).toBeUndefined();
    expect(r.results('stop here')['node3']).toMatchObject({ status: 'failed', msg: 'node3 refuses' });
    expect(r.recap()).toMatchObject({
      node1: { failed: 0 },
      node2: { failed: 0 },
      node3: { failed: 1, ignored: 1 },
      dyn1: { changed: 1, failed: 0, unreachable: 0 },
    });
    // handlers ran once, at the flush; nothing was left to run at the end of the play
    expect(r.events().filter((e) => e['type'] === 'host-result' && e['task'] === 'reload')).toHaveLength(3);
  });
});
