// file state=hard side by side with ansible-playbook 2.14 (local connection), each in its own
// directory: what each task registered (changed, Ansible's messages), the inodes and link
// counts left, a symlink to src left alone, and a second run that changes nothing new.
import { mkdirSync, mkdtempSync, statSync, lstatSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleMessages, runbookMessages } from './side-by-side.js';

const PLAYBOOK = `- hosts: localhost
  gather_facts: false
  tasks:
    - copy: { content: "a\\n", dest: "{{ d }}/src" }
    - copy: { content: "other\\n", dest: "{{ d }}/other" }
    - file: { src: "{{ d }}/src", dest: "{{ d }}/h1", state: hard }
      register: r1
    - file: { src: "{{ d }}/src", dest: "{{ d }}/h1", state: hard }
      register: r2
    - file: { src: "{{ d }}/src", dest: "{{ d }}/other", state: hard }
      register: r3
      ignore_errors: true
    - file: { src: "{{ d }}/src", dest: "{{ d }}/other", state: hard, force: true, mode: "0600" }
      register: r4
    - file: { src: "{{ d }}/missing", dest: "{{ d }}/h2", state: hard }
      register: r5
      ignore_errors: true
    - file: { src: "{{ d }}/src", dest: "{{ d }}/sl", state: link }
    - file: { src: "{{ d }}/src", dest: "{{ d }}/sl", state: hard }
      register: r6
    - debug: msg="{{ [r1.changed, r2.changed, r3.msg | default(''), r4.changed, r5.msg, r6.changed] | to_json }}"
`;

function layout(d: string): Record<string, unknown> {
  const ino = statSync(join(d, 'src')).ino;
  return {
    h1: statSync(join(d, 'h1')).ino === ino,
    other: statSync(join(d, 'other')).ino === ino,
    links: statSync(join(d, 'src')).nlink,
    mode: (statSync(join(d, 'src')).mode & 0o777).toString(8),
    symlink: lstatSync(join(d, 'sl')).isSymbolicLink(),
  };
}

describe('file state=hard: the same as ansible-playbook 2.14', () => {
  it('registers the same, leaves the same links, twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-compat-hard-'));
    writeFileSync(join(dir, 'pb.yml'), PLAYBOOK);
    writeFileSync(join(dir, 'inv.ini'), '[all]\nlocalhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
    for (const t of ['ans', 'rb']) mkdirSync(join(dir, t));
    const last = (m: unknown[]): unknown => m[m.length - 1];
    for (let run = 0; run < 2; run++) {
      const want = await ansibleMessages(dir, 'pb.yml', 'inv.ini', 'localhost', ['-e', `d=${dir}/ans`]);
      const got = await runbookMessages(dir, 'pb.yml', 'inv.ini', 'localhost', ['-e', `d=${dir}/rb`]);
      // the second run: h1 is already src's inode; copy has put a new file at other again
      expect(last(want)).toBe(`[${run === 0}, false, "Cannot link, file exists at destination", true, "src does not exist", false]`);
      expect(last(got)).toEqual(last(want));
      expect(layout(join(dir, 'rb'))).toEqual(layout(join(dir, 'ans')));
    }
    expect(layout(join(dir, 'rb'))).toEqual({ h1: true, other: true, links: 3, mode: '600', symlink: true });
  });
});
