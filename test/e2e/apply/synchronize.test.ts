// synchronize end to end: the built CLI runs rsync from the controller to two real sshd "hosts"
// on 127.0.37.x (each is this machine, so the effect is read from disk). Push, a second run that
// changes nothing, --check that reports without changing, delete, pull, become; the ssh rsync
// runs is pinned to the host key runbook verified (another server's key is refused, a wrong
// known_hosts entry is runbook's own error).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runCli, type CliResult } from '../../helpers/cli.js';
import { startSshHosts, type SshHosts } from '../../helpers/ssh-hosts.js';
import { treeSnapshot } from '../../helpers/tree.js';
import { startSshd, type Sshd } from '../../../src/lab/sshd.js';
import { openConnection } from '../../../src/connection/open.js';

const NET = 37;
let h: SshHosts;
let inv: string;
let n = 0;
let other: Sshd | undefined;

beforeAll(async () => {
  h = await startSshHosts(2, NET);
  inv = h.inventory();
});
afterAll(async () => {
  await other?.stop();
  await h?.stop();
});

/** a controller source tree and, per host, a directory the host's side writes in */
function scratch(): { d: string; src: string } {
  const d = join(h.dir, `t${++n}`);
  const src = join(d, 'src');
  mkdirSync(join(src, 'sub'), { recursive: true });
  writeFileSync(join(src, 'a.txt'), 'alpha\n');
  writeFileSync(join(src, 'sub', 'b.txt'), 'beta\n');
  symlinkSync('a.txt', join(src, 'link'));
  for (const host of h.names) mkdirSync(join(d, host), { recursive: true });
  return { d, src };
}

function playbook(tasks: string, hosts = 'nodes'): string {
  const p = join(h.dir, `pb${++n}.yml`);
  writeFileSync(p, `- hosts: ${hosts}\n  gather_facts: false\n  tasks:\n${tasks}`);
  return p;
}

const apply = (pb: string, ...extra: string[]): Promise<CliResult> =>
  runCli(['apply', pb, '-i', inv, '--yes', '--output', 'json', ...extra]);
const why = (r: CliResult): string => `exit ${r.code}\n${r.stderr}\n${r.stdout}`;
const task = (name: string, args: string): string => `    - name: ${name}\n      ansible.posix.synchronize: ${args}\n`;
/** the task, registered, and its `cmd` shown by a debug task named `cmd` */
const withCmd = (t: string): string => `${t}      register: out\n    - name: cmd\n      debug: {msg: "{{ out.cmd }}"}\n`;

