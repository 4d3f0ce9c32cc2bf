// `-v` output side by side with ansible-playbook 2.14 (local connection): the default callback's
// result lines and the `=> {json}` after them (keys sorted, Python's separators, `failed`,
// `skipped`, `invocation` and `diff` left out as its clean_copy/_dump_results leave them) for an
// `ok:` with register, a changed loop (`=> (item=…) => {…}`), a failure and a failed item, a
// skipped task and skipped items (2.14's `(item=…)  => {…}` with its two spaces), set_fact,
// debug; and loop labels as Python's str() of the item, with and without -v. Times
// (start/end/delta) are compared by their shape. Needs ansible-core.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

const PLAYBOOK = `- hosts: localhost
  gather_facts: false
  tasks:
    - name: ok with register
      command: echo hi
      changed_when: false
      register: o1
    - name: changed loop
      command: echo {{ item }}
      loop: [a, b]
    - name: debug
      debug: { msg: "{{ o1.stdout }}" }
    - name: set_fact
      set_fact: { x: "1" }
    - name: skipped
      command: /bin/true
      when: false
    - name: skipped items
      debug: { msg: "{{ item }}" }
      loop: [1, 2]
      when: item == 2
    - name: fails
      command: /bin/false
      ignore_errors: true
    - name: fails in a loop
      command: /bin/false
      loop: [1]
      ignore_errors: true
    - name: labels
      debug: { msg: x }
      loop: [{name: a, n: 1, t: true, none: null}, [1, 'b'], true]
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rb-compat-verbose-'));
  writeFileSync(join(dir, 'inv.ini'), 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
  writeFileSync(join(dir, 'pb.yml'), PLAYBOOK);
});

/** The banners and result lines, times made alike, runbook's own lines (took, Finished, the report) and 2.14's config line left out. */
function lines(out: string): string[] {
  return out
    .split('\n')
    .map((l) =>
      l
        .replace(/"(start|end)": "\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}"/g, '"$1": "T"')
        .replace(/"delta": "\d+:\d\d:\d\d\.\d{6}"/g, '"delta": "D"')
        .replace(/ \*+$/, ''),
    )
    .filter((l) => l.trim() !== '' && !/^(took |Finished in |Incident report: |No config file found|Using .* as config file)/.test(l))
    .map((l) => (/^(ok|changed|skipping|fatal|failed): /.test(l) ? l : l.trimEnd()))
    .filter((l) => !/^\S+ +: ok=/.test(l));
}

async function both(extra: string[]): Promise<{ ansible: string[]; runbook: string[] }> {
  const a = await promisify(execFile)('ansible-playbook', ['-i', 'inv.ini', 'pb.yml', ...extra], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0' },
  });
  const r = await runCli(['apply', 'pb.yml', '-i', 'inv.ini', '--yes', '-o', 'plain', '-e', `runbook_lock_file=${dir}/rb.lock`, ...extra], {
    cwd: dir,
  });
  expect(r.code).toBe(0);
  return { ansible: lines(a.stdout), runbook: lines(r.stdout) };
}

describe('result lines as ansible-playbook 2.14 prints them', () => {
  it('-v: the same lines and the same => {json}', async () => {
    const { ansible, runbook } = await both(['-v']);
    expect(ansible).toContain(
      'ok: [localhost] => {"changed": false, "cmd": ["echo", "hi"], "delta": "D", "end": "T", "msg": "", "rc": 0, "start": "T", "stderr": "", "stderr_lines": [], "stdout": "hi", "stdout_lines": ["hi"]}',
    );
    expect(ansible).toContain(
      'skipping: [localhost] => (item=1)  => {"ansible_loop_var": "item", "item": 1}', // debug's result: without changed and skip_reason
    );
    expect(runbook).toEqual(ansible);
  });

  it('without -v: loop labels are Python str() of the item', async () => {
    const { ansible, runbook } = await both([]);
    // (a failed item's line: without -v runbook's is shorter than 2.14's JSON, docs/ansible-compatibility.md)
    const labels = (l: string[]) => l.filter((x) => x.includes('(item=') && !x.startsWith('failed: '));
    expect(labels(ansible)).toContain("ok: [localhost] => (item={'name': 'a', 'n': 1, 't': True, 'none': None}) => {");
    expect(labels(ansible)).toContain('skipping: [localhost] => (item=1) '); // its trailing space
    expect(labels(runbook)).toEqual(labels(ansible));
  });
});
