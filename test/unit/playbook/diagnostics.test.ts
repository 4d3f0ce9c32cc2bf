// `runbook validate` diagnostics: each kind of bad input gets its own one-line message at the
// offending node (FILE:LINE:COL), never at the top of the file, never a crash.
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderDiagnostic } from '../../../src/core/diagnostic.js';
import { loadPlaybook } from '../../../src/playbook/load.js';
import { moduleCatalog } from '../../../src/modules/catalog.js';

const dir = mkdtempSync(join(tmpdir(), 'runbook-diag-'));

/** Writes the files (first one is the playbook) and returns its diagnostics as `LINE:COL: message`. */
function diagnose(files: Record<string, string>): string[] {
  const names = Object.keys(files);
  const sub = mkdtempSync(join(dir, 'case-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(sub, name)), { recursive: true });
    writeFileSync(join(sub, name), text);
  }
  const r = loadPlaybook(names[0]!, moduleCatalog(), sub);
  return r.diagnostics.map((d) => renderDiagnostic(d, false).replace(`${d.pos.file}:`, ''));
}

const one = (text: string) => diagnose({ 'pb.yml': text });

describe('validate: one message per kind of bad input', () => {
  const cases: [string, string, string][] = [
    ['empty file', '', '1:1: the playbook is empty: expected a list of plays (- hosts: ...)'],
    ['comment-only file', '# nothing\n', '1:1: the playbook is empty: expected a list of plays (- hosts: ...)'],
    ['scalar instead of a list', 'hello\n', '1:1: a playbook must be a list of plays, got the string "hello"'],
    [
      'a play without the dash',
      'hosts: all\ntasks: []\n',
      "1:1: a playbook is a list of plays: start the play with '- ' (e.g. '- hosts: all')",
    ],
    ['play that is a string', '- hosts\n', `1:3: a play must be a mapping with 'hosts:' and 'tasks:', got the string "hosts"`],
    ['missing hosts', '- name: x\n  tasks: []\n', "1:3: a play needs 'hosts:' (e.g. 'hosts: etcd')"],
    ['tasks not a list', '- hosts: all\n  tasks: ping\n', `2:10: 'tasks' must be a list of tasks, got the string "ping"`],
    [
      'task that is a string',
      '- hosts: all\n  tasks:\n    - ping\n',
      '3:7: a task must be a mapping (e.g. \'- name: ...\' then a module), got the string "ping"',
    ],
    [
      'unknown module with suggestion',
      '- hosts: all\n  tasks:\n    - comand: ls\n',
      "3:7: unknown module 'comand' (did you mean 'command'?)",
    ],
    [
      'fully qualified unknown module',
      '- hosts: all\n  tasks:\n    - ansible.builtin.comand: ls\n',
      "3:7: unknown module 'ansible.builtin.comand' (did you mean 'command'?)",
    ],
    [
      'two modules in one task',
      '- hosts: all\n  tasks:\n    - command: ls\n      shell: ls\n',
      "4:7: a task runs exactly one module; this one has 'command' and 'shell'",
    ],
    [
      'no module',
      '- hosts: all\n  tasks:\n    - name: nothing\n      when: true\n',
      "3:7: this task has no module (keys: name, when); add one, e.g. 'command: ...'",
    ],
    [
      'misspelt task keyword',
      '- hosts: all\n  tasks:\n    - command: ls\n      registr: out\n',
      "4:7: unknown task keyword 'registr' (did you mean 'register'?)",
    ],
    ['misspelt play keyword', '- hosts: all\n  taks: []\n', "2:3: unknown play keyword 'taks' (did you mean 'tasks'?)"],
    [
      'retries: many',
      '- hosts: all\n  tasks:\n    - command: ls\n      register: r\n      until: r.rc == 0\n      retries: many\n',
      `6:16: 'retries' must be an integer (got string "many")`,
    ],
    ['broken {{', '- hosts: all\n  tasks:\n    - debug:\n        msg: "{{ oops "\n', '4:'],
    ['broken when expression', '- hosts: all\n  tasks:\n    - command: ls\n      when: x ==\n', '4:'],
    ['bad module argument type', '- hosts: all\n  tasks:\n    - wait_for:\n        port: twenty\n', '4:15:'],
    ['unknown module argument', '- hosts: all\n  tasks:\n    - copy:\n        dest: /tmp/x\n        contnet: hi\n', '5:9:'],
    ['include target missing', '- hosts: all\n  tasks:\n    - import_tasks: nope.yml\n', "3:21: task file not found: 'nope.yml'"],
    ['bad YAML indentation', '- hosts: all\n  tasks:\n    - command: ls\n     register: x\n', '4:'],
    [
      'YAML syntax error (unclosed quote)',
      '- hosts: all\n  tasks:\n    - command: "ls\n',
      '3:16: YAML syntax error: unclosed double quote',
    ],
    ['vars not a mapping', '- hosts: all\n  vars: [a, b]\n  tasks: []\n', '2:9:'],
    ['serial of the wrong kind', '- hosts: all\n  serial: {a: 1}\n  tasks: []\n', '2:11:'],
    ['unsupported strategy', '- hosts: all\n  strategy: host_pinned\n  tasks: []\n', '2:13:'],
    [
      'task-only keyword on a play',
      '- hosts: all\n  register: x\n  tasks: []\n',
      "2:3: 'register' belongs to a task, not a play: put it on a task under 'tasks:'",
    ],
    [
      // accepted, as Ansible 2.14, which never runs them: said once
      'handler that is a block with rescue',
      '- hosts: all\n  tasks: []\n  handlers:\n    - block:\n        - command: ls\n      rescue:\n        - command: ls\n',
      "4:7: warning: a handler block's rescue/always tasks never run",
    ],
    ['free-form string for a mapping-only module', '- hosts: all\n  tasks:\n    - stat: /etc/hosts\n', '3:13:'],
    ['loop that is a mapping', '- hosts: all\n  tasks:\n    - debug: msg=x\n      loop: {a: 1}\n', '4:13:'],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => {
      const got = one(text);
      expect(got.length, `diagnostics: ${JSON.stringify(got)}`).toBeGreaterThan(0);
      expect(got[0]!.startsWith(expected), `got: ${got[0]}`).toBe(true);
    });
  }

  it('a valid playbook has no diagnostics', () => {
    expect(one('- hosts: all\n  tasks:\n    - command: ls -l\n      register: out\n    - debug:\n        var: out.stdout\n')).toEqual([]);
  });

  it('an include cycle is named with the chain', () => {
    const got = diagnose({
      'pb.yml': '- hosts: all\n  tasks:\n    - import_tasks: a.yml\n',
      'a.yml': '- import_tasks: b.yml\n',
      'b.yml': '- import_tasks: a.yml\n',
    });
    expect(got.some((d) => d.includes('includes itself') && d.includes('a.yml') && d.includes('b.yml'))).toBe(true);
  });

  it('errors in an imported file point into that file', () => {
    const sub = diagnose({
      'pb.yml': '- hosts: all\n  tasks:\n    - import_tasks: tasks/t.yml\n',
      'tasks/t.yml': '- name: ok\n  command: ls\n- name: bad\n  comand: ls\n',
    });
    expect(sub[0]).toMatch(/^4:3: unknown module 'comand'/);
  });

  it('reports every problem, not only the first', () => {
    const got = one('- hosts: all\n  tasks:\n    - comand: ls\n    - shel: ls\n');
    expect(got.length).toBe(2);
  });
});
