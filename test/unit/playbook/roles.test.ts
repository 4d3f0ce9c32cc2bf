// Roles and the other Ansible project features (include_role/import_role, vars_prompt) as
// `runbook validate` sees them, no hosts: a broken setup gives one FILE:LINE:COL error at the
// offending node (inside the role's own file when the problem is there), exit 1, no stack
// trace. Checked through the loader (positions) and through the built CLI (exit code, stderr).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/core/diagnostic.js';
import { moduleCatalog } from '../../../src/modules/catalog.js';
import { loadPlaybook } from '../../../src/playbook/load.js';
import { runCli, type CliResult } from '../../helpers/cli.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/ansible-roles', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'runbook-roles-'));

/** A project directory holding these files (site.yml is the playbook). */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(root, 'case-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const errorsOf = (dir: string, pb = 'site.yml'): Diagnostic[] =>
  loadPlaybook(pb, moduleCatalog(), dir).diagnostics.filter((d) => d.severity === 'error');

interface Expected {
  /** path of the file the error is in, relative to the project */
  readonly file: string;
  readonly lines: readonly number[];
  readonly col?: number;
  readonly message: readonly RegExp[];
}

/** exactly one error, at the expected place, saying the expected things */
function expectOneError(dir: string, want: Expected): Diagnostic {
  const errors = errorsOf(dir);
  const shown = JSON.stringify(errors.map((d) => `${d.pos.file}:${d.pos.line}:${d.pos.col}: ${d.message}`));
  expect(errors, shown).toHaveLength(1);
  const d = errors[0]!;
  expect(d.pos.file === want.file || d.pos.file === join(dir, want.file), shown).toBe(true);
  expect(want.lines, shown).toContain(d.pos.line);
  if (want.col !== undefined) expect(d.pos.col, shown).toBe(want.col);
  for (const re of want.message) expect(d.message).toMatch(re);
  return d;
}

const STACK = /^\s+at .+[:(].*\d+:\d+\)?$/m;

/** `runbook validate site.yml` from the project directory: exit 1, one FILE:LINE:COL line, no stack */
async function expectCliRefuses(dir: string, want: Expected): Promise<CliResult> {
  const r = await runCli(['validate', 'site.yml'], { cwd: dir });
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr).not.toMatch(STACK);
  const heads = r.stderr.split('\n').filter((l) => /^\S.*:\d+:\d+: /.test(l));
  expect(heads, r.stderr).toHaveLength(1);
  const m = /^(.*):(\d+):(\d+): /.exec(heads[0]!)!;
  expect([want.file, join(dir, want.file)], r.stderr).toContain(m[1]);
  expect(want.lines, r.stderr).toContain(Number(m[2]));
  return r;
}

const cfg = '[defaults]\nroles_path = ./shared-roles\n';
const debugTask = (msg: string): string => `---\n- name: ${msg}\n  debug:\n    msg: ${msg}\n`;

describe('the fixture project (test/fixtures/ansible-roles) is valid', () => {
  it('loads with its roles, role files, include targets and imported playbook', () => {
    const r = loadPlaybook('site.yml', moduleCatalog(), FIXTURE);
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
    expect(r.playbook?.plays.length).toBe(2); // site.yml's play and verify.yml's (import_playbook)
  });

  it('runbook validate site.yml: exit 0', async () => {
    const r = await runCli(['validate', 'site.yml'], { cwd: FIXTURE });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^site\.yml: ok \(2 plays, \d+ tasks\)$/m);
  });
});

