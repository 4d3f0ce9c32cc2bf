// Built-in slurp, raw and getent, side by side with ansible-playbook 2.14 on the same playbook
// (local connection): registered values and messages must be the same in both engines.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleMessages, runbookMessages } from './side-by-side.js';

describe('slurp, raw, getent: the same as ansible-playbook 2.14', () => {
  it('every task says the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-compat-modules-'));
    writeFileSync(join(dir, 'data.txt'), 'line 1\nline 2\n');
    writeFileSync(join(dir, 'inv.ini'), '[all]\nlocalhost ansible_connection=local\n');
    writeFileSync(
      join(dir, 'pb.yml'),
      `- hosts: localhost
  gather_facts: false
  tasks:
    - slurp: { src: "${dir}/data.txt" }
      register: s
    - debug: { msg: "{{ s.content }}|{{ s.content | b64decode }}|{{ s.encoding }}|{{ s.source }}|{{ s.changed }}" }
    - slurp: { path: "${dir}/nope.txt" }
      register: s2
      ignore_errors: true
    - debug: { msg: "{{ s2.failed }} {{ s2.msg }}" }
    - slurp: { src: "${dir}" }
      register: s3
      ignore_errors: true
    - debug: { msg: "{{ s3.failed }} {{ s3.msg }}" }
    - raw: echo hi; echo err >&2
      register: r
    - debug: { msg: "{{ r.rc }}|{{ r.stdout }}|{{ r.stderr }}|{{ r.changed }}|{{ r.stdout_lines }}" }
    - raw: exit 3
      register: r2
      ignore_errors: true
    - debug: { msg: "{{ r2.rc }} {{ r2.failed }} {{ r2.msg }}" }
    - getent: { database: passwd, key: root }
    - debug: { msg: "{{ getent_passwd.root }}" }
    - getent: database=group key=root split=':'
    - debug: { msg: "{{ getent_group }}" }
    - getent: { database: passwd, key: rb-no-such-user, fail_key: false }
      register: g
    - debug: { msg: "{{ g.failed }} {{ g.msg | default('') }}" }
    - getent: { database: passwd, key: rb-no-such-user }
      register: g2
      ignore_errors: true
    - debug: { msg: "{{ g2.failed }} {{ g2.msg }}" }
`,
    );
    const want = await ansibleMessages(dir, 'pb.yml', 'inv.ini', 'localhost');
    const got = await runbookMessages(dir, 'pb.yml', 'inv.ini', 'localhost');
    const msgs = (m: unknown[]): unknown[] => m.filter((_, i) => [1, 3, 5, 7, 9, 11, 13, 15, 17].includes(i));
    expect(want.length).toBe(18);
    expect(msgs(got)).toEqual(msgs(want));
  });
});
