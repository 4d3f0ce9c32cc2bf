// What the etcd / Kubernetes / cluster-operations roles of the compat corpus (scripts/compat-cases-k8s.txt)
// use, side by side with ansible-playbook 2.14 on one playbook (local connection): a role name and an
// import_playbook file templated with lookup('env') (molecule's converge.yml), `{{ a, b }}` tuples,
// `{% filter %}` blocks, center's padding, first_found's search path in a role, to_uuid, the dict and password lookups, and module argument
// aliases (lineinfile regex/value, stat checksum_algo). Every task's message must be the same.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleMessages, plainOutputs, runbookMessages } from './side-by-side.js';

const PLAYBOOK = `- import_playbook: "{{ lookup('env', 'RB_COMPAT_SUB') }}/other.yml"
- hosts: localhost
  gather_facts: false
  vars:
    a: h1
    b: h2
    d: { x: 1, y: two }
  roles:
    - role: "{{ lookup('env', 'RB_COMPAT_ROLE') | basename }}"
  tasks:
    - name: "{{ a, b }}"
      debug: { msg: "{{ a, b }} {{ (a,) }} {{ () }} {{ (a, b) | type_debug }} {{ (a, b) | list }}" }
    - debug:
        msg: "{% filter upper %}hi {{ a }}{% endfilter %} {% filter replace('h', 'H') | center(9) %}{{ b }}{% endfilter %}!"
    - debug: { msg: "{{ 'ab' | center(7) }}|{{ 'abc' | center(6) }}|{{ 'ab'.center(9, '*') }}" }
    - debug: { msg: "{{ 'hello' | to_uuid }} {{ 'hello' | to_uuid(namespace='6ba7b810-9dad-11d1-80b4-00c04fd430c8') }}" }
    - debug: { msg: "{{ lookup('dict', d) }}" }
    - debug: { msg: "{{ item.key }}={{ item.value }}" }
      loop: "{{ lookup('dict', d, wantlist=True) }}"
    - debug: { msg: "{{ lookup('password', '/dev/null length=12 chars=digits') is regex('^[0-9]{12}$') }}" }
    - debug: { msg: "{{ lookup('password', '/dev/null') | length }} {{ lookup('password', '/dev/null chars=ascii_lowercase,,') is regex('^[a-z,]{20}$') }}" }
    - debug: { msg: "{{ lookup('password', 'pw/one chars=hexdigits length=8') == lookup('password', 'pw/one') }}" }
    - lineinfile: { path: "{{ playbook_dir }}/lines.txt", regex: '^a=', value: 'a=9' }
    - debug: { msg: "{{ lookup('file', playbook_dir ~ '/lines.txt') }}" }
    - stat: { path: "{{ playbook_dir }}/lines.txt", checksum_algo: md5 }
      register: st
    - debug: { msg: "{{ st.stat.checksum }}" }
`;

describe('what the cluster roles of the corpus use: the same as ansible-playbook 2.14', () => {
  it('every task says the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-compat-cluster-'));
    mkdirSync(join(dir, 'roles/myrole/tasks'), { recursive: true });
    mkdirSync(join(dir, 'sub'));
    // first_found in a role without files/: Ansible's search path has the task's directory, and `files/../vars` does not exist
    mkdirSync(join(dir, 'roles/myrole/vars'));
    writeFileSync(join(dir, 'roles/myrole/vars/v.yml'), 'v: 1\n');
    writeFileSync(join(dir, 'roles/myrole/tasks/other.yml'), '- debug: msg=other\n');
    writeFileSync(
      join(dir, 'roles/myrole/tasks/main.yml'),
      `- debug: { msg: "in {{ role_name }}" }
- debug: { msg: "{{ lookup('first_found', {'files': ['other.yml'], 'paths': ['.']}) | regex_replace('^.*/roles/', '') }}" }
- debug: { msg: "{{ lookup('first_found', {'files': ['v.yml'], 'paths': ['../vars']}) | regex_replace('^.*/roles/', '') }}" }
`,
    );
    writeFileSync(join(dir, 'sub/other.yml'), '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug: { msg: imported }\n');
    writeFileSync(join(dir, 'inv.ini'), '[all]\nlocalhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
    writeFileSync(join(dir, 'pb.yml'), PLAYBOOK);
    process.env['RB_COMPAT_SUB'] = join(dir, 'sub');
    process.env['RB_COMPAT_ROLE'] = '/elsewhere/myrole';
    writeFileSync(join(dir, 'lines.txt'), 'a=1\nb=2\n');
    const want = await ansibleMessages(dir, 'pb.yml', 'inv.ini', 'localhost');
    const pw = readFileSync(join(dir, 'pw/one'), 'utf8');
    expect(pw).toMatch(/^[0-9a-fA-F]{8}\n$/);
    writeFileSync(join(dir, 'lines.txt'), 'a=1\nb=2\n');
    const got = await runbookMessages(dir, 'pb.yml', 'inv.ini', 'localhost');
    expect(want.length).toBe(17);
    expect(want.slice(2, 4)).toEqual(['myrole/tasks/./other.yml', 'myrole/tasks/../vars/v.yml']);
    expect(want[0]).toBe('imported');
    expect(want[1]).toBe('in myrole');
    expect(got).toEqual(want);
    // runbook read the file Ansible wrote rather than making another password
    expect(readFileSync(join(dir, 'pw/one'), 'utf8')).toBe(pw);
  });
});

describe('a loop with a failed item, in the default output: the same lines as ansible-playbook 2.14', () => {
  it("prints the items' lines and no fatal line for the loop", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-compat-loopfail-'));
    writeFileSync(join(dir, 'inv.ini'), '[all]\nlocalhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
    writeFileSync(
      join(dir, 'pb.yml'),
      `- hosts: localhost
  gather_facts: false
  tasks:
    - command: "test {{ item }} = a"
      loop: [a, b]
      ignore_errors: true
    - debug: { msg: after }
`,
    );
    const { ansible, runbook } = await plainOutputs(dir, 'pb.yml', 'inv.ini');
    const results = (out: string) =>
      out
        .split('\n')
        .filter((l) => /^(ok|changed|failed|fatal|skipping): |^\.\.\.ignoring/.test(l))
        .map((l) => l.replace(/ => .*/, ''));
    expect(results(ansible)).toEqual(['changed: [localhost]', 'failed: [localhost] (item=b)', '...ignoring', 'ok: [localhost]']);
    expect(results(runbook)).toEqual(results(ansible));
  });
});