describe('broken role setups: one error at the offending node', () => {
  it('a role that is nowhere: names the role and every place searched', async () => {
    // Ansible: "the role 'X' was not found in <playbook dir>/roles:<roles_path>:<playbook dir>"
    const dir = project({
      'ansible.cfg': cfg,
      'site.yml': '- hosts: all\n  roles:\n    - common\n    - etcd_confg\n  tasks: []\n',
      'roles/common/tasks/main.yml': debugTask('common'),
      'shared-roles/etcd_limits/tasks/main.yml': debugTask('limits'),
    });
    const want: Expected = {
      file: 'site.yml',
      lines: [4],
      col: 7,
      message: [/'etcd_confg'/, /not found|no role|cannot find|could not find/i, /shared-roles/],
    };
    const d = expectOneError(dir, want);
    const searched = d.message.split(`${dir}/`).join(''); // absolute or relative: both name the directory
    expect(searched).toMatch(/(^|[\s'"(:,])(\.\/)?roles\b/);
    await expectCliRefuses(dir, want);
  });

  it('a meta dependency cycle: names the roles in the cycle, in their meta/main.yml', async () => {
    // Ansible refuses it ("A recursion loop was detected with the roles specified")
    const dir = project({
      'site.yml': '- hosts: all\n  roles:\n    - etcd_backup\n',
      'roles/etcd_backup/meta/main.yml': 'dependencies:\n  - role: etcd_snapshot\n',
      'roles/etcd_backup/tasks/main.yml': debugTask('backup'),
      'roles/etcd_snapshot/meta/main.yml': 'dependencies:\n  - role: etcd_backup\n',
      'roles/etcd_snapshot/tasks/main.yml': debugTask('snapshot'),
    });
    const errors = errorsOf(dir);
    expect(errors, JSON.stringify(errors)).toHaveLength(1);
    const d = errors[0]!;
    expect(d.pos.file).toMatch(/roles\/etcd_(backup|snapshot)\/meta\/main\.yml$/);
    expect(d.pos.line).toBe(2);
    expect(d.message).toMatch(/etcd_backup/);
    expect(d.message).toMatch(/etcd_snapshot/);
    expect(d.message).toMatch(/cycle|loop|recurs|itself/i);
    const r = await runCli(['validate', 'site.yml'], { cwd: dir });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stderr).toMatch(/^\S*roles\/etcd_(backup|snapshot)\/meta\/main\.yml:2:\d+: /m);
  });

  it('an unknown module in a role task points into the role’s tasks file', async () => {
    const dir = project({
      'site.yml': '- hosts: all\n  roles:\n    - etcd_config\n',
      'roles/etcd_config/tasks/main.yml': '---\n- name: render the config\n  comand: cat /etc/hosts\n',
    });
    const want: Expected = {
      file: 'roles/etcd_config/tasks/main.yml',
      lines: [3],
      col: 3,
      message: [/^unknown module 'comand' \(did you mean 'command'\?\)/],
    };
    expectOneError(dir, want);
    await expectCliRefuses(dir, want);
  });

  it('an unknown module in a file imported with import_role tasks_from points into that file', () => {
    const dir = project({
      'site.yml': '- hosts: all\n  tasks:\n    - import_role:\n        name: etcd_config\n        tasks_from: extra\n',
      'roles/etcd_config/tasks/main.yml': debugTask('main'),
      'roles/etcd_config/tasks/extra.yml': '---\n- name: ok\n  debug: msg=hi\n- name: typo\n  shel: echo hi\n',
    });
    expectOneError(dir, { file: 'roles/etcd_config/tasks/extra.yml', lines: [5], col: 3, message: [/unknown module 'shel'/] });
  });

  it('include_role without name', async () => {
    // Ansible: "'name' is a required field for include_role"
    const dir = project({
      'site.yml': '- hosts: all\n  tasks:\n    - name: etcdctl environment\n      include_role:\n        tasks_from: extra\n',
      'roles/etcd_config/tasks/extra.yml': debugTask('extra'),
    });
    const want: Expected = { file: 'site.yml', lines: [3, 4, 5], message: [/\bname\b/, /include_role/] };
    expectOneError(dir, want);
    await expectCliRefuses(dir, want);
  });

  it('import_role tasks_from naming a file the role lacks', () => {
    // Ansible: "Could not find specified file in role: tasks/nope"
    const dir = project({
      'site.yml': '- hosts: all\n  tasks:\n    - import_role:\n        name: etcd_config\n        tasks_from: nope\n',
      'roles/etcd_config/tasks/main.yml': debugTask('main'),
    });
    expectOneError(dir, { file: 'site.yml', lines: [3, 4, 5], message: [/nope/, /tasks/] });
  });

  it('debugger: in a role’s task is refused with the reason, at its file:line', async () => {
    const dir = project({
      'site.yml': '- hosts: all\n  roles:\n    - etcd_defrag\n',
      'roles/etcd_defrag/tasks/main.yml': '---\n- name: defragment\n  command: etcdctl defrag\n  debugger: on_failed\n',
    });
    const want: Expected = { file: 'roles/etcd_defrag/tasks/main.yml', lines: [4], col: 3, message: [/^'debugger' is not supported: /] };
    expectOneError(dir, want);
    await expectCliRefuses(dir, want);
  });

  it('debugger: in a play’s task is refused with the reason, at its file:line', async () => {
    const dir = project({
      'site.yml': '- hosts: all\n  tasks:\n    - name: compact\n      command: etcdctl compact 5\n      debugger: on_failed\n',
    });
    const want: Expected = { file: 'site.yml', lines: [5], col: 7, message: [/^'debugger' is not supported: /] };
    expectOneError(dir, want);
    await expectCliRefuses(dir, want);
  });
});

describe('templated role names and include_role of a role not installed (as ansible-playbook 2.14)', () => {
  const role = { 'roles/etcd_backup/tasks/main.yml': '- debug: msg=backup\n' };
  it('roles: names templated with the play vars and playbook_dir, as Ansible does when it loads the play', () => {
    const dir = project({
      ...role,
      'site.yml':
        '- hosts: all\n  vars: { action: backup }\n  roles:\n    - "etcd_{{ action }}"\n    - role: "{{ playbook_dir }}/roles/etcd_backup"\n      tags: [b]\n',
    });
    const r = loadPlaybook('site.yml', moduleCatalog(), dir);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(JSON.stringify(r.playbook!.plays[0]!.tasks)).toContain('etcd_backup');
  });
  it('a role name using a variable the play does not have is refused at its node, saying what it sees', () => {
    const dir = project({ ...role, 'site.yml': '- hosts: all\n  roles:\n    - role: "etcd_{{ action }}"\n' });
    expectOneError(dir, {
      file: 'site.yml',
      lines: [3],
      col: 13,
      message: [/etcd_\{\{ action \}\}/, /play's vars, playbook_dir and lookups/, /'action' is undefined/, /include_role/],
    });
  });
  it("include_role: name=ROLE tasks_from=FILE (Ansible's k=v form; role= for name=) names the role", () => {
    const dir = project({
      ...role,
      'roles/etcd_backup/tasks/extra.yml': '- debug: msg=extra\n',
      'site.yml': '- hosts: all\n  tasks:\n    - include_role: name=etcd_backup tasks_from=extra\n    - include_role: role=etcd_backup\n',
    });
    const r = loadPlaybook('site.yml', moduleCatalog(), dir);
    expect(r.diagnostics).toEqual([]);
    const tasks = r.playbook!.plays[0]!.tasks as unknown as { role: string; tasksFrom?: string }[];
    expect(tasks.map((t) => [t.role, t.tasksFrom])).toEqual([
      ['etcd_backup', 'extra'],
      ['etcd_backup', undefined],
    ]);
  });
  it('include_role of a role that is not installed is a warning (Ansible fails the host that reaches it)', () => {
    const dir = project({ 'site.yml': '- hosts: all\n  tasks:\n    - include_role: { name: acme.unarchivedeps }\n' });
    const r = loadPlaybook('site.yml', moduleCatalog(), dir);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const w = r.diagnostics.find((d) => d.severity === 'warning');
    expect(w?.message).toMatch(/include_role: role 'acme.unarchivedeps' not found .*a host that reaches this task fails/);
    expect(w?.pos.line).toBe(3);
  });
});

describe('vars_prompt without a terminal', () => {
  // Ansible skips the prompt of a variable given with --extra-vars; with no TTY to ask on,
  // runbook must say how to pass it instead of hanging or failing later on an undefined variable.
  const files = (dir: string): Record<string, string> => ({
    'hosts.yml': `all:\n  hosts:\n    localhost:\n      ansible_connection: local\n      runbook_lock_file: ${dir}/host.lock\n`,
    'site.yml': [
      '- name: Restore from a snapshot',
      '  hosts: localhost',
      '  gather_facts: false',
      '  vars_prompt:',
      '    - name: restore_token',
      '      prompt: Token of the snapshot to restore',
      '      private: true',
      '  tasks:',
      '    - name: show',
      '      debug:',
      '        msg: "token={{ restore_token }}"',
      '',
    ].join('\n'),
  });
  const setup = (): string => {
    const dir = project({});
    for (const [name, text] of Object.entries(files(dir))) writeFileSync(join(dir, name), text);
    return dir;
  };

  it('validate accepts the play', async () => {
    const dir = setup();
    expect(errorsOf(dir)).toEqual([]);
    expect((await runCli(['validate', 'site.yml'], { cwd: dir })).code).toBe(0);
  });

  it('apply without -e: exit 1, says to pass -e restore_token=..., runs nothing', async () => {
    const dir = setup();
    const r = await runCli(['apply', 'site.yml', '-i', 'hosts.yml', '--yes', '--output', 'json'], { cwd: dir });
    expect(r.code, r.stderr + r.stdout).toBe(1);
    expect(r.stderr).toMatch(/restore_token/);
    expect(r.stderr).toMatch(/-e restore_token=/);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stdout).not.toMatch(/token=/);
  });

  it('apply with -e restore_token=...: no prompt, the value is used', async () => {
    const dir = setup();
    const r = await runCli(['apply', 'site.yml', '-i', 'hosts.yml', '--yes', '--output', 'json', '-e', 'restore_token=s3cr3t'], {
      cwd: dir,
    });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.results('show')['localhost']).toMatchObject({ status: 'ok', msg: 'token=s3cr3t' });
  });
});
