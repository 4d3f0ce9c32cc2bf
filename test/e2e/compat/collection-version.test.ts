// community.general.collection_version side by side with ansible-playbook 2.14 (local connection):
// runbook runs community.general's own plugin through ansible-core (it reads no task variables),
// so the versions, None for a collection not installed, '*' for one without a version,
// result_not_found / result_no_version and a collection beside the playbook are Ansible's.
// Needs ansible-core with community.general (Debian's `ansible` package).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleMessages, runbookMessages } from './side-by-side.js';

const CV = 'community.general.collection_version';

describe('the collection_version lookup: the same as ansible-playbook 2.14', () => {
  it('installed, not installed, without a version, beside the playbook', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-compat-collver-'));
    mkdirSync(join(dir, 'collections', 'ansible_collections', 'my', 'coll'), { recursive: true });
    writeFileSync(
      join(dir, 'collections', 'ansible_collections', 'my', 'coll', 'MANIFEST.json'),
      '{"collection_info": {"version": "9.9.9"}}',
    );
    writeFileSync(join(dir, 'inv.ini'), 'h1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
    writeFileSync(
      join(dir, 'pb.yml'),
      `- hosts: all
  gather_facts: false
  tasks:
    - debug: msg="{{ lookup('${CV}', 'community.general') }}"
    - debug: msg="{{ lookup('${CV}', 'no.such') }}"
    - assert:
        that: lookup('${CV}', 'ansible.posix') != 'none'
    - debug: msg="{{ query('${CV}', 'ansible.posix', 'no.such', 'ansible.builtin') }}"
    - debug: msg="{{ lookup('${CV}', 'no.such', result_not_found='absent') }}"
    - debug: msg="{{ lookup('${CV}', 'my.coll') }}"
`,
    );
    const a = await ansibleMessages(dir, 'pb.yml', 'inv.ini', 'h1');
    const r = await runbookMessages(dir, 'pb.yml', 'inv.ini', 'h1');
    expect(r).toEqual(a);
    expect(a[0]).toMatch(/^\d+\.\d+\.\d+$/);
    expect(a[3]).toEqual([expect.stringMatching(/^\d/), null, '*']);
    expect(a[5]).toBe('9.9.9');
  });
});