describe('synchronize', () => {
  it('pushes a tree, changes nothing the second time, and --check reports a change without making it', async () => {
    const { d, src } = scratch();
    const pb = playbook(withCmd(task('push', `{src: "${src}/", dest: "${d}/{{ inventory_hostname }}/dest"}`)));
    const first = await apply(pb);
    expect(first.code, why(first)).toBe(0);
    for (const host of h.names) {
      const r = first.results('push')[host];
      expect(r).toMatchObject({ status: 'changed', rc: 0 });
      expect(r?.['data']?.['stdout_lines']).toEqual([
        `created directory ${d}/${host}/dest`,
        'cd+++++++++ ./',
        '<f+++++++++ a.txt',
        'cL+++++++++ link -> a.txt',
        'cd+++++++++ sub/',
        '<f+++++++++ sub/b.txt',
      ]);
      // rsync's ssh: the host's address, port and user, pinned to the key runbook verified
      const cmd = String(first.results('cmd')[host]?.['msg']);
      expect(cmd).toContain('StrictHostKeyChecking=yes');
      expect(cmd).toMatch(/UserKnownHostsFile=\S*runbook-ssh-/);
      expect(cmd).toContain('Port=2222');
      expect(cmd).toContain(` root@127.0.${NET}.${h.names.indexOf(host) + 1}:${d}/${host}/dest`);
      expect(readFileSync(join(d, host, 'dest', 'sub', 'b.txt'), 'utf8')).toBe('beta\n');
    }
    const again = await apply(pb);
    expect(again.code, why(again)).toBe(0);
    for (const host of h.names) expect(again.results('push')[host]).toMatchObject({ status: 'ok', msg: '' });

    writeFileSync(join(src, 'a.txt'), 'alpha, edited\n');
    const before = treeSnapshot(join(d, 'node1'));
    const check = await apply(pb, '--check');
    expect(check.code, why(check)).toBe(0);
    expect(check.results('push')['node1']).toMatchObject({ status: 'changed', data: { stdout_lines: ['<f.st...... a.txt'] } });
    expect(check.results('cmd')['node1']?.['msg']).toContain(' --dry-run ');
    expect(treeSnapshot(join(d, 'node1'))).toEqual(before);
    const real = await apply(pb);
    expect(real.results('push')['node1']).toMatchObject({ status: 'changed', data: { stdout_lines: ['<f.st...... a.txt'] } });
    expect(real.results('cmd')['node1']?.['msg']).not.toContain('--dry-run');
    expect(readFileSync(join(d, 'node1', 'dest', 'a.txt'), 'utf8')).toBe('alpha, edited\n');
  });

  it('delete: true removes what src does not hold; without it the extra file stays', async () => {
    const { d, src } = scratch();
    const dest = `${d}/{{ inventory_hostname }}/dest`;
    const keep = playbook(task('sync', `{src: "${src}/", dest: "${dest}"}`));
    const del = playbook(task('sync', `{src: "${src}/", dest: "${dest}", delete: true}`));
    expect((await apply(keep)).code).toBe(0);
    writeFileSync(join(d, 'node1', 'dest', 'extra.txt'), 'not in src\n');
    const kept = await apply(keep);
    // the directory's time changed with the new file: rsync puts it back (a change, as Ansible counts it)
    expect(kept.results('sync')['node1']).toMatchObject({ status: 'changed', data: { stdout_lines: ['.d..t...... ./'] } });
    expect(existsSync(join(d, 'node1', 'dest', 'extra.txt'))).toBe(true);
    const deleted = await apply(del);
    expect(deleted.results('sync')['node1']).toMatchObject({ status: 'changed', data: { stdout_lines: ['*deleting   extra.txt'] } });
    expect(deleted.results('sync')['node2']).toMatchObject({ status: 'ok' });
    expect(existsSync(join(d, 'node1', 'dest', 'extra.txt'))).toBe(false);
  });

  it('pulls from the host into the controller (mode: pull), a directory per host', async () => {
    const { d } = scratch();
    for (const host of h.names) writeFileSync(join(d, host, 'report.txt'), `from ${host}\n`);
    const pb = playbook(
      task('pull', `{mode: pull, src: "${d}/{{ inventory_hostname }}/report.txt", dest: "${d}/pulled-{{ inventory_hostname }}.txt"}`),
    );
    const r = await apply(pb);
    expect(r.code, why(r)).toBe(0);
    for (const host of h.names) {
      expect(r.results('pull')[host]).toMatchObject({ status: 'changed' });
      expect(readFileSync(join(d, `pulled-${host}.txt`), 'utf8')).toBe(`from ${host}\n`);
    }
    expect((await apply(pb)).results('pull')['node2']).toMatchObject({ status: 'ok' });
  });

  it('with become, the host runs sudo rsync (--rsync-path), as Ansible; private_key is offered first', async () => {
    const { d, src } = scratch();
    const pb = playbook(
      withCmd(
        `    - name: become\n      become: true\n      synchronize: {src: "${src}/", dest: "${d}/{{ inventory_hostname }}/dest", private_key: "{{ ssh_private_key_file }}"}\n`,
      ),
    );
    const r = await apply(pb);
    expect(r.code, why(r)).toBe(0);
    expect(r.results('become')['node1']).toMatchObject({ status: 'changed' });
    expect(r.results('cmd')['node1']?.['msg']).toContain("'--rsync-path=sudo -u root rsync'");
    expect(r.results('cmd')['node2']?.['msg']).toContain(`'--rsh=ssh -i ${h.sshd['node2']!.clientKeyFile} -F /dev/null `);
    expect(readFileSync(join(d, 'node2', 'dest', 'a.txt'), 'utf8')).toBe('alpha\n');
  });

  it('delegate_to: localhost is the controller; delegate_to the host itself syncs two paths on it; another host is refused', async () => {
    const { d, src } = scratch();
    const pb = playbook(
      [
        `    - name: from localhost\n      delegate_to: localhost\n      synchronize: {src: "${src}/", dest: "${d}/{{ inventory_hostname }}/viaLocal"}\n      register: local`,
        `    - name: cmd local\n      debug: {msg: "{{ local.cmd }}"}`,
        `    - name: on the host\n      delegate_to: "{{ inventory_hostname }}"\n      synchronize: {src: "${d}/{{ inventory_hostname }}/viaLocal/", dest: "${d}/{{ inventory_hostname }}/copy"}`,
        `    - name: registered\n      delegate_to: "{{ inventory_hostname }}"\n      synchronize: {src: "${d}/{{ inventory_hostname }}/viaLocal/", dest: "${d}/{{ inventory_hostname }}/copy"}\n      register: out`,
        `    - name: cmd\n      debug: {msg: "{{ out.cmd }}"}`,
        `    - name: from another host\n      delegate_to: "{{ 'node2' if inventory_hostname == 'node1' else 'node1' }}"\n      synchronize: {src: "${src}/", dest: "${d}/{{ inventory_hostname }}/viaOther"}\n      ignore_errors: true`,
      ].join('\n') + '\n',
    );
    const r = await apply(pb);
    expect(r.code, why(r)).toBe(0);
    for (const host of h.names) {
      expect(r.results('from localhost')[host]).toMatchObject({ status: 'changed' });
      // the controller reaches the host over the host's own (pinned) ssh
      expect(String(r.results('cmd local')[host]?.['msg'])).toContain(
        ` root@127.0.${NET}.${h.names.indexOf(host) + 1}:${d}/${host}/viaLocal`,
      );
      expect(r.results('on the host')[host]).toMatchObject({ status: 'changed' });
      expect(r.results('registered')[host]).toMatchObject({ status: 'ok' });
      expect(readFileSync(join(d, host, 'copy', 'sub', 'b.txt'), 'utf8')).toBe('beta\n');
      // both paths local to the host: no remote shell
      expect(String(r.results('cmd')[host]?.['msg'])).not.toContain('--rsh');
      expect(r.results('from another host')[host]).toMatchObject({
        status: 'failed',
        msg: expect.stringMatching(/^synchronize delegated to node[12]: runbook runs rsync only from the controller/),
      });
      expect(existsSync(join(d, host, 'viaOther'))).toBe(false);
    }
  });

  it("refuses a host whose key is not the one known_hosts holds: runbook's own error, before rsync runs", async () => {
    const { d, src } = scratch();
    const wrong = join(d, 'known_hosts');
    // node1's address with node2's key
    writeFileSync(wrong, h.sshd['node2']!.hostKeyLine.replace(`127.0.${NET}.2`, `127.0.${NET}.1`) + '\n');
    const badInv = h.inventory({ knownHosts: wrong, file: 'wrong.yml' });
    const pb = playbook(task('push', `{src: "${src}/", dest: "${d}/node1/dest"}`), 'node1');
    const r = await runCli(['apply', pb, '-i', badInv, '--yes', '--output', 'json']);
    expect(r.code).not.toBe(0);
    expect(r.results('push')['node1']).toMatchObject({ status: 'unreachable', msg: expect.stringMatching(/host key/i) });
    expect(existsSync(join(d, 'node1', 'dest'))).toBe(false);
  });

  it("rsync's ssh accepts only the key runbook verified: another server on dest_port is refused", async () => {
    const { d, src } = scratch();
    // a second sshd on node1's address with a key of its own, which no known_hosts holds
    other = await startSshd({ address: `127.0.${NET}.1`, port: 2223, dir: join(h.dir, 'other') });
    const pb = playbook(task('push', `{src: "${src}/", dest: "${d}/node1/dest", dest_port: 2223}`), 'node1');
    const r = await apply(pb);
    expect(r.code).not.toBe(0);
    expect(r.results('push')['node1']).toMatchObject({
      status: 'failed',
      msg: expect.stringMatching(
        new RegExp(`host key is known for \\[127\\.0\\.${NET}\\.1\\]:2223 and you have requested strict checking`),
      ),
    });
    expect(existsSync(join(d, 'node1', 'dest'))).toBe(false);
  });
});

