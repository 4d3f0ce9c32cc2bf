// Side by side with ansible-playbook 2.14 (local connection): the variables ansible-playbook makes
// of its options (utils/vars.py load_options_vars): ansible_run_tags (['all'] without --tags),
// ansible_skip_tags, ansible_forks, ansible_limit (only with --limit). Needs ansible-core.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ansibleMessages, runbookMessages } from './side-by-side.js';

const PLAYBOOK = `
- hosts: all
  gather_facts: false
  tasks:
    - debug: msg="{{ ansible_run_tags | sort }} {{ ansible_skip_tags | sort }} {{ ansible_forks }} {{ ansible_limit | default('no limit') }}"
      tags: [report, always]
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rb-optvars-'));
  writeFileSync(join(dir, 'site.yml'), PLAYBOOK);
  writeFileSync(
    join(dir, 'hosts.ini'),
    `opt1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3 runbook_lock_file=${join(dir, 'opt1.lock')}\n`,
  );
});

describe("ansible-playbook's options as variables, side by side with 2.14", () => {
  it.each([[['-f', '5']], [['--tags', 'report,x,report', '-f', '7']], [['--skip-tags', 'b,a', '--limit', 'opt1', '-f', '3']]])(
    '%j',
    async (extra) => {
      const a = await ansibleMessages(dir, 'site.yml', 'hosts.ini', 'opt1', extra);
      expect(a.length).toBe(1);
      expect(await runbookMessages(dir, 'site.yml', 'hosts.ini', 'opt1', extra)).toEqual(a);
    },
  );
});
