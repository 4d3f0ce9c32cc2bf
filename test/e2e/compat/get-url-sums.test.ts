// get_url `checksum: sha256:<URL of a SHA256SUMS file>` side by side with ansible-playbook 2.14
// (local connection, file:// URLs: no network): the line naming the URL's file is used (binary
// mark and ./ dropped), a second run is ok, a file the sums do not name fails with Ansible's message.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleMessages, runbookMessages } from './side-by-side.js';

const PLAYBOOK = `- hosts: localhost
  gather_facts: false
  vars:
    sums: "sha256:file://{{ playbook_dir }}/SHA256SUMS"
  tasks:
    - get_url: { url: "file://{{ playbook_dir }}/etcd-v1-linux-amd64.tar.gz", dest: "{{ d }}/e.tgz", checksum: "{{ sums }}" }
      register: r1
    - get_url: { url: "file://{{ playbook_dir }}/etcd-v1-linux-amd64.tar.gz", dest: "{{ d }}/e.tgz", checksum: "{{ sums }}" }
      register: r2
    - get_url: { url: "file://{{ playbook_dir }}/other.tgz", dest: "{{ d }}/o.tgz", checksum: "{{ sums }}" }
      register: r3
      ignore_errors: true
    - debug: msg="{{ [r1.changed, r2.changed, r3.msg] | to_json }}"
`;

describe('get_url checksum from a SHA256SUMS URL: the same as ansible-playbook 2.14', () => {
  it('downloads once, verified by the named line; a file not named fails the same way', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-compat-sums-'));
    writeFileSync(join(dir, 'etcd-v1-linux-amd64.tar.gz'), 'etcd bytes\n');
    const digest = createHash('sha256').update('etcd bytes\n').digest('hex');
    writeFileSync(join(dir, 'SHA256SUMS'), `${'0'.repeat(64)}  etcd-v1-linux-arm64.tar.gz\n${digest} *./etcd-v1-linux-amd64.tar.gz\n`);
    writeFileSync(join(dir, 'pb.yml'), PLAYBOOK);
    writeFileSync(join(dir, 'inv.ini'), '[all]\nlocalhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
    for (const t of ['ans', 'rb']) mkdirSync(join(dir, t));
    const want = await ansibleMessages(dir, 'pb.yml', 'inv.ini', 'localhost', ['-e', `d=${dir}/ans`]);
    const got = await runbookMessages(dir, 'pb.yml', 'inv.ini', 'localhost', ['-e', `d=${dir}/rb`]);
    expect(want[want.length - 1]).toBe(`[true, false, "Unable to find a checksum for file 'other.tgz' in 'file://${dir}/SHA256SUMS'"]`);
    expect(got[got.length - 1]).toEqual(want[want.length - 1]);
    expect(existsSync(join(dir, 'rb', 'e.tgz'))).toBe(true);
  });
});
