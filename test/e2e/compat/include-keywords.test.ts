// Keywords on a dynamic include side by side with ansible-playbook 2.14 (local connection): they
// are the include's own, not its tasks' (Ansible's Task._get_parent_attribute skips a parent that
// is not statically loaded) — `ignore_errors: true` on include_tasks/include_role does not ignore
// a failure inside, `apply: {ignore_errors: true}` does; the include's vars still reach its tasks.
// Needs ansible-core.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rb-compat-inckw-'));
  const files: Record<string, string> = {
    'fail.yml': '- name: "fails {{ what }}"\n  command: /bin/false\n',
    'roles/r/tasks/main.yml': '- name: role fails\n  command: /bin/false\n',
    'hosts.ini': 'local1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n',
    'apply.yml': `- hosts: all
  gather_facts: false
  tasks:
    - include_tasks: { file: fail.yml, apply: { ignore_errors: true } }
      vars: { what: applied }
    - include_role: { name: r, apply: { ignore_errors: true } }
    - debug: msg=after
`,
    'tasks.yml':
      '- hosts: all\n  gather_facts: false\n  tasks:\n    - include_tasks: fail.yml\n      vars: { what: included }\n      ignore_errors: true\n    - debug: msg=never\n',
    'role.yml':
      '- hosts: all\n  gather_facts: false\n  tasks:\n    - include_role: { name: r }\n      ignore_errors: true\n    - debug: msg=never\n',
  };
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

/** Banners (include_role's own included), result line heads, `...ignoring`, recap. */
const shown = (out: string): string[] =>
  out
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => /^(TASK \[|ok: |fatal: |changed: |\.\.\.ignoring|local1 +: )/.test(l))
    .map((l) =>
      l
        .replace(/ \*+$/, '')
        .replace(/ => .*$/, '')
        .replace(/: FAILED!$/, ''),
    );

describe('keywords on include_tasks / include_role: the same as ansible-playbook 2.14', () => {
  const dir = project();
  it.each(['apply.yml', 'tasks.yml', 'role.yml'])('%s', async (pb) => {
    const a = await promisify(execFile)('ansible-playbook', ['-i', 'hosts.ini', pb], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0' },
    }).then(
      (x) => ({ stdout: x.stdout, code: 0 }),
      (e: { stdout: string; code: number }) => ({ stdout: e.stdout, code: e.code }),
    );
    const r = await runCli(['apply', pb, '-i', 'hosts.ini', '--yes', '-o', 'plain', '-e', `runbook_lock_file=${dir}/l`], { cwd: dir });
    expect(shown(r.stdout)).toEqual(shown(a.stdout));
    expect(r.code === 0).toBe(a.code === 0);
    expect(a.code === 0).toBe(pb === 'apply.yml');
    if (pb === 'apply.yml') expect(shown(r.stdout).filter((l) => l === '...ignoring')).toHaveLength(2);
    if (pb === 'tasks.yml') expect(shown(r.stdout)).toContain('TASK [fails included]');
  });
});
