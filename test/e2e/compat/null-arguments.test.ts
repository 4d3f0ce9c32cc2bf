// Module arguments given as null (`mode: ~`, `owner: ~`, a variable that renders to None), side
// by side with ansible-playbook 2.14 (local connection): Ansible's AnsibleModule hands the module
// None, which reads as not given for most arguments (the mode is left alone), as false for a
// boolean with a default (`force: ~` does not overwrite, `strip_empty_ends: ~` does not strip).
// Every task's message must be the same, and so must the files each engine leaves.
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleMessages, runbookMessages } from './side-by-side.js';

const PLAYBOOK = String.raw`- hosts: localhost
  gather_facts: false
  vars:
    nothing: ~
  tasks:
    - file: { path: '{{ d }}/a', state: touch, mode: ~ }
      register: r
    - stat: { path: '{{ d }}/a' }
      register: st
    - debug: { msg: "touch {{ r.changed }} {{ st.stat.mode }}" }
    - file: { path: '{{ d }}/c', state: touch, mode: '{{ nothing }}', owner: '{{ nothing }}' }
    - stat: { path: '{{ d }}/c' }
      register: st
    - debug: { msg: "rendered-none {{ st.stat.mode }}" }
    - copy: { content: "x\n", dest: '{{ d }}/b', owner: ~, group: ~, mode: ~, backup: ~, validate: ~ }
      register: r
    - debug: { msg: "copy {{ r.changed }}" }
    - copy: { content: "new\n", dest: '{{ d }}/old', force: ~ }
      register: r
    - debug: { msg: "force {{ r.changed }}" }
    - command: { cmd: "printf 'a\\n\\n'", strip_empty_ends: ~, chdir: ~ }
      register: r
    - debug: { msg: "stdout {{ r.stdout | length }}" }
    - lineinfile: { path: '{{ d }}/b', line: y, create: ~, insertafter: ~ }
      register: r
    - debug: { msg: "lineinfile {{ r.changed }}" }
    - file: { path: '{{ d }}/dir', state: directory, mode: ~, recurse: ~ }
    - stat: { path: '{{ d }}/dir' }
      register: st
    - debug: { msg: "dir {{ st.stat.mode }}" }
`;

describe('null module arguments: the same as ansible-playbook 2.14', () => {
  it('every task says the same and leaves the same files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-compat-nulls-'));
    writeFileSync(join(dir, 'inv.ini'), '[all]\nlocalhost ansible_connection=local\n');
    writeFileSync(join(dir, 'pb.yml'), PLAYBOOK);
    for (const who of ['ansible', 'runbook']) {
      mkdirSync(join(dir, who));
      writeFileSync(join(dir, who, 'old'), 'old\n');
    }
    const want = await ansibleMessages(dir, 'pb.yml', 'inv.ini', 'localhost', ['-e', `d=${dir}/ansible`]);
    const got = await runbookMessages(dir, 'pb.yml', 'inv.ini', 'localhost', ['-e', `d=${dir}/runbook`]);
    // the debug tasks' messages (the modules' own msg texts are another matter)
    const said = (msgs: unknown[]) =>
      msgs.filter((m) => typeof m === 'string' && /^(touch|rendered-none|copy|force|stdout|lineinfile|dir) /.test(m));
    expect(said(want)).toEqual([
      'touch True 0644',
      'rendered-none 0644',
      'copy True',
      'force False',
      'stdout 3',
      'lineinfile True',
      'dir 0755',
    ]);
    expect(said(got)).toEqual(said(want));
    for (const f of ['a', 'b', 'c', 'old', 'dir']) {
      const [theirs, ours] = ['ansible', 'runbook'].map((who) => statSync(join(dir, who, f)).mode);
      expect(ours, f).toBe(theirs);
    }
    for (const f of ['b', 'old'])
      expect(readFileSync(join(dir, 'runbook', f), 'utf8'), f).toBe(readFileSync(join(dir, 'ansible', f), 'utf8'));
  });
});
