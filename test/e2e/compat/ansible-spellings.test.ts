// Spellings and semantics real public roles use (scripts/compat-harness.sh, issue 18), side by
// side with ansible-playbook 2.14 (local connection): the bare `include:` of tasks (a playbook's
// is refused by both), `action:`/`local_action:`, `meta: clear_facts`, an include_tasks handler found from the
// role's directory, command's `warn` (removed in 2.14: the task fails when reached), a built-in
// module given an argument it lacks (run through Ansible's module code), python version facts,
// `urlsplit`, a None printed by {{ }}, and a relative role path (molecule's `../../../`).
// Needs ansible-core.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { ansibleMessages, runbookMessages } from './side-by-side.js';

const PLAY = '- hosts: all\n  gather_facts: false\n';

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rb-compat-spell-'));
  const files: Record<string, string> = {
    'hosts.ini': 'local1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n',
    'tasks/t.yml': '- debug: msg="t.yml sees {{ x }} {{ y | default(\'no y\') }}"\n- debug: msg="second of t.yml"\n',
    'include.yml': `${PLAY}  vars: { f: tasks/t.yml }
  tasks:
    - include: tasks/t.yml x=static
    - include: tasks/t.yml x=skipped
      when: false
    - include: "{{ f }}"
      vars: { x: dynamic, y: given }
    - include: tasks/t.yml
      loop: [1, 2]
      vars: { x: "{{ item }}" }
`,
    'action.yml': `${PLAY}  tasks:
    - action: debug msg="from action"
    - name: mapping
      action: { module: command, cmd: echo from mapping }
      register: out
      changed_when: false
    - debug: msg="{{ out.stdout }}"
    - name: local
      local_action: command echo local
      register: loc
      changed_when: false
    - debug: msg="{{ loc.stdout }} {{ loc.rc }}"
`,
    'facts.yml': `- hosts: all
  tasks:
    - set_fact: { mine: kept }
    - debug: msg="{{ ansible_facts.python.version.major }}.{{ ansible_facts.python.version.minor }} {{ ansible_python.version_info[:2] }} {{ ansible_facts.python.type }}"
    - debug: msg="{{ ansible_system | default('none') }}"
    - meta: clear_facts
    - debug: msg="{{ ansible_system | default('cleared') }} {{ ansible_facts.system | default('cleared') }} {{ mine }}"
    - debug: msg="{{ 'https://u:p@Example.COM:8443/a/b.tgz?q=1#f' | urlsplit }}"
    - debug: msg="{{ 'https://example.com/x' | ansible.builtin.urlsplit('hostname') }} {{ 'file:///etc/x' | urlsplit('path') }} [{{ 'a/b' | urlsplit('port') }}]"
    - debug: msg="a{{ none_var }}b"
      vars: { none_var: null }
`,
    'roles/r/tasks/main.yml': '- name: notifies\n  command: echo notify\n  notify: restart r\n- debug: msg="role task"\n',
    'roles/r/tasks/restart.yml': '- debug: msg="restarting {{ what }}"\n',
    'roles/r/handlers/main.yml': '- name: restart r\n  include_tasks: tasks/restart.yml\n',
    'roles/r/defaults/main.yml': 'what: r-service\n',
    'handler.yml': `${PLAY}  roles: [r]\n  tasks:\n    - debug: msg="after handlers?"\n`,
    'sub/dir/relative.yml': `${PLAY}  roles: ['../../roles/r/']\n`,
    'warn.yml': `${PLAY}  tasks:
    - command: echo hi
      args: { warn: false }
      when: false
    - command: echo hi
      args: { warn: false }
      ignore_errors: true
      register: w
    - debug: msg="{{ w.msg }}"
    - file: { path: /nonexistent-rb-compat/f, state: touch, attributes: '-i' }
      ignore_errors: true
      register: attr
    - debug: msg="{{ attr.failed }} {{ attr.msg }}"
`,
  };
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

/** Banners and result line heads (host and item), `...ignoring`, the recap line. */
const shown = (out: string): string[] =>
  out
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => /^(TASK \[|RUNNING HANDLER \[|ok: |fatal: |changed: |skipping: |\.\.\.ignoring|local1 +: )/.test(l))
    .map((l) =>
      l
        .replace(/ \*+$/, '')
        .replace(/ => .*$/, '')
        .replace(/: FAILED!$/, ''),
    );

async function both(dir: string, pb: string): Promise<{ a: string; r: string }> {
  const a = await promisify(execFile)('ansible-playbook', ['-i', 'hosts.ini', pb], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0' },
  }).then(
    (x) => x.stdout,
    (e: { stdout: string }) => e.stdout,
  );
  const r = await runCli(['apply', pb, '-i', 'hosts.ini', '--yes', '-o', 'plain', '-e', `runbook_lock_file=${dir}/l`], { cwd: dir });
  return { a, r: r.stdout };
}

describe('Ansible 2.14 spellings real roles use: the same as ansible-playbook 2.14', () => {
  const dir = project();
  it.each(['include.yml', 'action.yml', 'facts.yml', 'handler.yml', 'sub/dir/relative.yml', 'warn.yml'])(
    '%s: the same messages',
    async (pb) => {
      // what one engine reports and the other has no message for is left out: an include's or a
      // command's '' (Ansible), a meta task's result and a skipped task's reason (runbook)
      const none = (x: unknown): boolean =>
        x === undefined || x === '' || x === 'Conditional result was False' || (Array.isArray(x) && x.every(none));
      const said = (m: unknown[]): unknown[] => m.filter((x) => !none(x));
      const a = said(await ansibleMessages(dir, pb, 'hosts.ini', 'local1'));
      const r = said(await runbookMessages(dir, pb, 'hosts.ini', 'local1'));
      expect(r).toEqual(a);
      const joined = JSON.stringify(a);
      if (pb === 'include.yml') expect(joined).toContain('t.yml sees dynamic given');
      if (pb === 'facts.yml') expect(joined).toContain('cleared cleared kept');
      if (pb === 'handler.yml' || pb === 'sub/dir/relative.yml') expect(joined).toContain('restarting r-service');
      if (pb === 'warn.yml') expect(joined).toContain('Unsupported parameters for (ansible.legacy.command) module: warn');
    },
  );
  // (include.yml and handler.yml are not compared line by line: runbook's banner of a bare include
  // says include_tasks/import where Ansible's says include, and an include_tasks handler's own
  // banner is TASK, not RUNNING HANDLER — docs/ansible-compatibility.md)
  it.each(['warn.yml', 'action.yml'])('%s: the same banners, result lines and recap', async (pb) => {
    const { a, r } = await both(dir, pb);
    expect(shown(r)).toEqual(shown(a));
  });
  it('validate accepts them, warning of the deprecated and the removed', async () => {
    for (const pb of ['include.yml', 'action.yml', 'facts.yml', 'handler.yml', 'sub/dir/relative.yml', 'warn.yml']) {
      const v = await runCli(['validate', pb], { cwd: dir });
      expect(v.code, `${pb}: ${v.stdout}${v.stderr}`).toBe(0);
    }
    const w = await runCli(['validate', 'warn.yml'], { cwd: dir });
    expect(w.stdout + w.stderr).toMatch(/'warn' was removed in ansible-core 2\.14/);
    expect(w.stdout + w.stderr).toMatch(
      /'attributes' is not an argument of runbook's built-in file: this task runs through Ansible's module code/,
    );
  });
});
