// A collection's roles side by side with ansible-playbook 2.14 (local connection): the banner
// names the role by its FQCN (`TASK [ns.coll.r : name]`, a dependency named by its short name
// inside the collection too), `ansible_role_name` is the FQCN and `role_name` the short name, `ansible_collection_name` the collection (None for a plain role).
// Needs ansible-core.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { ansibleMessages, runbookMessages } from './side-by-side.js';

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rb-compat-coll-'));
  const files: Record<string, string> = {
    'ansible_collections/ns/coll/galaxy.yml': 'namespace: ns\nname: coll\nversion: 1.0.0\n',
    'ansible_collections/ns/coll/roles/r/meta/main.yml': 'dependencies: [dep]\n',
    'ansible_collections/ns/coll/roles/r/tasks/main.yml':
      '- name: in r\n  debug: msg="{{ role_name }}|{{ ansible_role_name }}|{{ ansible_collection_name }}"\n- include_tasks: more.yml\n',
    'ansible_collections/ns/coll/roles/r/tasks/more.yml': '- debug: msg="more {{ ansible_role_name }}"\n',
    'ansible_collections/ns/coll/roles/dep/tasks/main.yml': '- name: in dep\n  debug: msg="{{ role_name }}|{{ ansible_role_name }}"\n',
    'roles/plain/tasks/main.yml':
      '- name: in plain\n  debug: msg="{{ role_name }}|{{ ansible_role_name }}|{{ ansible_collection_name }}"\n',
    'inv.ini': 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n',
    'site.yml': `- hosts: all
  gather_facts: false
  roles: [ns.coll.r, plain]
  tasks:
    - import_role: { name: ns.coll.dep }
    - include_role: { name: ns.coll.dep }
`,
  };
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

const env = (dir: string): NodeJS.ProcessEnv => ({
  ...process.env,
  ANSIBLE_COLLECTIONS_PATH: dir,
  ANSIBLE_NOCOLOR: '1',
  ANSIBLE_RETRY_FILES_ENABLED: '0',
});
/** TASK banners as printed (include_role's own empty banner left out: runbook does not print it). */
const banners = (out: string): string[] =>
  out
    .split('\n')
    .filter((l) => l.startsWith('TASK [') && !l.startsWith('TASK [include_role : '))
    .map((l) => l.replace(/ \*+$/, ''));

describe("a collection's roles: the same banners and role names as ansible-playbook 2.14", () => {
  it('TASK [ns.coll.role : name], ansible_role_name the FQCN, role_name the short name', async () => {
    const dir = project();
    process.env['ANSIBLE_COLLECTIONS_PATH'] = dir; // for the runbook run (the CLI reads it as ansible-playbook does)
    try {
      const { stdout } = await promisify(execFile)('ansible-playbook', ['-i', 'inv.ini', 'site.yml'], {
        cwd: dir,
        encoding: 'utf8',
        env: env(dir),
      });
      const rb = await runCli(['apply', 'site.yml', '-i', 'inv.ini', '--yes', '-o', 'plain', '-e', `runbook_lock_file=${dir}/l`], {
        cwd: dir,
      });
      expect(rb.code, rb.stderr).toBe(0);
      expect(banners(rb.stdout)).toEqual(banners(stdout));
      expect(banners(rb.stdout)).toEqual([
        'TASK [ns.coll.dep : in dep]',
        'TASK [ns.coll.r : in r]',
        'TASK [ns.coll.r : include_tasks]',
        'TASK [ns.coll.r : debug]',
        'TASK [plain : in plain]',
        'TASK [ns.coll.dep : in dep]',
        'TASK [ns.coll.dep : in dep]',
      ]);
      const want = await ansibleMessages(dir, 'site.yml', 'inv.ini', 'localhost');
      const got = await runbookMessages(dir, 'site.yml', 'inv.ini', 'localhost');
      // (Ansible's json callback lists the includes too, with no msg)
      expect(got).toEqual(want.filter((m) => m !== undefined));
      expect(got).toContain('r|ns.coll.r|ns.coll');
      expect(got).toContain('plain|plain|'); // None outside a collection
    } finally {
      delete process.env['ANSIBLE_COLLECTIONS_PATH'];
    }
  });
});