describe('the ssh rsync runs, through a jump host', () => {
  it("reaches the host as runbook's connection did, each hop pinned (nested ProxyCommand); the pin goes with the connection", async () => {
    const [a, b] = [h.sshd['node1']!, h.sshd['node2']!];
    // node1's client key logs in on node2 too: one key for the jump and the target
    appendFileSync(b.authorizedKeysFile, readFileSync(a.authorizedKeysFile));
    const conn = await openConnection({
      kind: 'ssh',
      host: 'node2',
      address: b.address,
      port: b.port,
      user: 'root',
      privateKeyFile: a.clientKeyFile,
      knownHostsFile: h.knownHosts,
      proxyJump: `root@${a.address}:${a.port}`,
      acceptNewHostKeys: false,
      connectTimeoutMs: 10_000,
      agent: false,
    });
    const ext = await conn.externalSsh!();
    expect(ext.argv.some((o) => o.startsWith('ProxyCommand=ssh '))).toBe(true);
    const known = ext.argv.find((o) => o.startsWith('UserKnownHostsFile='))!.slice('UserKnownHostsFile='.length);
    expect(readFileSync(known, 'utf8')).toBe(`${a.hostKeyLine}\n${b.hostKeyLine}\n`);
    const { stdout } = await promisify(execFile)(ext.argv[0]!, [
      ...ext.argv.slice(1),
      '-p',
      String(ext.port),
      '-l',
      ext.user,
      ext.address,
      'id -un; echo ok',
    ]);
    expect(stdout).toBe('root\nok\n');
    await conn.close();
    expect(existsSync(known)).toBe(false);
  });
});

