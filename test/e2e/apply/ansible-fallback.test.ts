// Modules runbook does not build in, run through Ansible's own module code (ansible-core's
// plugin loader and AnsiballZ builder on the controller, the payload piped to the host's
// Python over real SSH): the built CLI against two sshd "hosts" on 127.0.68.x, which are this
// machine. Lab-safe on purpose: sysctl only edits a sysctl file of its own (sysctl_set and
// reload off: the kernel is not touched), mount only edits an fstab of its own (state=present
// mounts nothing), ini_file and the project's library/ module write under the test's dir.
// Each: --check changes nothing and says changed, apply changes, a second apply is ok.
// Needs ansible-core with the ansible.posix and community.general collections (Debian
// `ansible`, installed by scripts/install-deps.sh).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, type CliResult } from '../../helpers/cli.js';
import { startSshHosts, type SshHosts } from '../../helpers/ssh-hosts.js';

let h: SshHosts;
let inv: string;
let n = 0;

const LIBRARY_MODULE = `#!/usr/bin/python
# converges: PATH holds exactly WORD and a newline
import os
from ansible.module_utils.basic import AnsibleModule

def main():
    m = AnsibleModule(argument_spec=dict(path=dict(type='path', required=True), word=dict(type='str', required=True)), supports_check_mode=True)
    path, want = m.params['path'], m.params['word'] + '\\n'
    have = open(path).read() if os.path.exists(path) else ''
    changed = have != want
    if changed and not m.check_mode:
        with open(path, 'w') as f:
            f.write(want)
    m.exit_json(changed=changed, path=path, word=m.params['word'], diff=dict(before=have, after=want))

main()
`;

const why = (r: CliResult): string => `exit ${r.code}\n${r.stderr}\n${r.stdout}`;

function playbook(tasks: string): string {
  const p = join(h.dir, `pb${++n}.yml`);
  writeFileSync(p, `- hosts: nodes\n  gather_facts: false\n  tasks:\n${tasks.replace(/^/gm, '    ')}\n`);
  return p;
}

async function run(pb: string, mode: 'check' | 'apply', changed: number): Promise<CliResult> {
  const r = await runCli(['apply', pb, '-i', inv, '--output', 'json', ...(mode === 'check' ? ['--check', '--diff'] : ['--yes'])]);
  expect(r.code, why(r)).toBe(0);
  for (const host of h.names) expect(r.recap()[host], why(r)).toMatchObject({ changed, failed: 0 });
  return r;
}

/** --check (changed, nothing written), apply (changed), apply again (ok) */
async function converges(pb: string, tasks: number, written: () => boolean): Promise<CliResult> {
  const dry = await run(pb, 'check', tasks);
  expect(written(), 'check mode wrote').toBe(false);
  await run(pb, 'apply', tasks);
  expect(written(), 'apply did not write').toBe(true);
  await run(pb, 'apply', 0);
  return dry;
}

beforeAll(async () => {
  h = await startSshHosts(2, 68);
  inv = h.inventory();
  mkdirSync(join(h.dir, 'library'));
  writeFileSync(join(h.dir, 'library', 'rb_word.py'), LIBRARY_MODULE);
});

afterAll(async () => {
  await h?.stop();
});

describe("modules run through Ansible's module code over SSH", () => {
  it('sysctl (ansible.posix, by its short name through builtin routing): edits its sysctl file only', async () => {
    const file = (host: string): string => join(h.dir, `${host}-sysctl.conf`);
    const pb = playbook(`- name: swappiness
  sysctl: name=vm.swappiness value=7 sysctl_file=${h.dir}/{{ inventory_hostname }}-sysctl.conf sysctl_set=false reload=false
  register: s
- assert: { that: ["s is changed or s is not changed", "s.invocation is not defined"] }`); // 2.14's strategy registers the result without its invocation
    await converges(pb, 1, () => h.names.every((x) => existsSync(file(x))));
    for (const x of h.names) expect(readFileSync(file(x), 'utf8')).toBe('vm.swappiness=7\n');
  });

  it('community.general.ini_file: --check --diff shows the diff, apply writes it, a second apply is ok', async () => {
    const file = (host: string): string => join(h.dir, `${host}.ini`);
    const pb = playbook(`- name: ini
  community.general.ini_file:
    path: "${h.dir}/{{ inventory_hostname }}.ini"
    section: etcd
    option: quota-backend-bytes
    value: "8589934592"
    mode: "0640"
  register: ini
- name: registered
  debug: { msg: "{{ ini.msg }}" }`);
    const dry = await converges(pb, 1, () => h.names.every((x) => existsSync(file(x))));
    expect(dry.results('ini')['node1'], why(dry)).toMatchObject({ status: 'changed' });
    expect(JSON.stringify(dry.results('ini')['node1']?.['diff'])).toContain('quota-backend-bytes');
    expect(dry.results('registered')['node1']?.['msg']).toBe('section and option added');
    for (const x of h.names) expect(readFileSync(file(x), 'utf8')).toBe('\n[etcd]\nquota-backend-bytes = 8589934592\n');
  });

  it('ansible.posix.mount state=present: check mode and apply edit only the fstab named', async () => {
    const fstab = (host: string): string => join(h.dir, `${host}.fstab`);
    for (const x of h.names) writeFileSync(fstab(x), '# test fstab\n');
    const pb = playbook(`- name: mount
  ansible.posix.mount:
    path: /mnt/rb-test-data
    src: tmpfs
    fstype: tmpfs
    opts: size=1m
    state: present
    fstab: "${h.dir}/{{ inventory_hostname }}.fstab"`);
    await converges(pb, 1, () => h.names.every((x) => readFileSync(fstab(x), 'utf8').includes('rb-test-data')));
    expect(readFileSync(fstab('node1'), 'utf8')).toBe('# test fstab\ntmpfs /mnt/rb-test-data tmpfs size=1m 0 0\n');
    expect(existsSync('/mnt/rb-test-data')).toBe(false);
  });

  it("the project's own library/ module: check, apply, second run unchanged; its return values are registered", async () => {
    const file = (host: string): string => join(h.dir, `${host}.word`);
    const pb = playbook(`- name: word
  rb_word: path=${h.dir}/{{ inventory_hostname }}.word word=quorum
  register: w
- name: echo
  debug: { msg: "{{ w.word }} {{ w.path | basename }}" }`);
    const dry = await converges(pb, 1, () => h.names.every((x) => existsSync(file(x))));
    expect(dry.results('echo')['node2']?.['msg']).toBe('quorum node2.word');
    for (const x of h.names) expect(readFileSync(file(x), 'utf8')).toBe('quorum\n');
  });

  it("a module's failure is the task's failure, with the module's message; a crash is Ansible's MODULE FAILURE", async () => {
    const pb = playbook(`- name: bad
  rb_word: path=/tmp/x
  ignore_errors: true
- name: crash
  community.general.ini_file: { path: /proc/rb-no-such-dir/x.ini, section: s, option: o, value: v }`);
    const r = await runCli(['apply', pb, '-i', inv, '--yes', '--output', 'json']);
    expect(r.code).not.toBe(0);
    expect(r.results('bad')['node1'], why(r)).toMatchObject({ status: 'failed', msg: 'missing required arguments: word' });
    expect(r.results('crash')['node1'], why(r)).toMatchObject({
      status: 'failed',
      msg: 'MODULE FAILURE\nSee stdout/stderr for the exact error',
    });
    expect(JSON.stringify(r.results('crash')['node1']?.['data'])).toMatch(/rb-no-such-dir/); // module_stdout / module_stderr
  });
});
