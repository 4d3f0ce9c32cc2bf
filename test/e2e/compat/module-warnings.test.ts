// A module's warnings and deprecations, side by side with ansible-playbook 2.14 (local
// connection; a project's library/ module run through ansible-core's module code): printed on
// stderr as `[WARNING]: …` / `[DEPRECATION WARNING]: …`, wrapped at 79 columns as Ansible's
// Display wraps them, each text once a run, before the task's result line (a loop's after its
// items' lines, a failure's before its fatal line); registered as the module returned them, a
// loop's moved from its items to the loop's result. Needs ansible-core.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../../helpers/cli.js';
import { ansibleMessages, runbookMessages } from './side-by-side.js';

const WARNER = `#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule
def main():
    m = AnsibleModule(argument_spec=dict(text=dict(type='str', default='plain'), fail=dict(type='bool', default=False)), supports_check_mode=True)
    m.warn('warned about %s' % m.params['text'])
    m.warn('a long warning that Ansible wraps at seventy-nine columns, so it must be wrapped the very same way here\\nwith a newline')
    m.deprecate('the old way of %s is deprecated' % m.params['text'], version='2.99')
    m.deprecate('dated', date='2030-01-01', collection_name='ansible.builtin')
    if m.params['fail']:
        m.fail_json(msg='asked to fail')
    m.exit_json(changed=False, text=m.params['text'])
main()
`;

const PLAYBOOK = `- hosts: localhost
  gather_facts: false
  tasks:
    - name: warns
      warner: { text: one }
      register: w1
    - debug: { msg: "{{ w1 }}" }
    - name: warns again, the same texts
      warner: { text: one }
    - name: a loop
      warner: { text: "{{ item }}" }
      loop: [two, three]
      register: w2
    - debug: { msg: "{{ w2 }}" }
    - name: fails
      warner: { text: four, fail: true }
      ignore_errors: true
      register: w3
    - debug: { msg: "{{ w3 }}" }
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rb-compat-warnings-'));
  mkdirSync(join(dir, 'library'));
  writeFileSync(join(dir, 'library/warner.py'), WARNER);
  writeFileSync(join(dir, 'inv.ini'), 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
  writeFileSync(join(dir, 'pb.yml'), PLAYBOOK);
});

/** Each task's banner with the lines under it, stdout and stderr as one stream (2>&1). */
async function merged(argv: string[], env: Record<string, string> = {}): Promise<string> {
  const [file, ...args] = argv;
  const r = await promisify(execFile)('/bin/sh', ['-c', '"$0" "$@" 2>&1', file!, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0', ...env },
  });
  return r.stdout;
}

describe('module warnings and deprecations: as ansible-playbook 2.14', () => {
  it('registers them as 2.14 does (a loop: on the loop, not its items)', async () => {
    const want = await ansibleMessages(dir, 'pb.yml', 'inv.ini', 'localhost');
    const got = await runbookMessages(dir, 'pb.yml', 'inv.ini', 'localhost');
    const registered = (msgs: unknown[]) => [msgs[1], msgs[4], msgs[6]];
    const loop = want[4] as { warnings: string[]; results: Record<string, unknown>[] };
    expect(loop.warnings).toHaveLength(4);
    expect(loop.results[0]!['warnings']).toBeUndefined();
    // 2.14's loop items keep `invocation`, as runbook's do for a module run through ansible-core
    expect(registered(got)).toEqual(registered(want));
  });

  it('prints them on stderr, wrapped and once each, where 2.14 prints them', async () => {
    const a = await promisify(execFile)('ansible-playbook', ['-i', 'inv.ini', 'pb.yml'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0' },
    });
    const r = await runCli(['apply', 'pb.yml', '-i', 'inv.ini', '--yes', '--output', 'plain', '-e', `runbook_lock_file=${dir}/rb.lock`], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    // drop_whitespace=False, as Display.deprecated wraps: the line after a break may start with a space
    expect(a.stderr).toContain(
      '[DEPRECATION WARNING]: dated. This feature will be removed from ansible-core in\n a release after 2030-01-01.',
    );
    expect(r.stderr).toBe(a.stderr);
    // where: the lines between a task's banner and its result line, stdout and stderr together (what
    // follows `=>` left out: without -v runbook's fatal line is shorter than 2.14's JSON, docs/ansible-compatibility.md)
    const around = (out: string) =>
      out
        .split(/\n(?=TASK \[)/)
        .filter((s) => /^TASK \[(warns|a loop|fails)/.test(s))
        .map((s) =>
          s
            .split('\n')
            .filter((l) => /^\[|^[a-z].*\]|^(version|release|deprecation_)/.test(l) && !/^took /.test(l))
            .map((l) => l.replace(/ => .*$/, ' => …').trimEnd()),
        );
    const rb = await merged([process.execPath, CLI, 'apply', 'pb.yml', '-i', 'inv.ini', '--yes', '-o', 'plain']);
    const ans = await merged(['ansible-playbook', '-i', 'inv.ini', 'pb.yml']);
    expect(around(ans)[0]![0]).toBe('[WARNING]: warned about one');
    expect(around(rb)).toEqual(around(ans));
  });
});
