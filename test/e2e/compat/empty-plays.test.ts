// A site playbook whose plays target groups an inventory does not have (or has empty): Ansible
// skips those plays, warns about the unknown name, and runs the rest; runbook does the same
// (plan/targets.ts). A run that would target nothing at all stays an error (test/e2e/dr/trust.test.ts).
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runCli } from '../../helpers/cli.js';
import { ansibleMessages, runbookMessages } from './side-by-side.js';

const PB = `- hosts: etcd
  gather_facts: false
  tasks:
    - debug: msg=one
- hosts: spare
  gather_facts: false
  tasks:
    - debug: msg=two
- hosts: etdc
  gather_facts: false
  tasks:
    - debug: msg=three
- hosts: all
  gather_facts: false
  tasks:
    - debug: msg=four
`;

describe('plays that match no host, among plays that do: the same as ansible-playbook 2.14', () => {
  it('skipped, the unknown name warned about, the rest run, exit 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-empty-plays-'));
    writeFileSync(join(dir, 'site.yml'), PB);
    writeFileSync(join(dir, 'hosts.ini'), '[etcd]\nlocal1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n[spare]\n');
    const ours = await runbookMessages(dir, 'site.yml', 'hosts.ini', 'local1');
    expect(ours).toEqual(await ansibleMessages(dir, 'site.yml', 'hosts.ini', 'local1'));
    expect(ours).toEqual(['one', 'four']);
    const plain = await runCli(
      ['apply', 'site.yml', '-i', 'hosts.ini', '--yes', '--output', 'plain', '-e', `runbook_lock_file=${dir}/runbook.lock`],
      { cwd: dir },
    );
    const theirs = await promisify(execFile)('ansible-playbook', ['-i', 'hosts.ini', 'site.yml'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, ANSIBLE_NOCOLOR: '1' },
    });
    expect(plain.code).toBe(0);
    for (const text of [plain.stdout + plain.stderr, theirs.stdout + theirs.stderr]) {
      expect(text).toContain('Could not match supplied host pattern, ignoring: etdc');
      expect(text).not.toContain('ignoring: spare');
      expect(text.match(/skipping: no hosts matched/g)).toHaveLength(2);
    }
  });
});
