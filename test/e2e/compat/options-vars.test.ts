// Side by side with ansible-playbook 2.14 (local connection): the variables ansible-playbook makes
// of its options (utils/vars.py load_options_vars): ansible_run_tags (['all'] without --tags),
// ansible_skip_tags, ansible_forks, ansible_limit (only with --limit); and the inventory's:
// inventory_file, inventory_dir (a directory inventory's own file; a host list's text and 'None'),
// role_names. Needs ansible-core.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ansibleMessages, ansibleMessagesByHost, runbookMessages, runbookMessagesByHost } from './side-by-side.js';

const PLAYBOOK = `
- hosts: all
  gather_facts: false
  tasks:
    - debug: msg="{{ ansible_run_tags | sort }} {{ ansible_skip_tags | sort }} {{ ansible_forks }} {{ ansible_limit | default('no limit') }}"
      tags: [report, always]
    - debug: msg="{{ inventory_file }} | {{ inventory_dir }} | {{ role_names }}"
      tags: [always]
`;

let dir: string;
const local = (host: string) =>
  `${host} ansible_connection=local ansible_python_interpreter=/usr/bin/python3 runbook_lock_file=${join(dir, host + '.lock')}\n`;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rb-optvars-'));
  writeFileSync(join(dir, 'site.yml'), PLAYBOOK);
  writeFileSync(join(dir, 'hosts.ini'), local('opt1'));
  mkdirSync(join(dir, 'invdir'));
  writeFileSync(join(dir, 'invdir/hosts'), local('opt2'));
  writeFileSync(join(dir, 'invdir/other.ini'), local('opt3')); // read by neither: an .ini in a directory
});

describe("ansible-playbook's options as variables, side by side with 2.14", () => {
  it.each([[['-f', '5']], [['--tags', 'report,x,report', '-f', '7']], [['--skip-tags', 'b,a', '--limit', 'opt1', '-f', '3']]])(
    '%j',
    async (extra) => {
      const a = await ansibleMessages(dir, 'site.yml', 'hosts.ini', 'opt1', extra);
      expect(a.length).toBe(2);
      expect(await runbookMessages(dir, 'site.yml', 'hosts.ini', 'opt1', extra)).toEqual(a);
    },
  );

  it.each([
    ['invdir', 'opt2'],
    ['opt4,', 'opt4'],
  ])('inventory_file and inventory_dir with -i %s', async (inv, host) => {
    const extra = [
      '-f',
      '5',
      '-c',
      'local',
      '-e',
      'ansible_python_interpreter=/usr/bin/python3',
      '-e',
      `runbook_lock_file=${join(dir, 'x.lock')}`,
    ];
    const a = await ansibleMessagesByHost(dir, 'site.yml', inv, extra);
    expect(Object.keys(a)).toEqual([host]);
    expect(await runbookMessagesByHost(dir, 'site.yml', inv, extra)).toEqual(a);
  });
});