/** Each `sync …` task's changed flag and rsync's message on node1, the run's directory written D. */
type Seen = { task: string; changed: boolean; msg: unknown }[];

async function ansibleSeen(pb: string, d: string): Promise<Seen> {
  const ini = join(d, 'ansible.ini');
  const s = h.sshd['node1']!;
  writeFileSync(
    ini,
    `node1 ansible_host=${s.address} ansible_port=${s.port} ansible_user=root ansible_ssh_private_key_file=${s.clientKeyFile}\n`,
  );
  const { stdout } = await promisify(execFile)('ansible-playbook', ['-i', ini, pb], {
    cwd: d,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: {
      ...process.env,
      ANSIBLE_STDOUT_CALLBACK: 'json',
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_RETRY_FILES_ENABLED: '0',
      ANSIBLE_SSH_ARGS: `-o UserKnownHostsFile=${h.knownHosts} -o ControlMaster=no`,
      ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
    },
  });
  const doc = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
    plays: { tasks: { task: { name: string }; hosts: Record<string, Record<string, unknown>> }[] }[];
  };
  return doc.plays
    .flatMap((p) => p.tasks)
    .filter((t) => t.task.name.startsWith('sync'))
    .map((t) => ({
      task: t.task.name,
      changed: t.hosts['node1']?.['changed'] === true,
      msg: String(t.hosts['node1']?.['msg']).split(d).join('D'),
    }));
}

async function runbookSeen(pb: string, d: string): Promise<Seen> {
  const r = await runCli(['apply', pb, '-i', inv, '--limit', 'node1', '--yes', '--output', 'json'], { cwd: d });
  if (r.code !== 0) throw new Error(why(r));
  return r
    .events()
    .filter((e) => e['type'] === 'host-result' && String(e['task']).startsWith('sync'))
    .map((e) => ({
      task: String(e['task']),
      changed: e['result']['status'] === 'changed',
      msg: String(e['result']['msg']).split(d).join('D'),
    }));
}

describe('synchronize side by side with ansible-playbook 2.14 (ansible.posix 1.5.4)', () => {
  it('the same changes and the same rsync report, task by task', async () => {
    const steps = (d: string): string =>
      [
        `    - name: sync push\n      synchronize: {src: src/, dest: "${d}/node1/dest"}`,
        `    - name: sync push again\n      synchronize: {src: src/, dest: "${d}/node1/dest"}`,
        `    - name: an extra file on the host\n      copy: {content: "x\\n", dest: "${d}/node1/dest/extra.txt"}`,
        `    - name: sync without delete\n      synchronize: {src: src/, dest: "${d}/node1/dest"}`,
        `    - name: sync delete, checked\n      check_mode: true\n      synchronize: {src: src/, dest: "${d}/node1/dest", delete: true}`,
        `    - name: sync delete\n      synchronize: {src: src/, dest: "${d}/node1/dest", delete: true}`,
        `    - name: sync no archive\n      synchronize: {src: src/, dest: "${d}/node1/flat", archive: false, recursive: true, checksum: true}`,
        `    - name: sync excluded, as root\n      become: true\n      synchronize: {src: src/, dest: "${d}/node1/some", rsync_opts: ["--exclude=sub"]}`,
        `    - name: sync pull\n      synchronize: {mode: pull, src: "${d}/node1/dest/sub/", dest: "${d}/pulled"}`,
        `    - name: sync pull again\n      synchronize: {mode: pull, src: "${d}/node1/dest/sub/", dest: "${d}/pulled"}`,
        `    - name: sync a file into a directory\n      synchronize: {src: src/a.txt, dest: "${d}/node1/"}`,
      ].join('\n') + '\n';
    const seen: Seen[] = [];
    for (const engine of [ansibleSeen, runbookSeen]) {
      const { d } = scratch();
      // relative src: the playbook's files/ (Ansible's search), where the source tree is moved
      mkdirSync(join(d, 'files'));
      renameSync(join(d, 'src'), join(d, 'files', 'src'));
      const pb = join(d, 'pb.yml');
      writeFileSync(pb, `- hosts: node1\n  gather_facts: false\n  tasks:\n${steps(d)}`);
      seen.push(await engine(pb, d));
    }
    const [ansible, runbook] = seen;
    expect(ansible!.length).toBe(10);
    expect(ansible!.map((s) => s.changed)).toEqual([true, false, true, true, true, true, true, true, false, true]);
    expect(runbook).toEqual(ansible);
  });
});
