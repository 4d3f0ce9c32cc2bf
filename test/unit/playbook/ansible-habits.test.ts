// Input found in real Ansible projects: what loads, and the one clear message for what does not.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadPlaybook } from '../../../src/playbook/load.js';
import { moduleCatalog } from '../../../src/modules/catalog.js';

function load(map: Record<string, string>): string[] {
  const d = mkdtempSync(join(tmpdir(), 'rb-habits-'));
  for (const [name, text] of Object.entries(map)) {
    mkdirSync(dirname(join(d, name)), { recursive: true });
    writeFileSync(join(d, name), text);
  }
  return loadPlaybook(join(d, 'site.yml'), moduleCatalog(), d).diagnostics.map(
    (x) => `${x.pos.file}:${x.pos.line}:${x.pos.col}: ${x.message}`,
  );
}

describe('Ansible habits', () => {
  it('yes/no keywords (YAML 1.1 booleans) are accepted', () => {
    expect(
      load({
        'site.yml':
          '- hosts: all\n  gather_facts: no\n  become: yes\n  tasks:\n    - command: /bin/true\n      check_mode: no\n      ignore_errors: yes\n',
      }),
    ).toEqual([]);
  });

  it('set_fact with a templated name loads; a literal invalid name is refused at the key', () => {
    expect(
      load({ 'site.yml': '- hosts: all\n  tasks:\n    - set_fact: { "{{ item.key }}": "{{ item.value }}" }\n      loop: []\n' }),
    ).toEqual([]);
    expect(load({ 'site.yml': '- hosts: all\n  tasks:\n    - set_fact: { "bad name": 1 }\n' })).toEqual([
      "site.yml:3:19: module 'set_fact': 'bad name' is not a valid variable name (letters, digits and _, not starting with a digit)",
    ]);
  });

  it("a playbook-level 'include:' points to import_playbook, with no second error", () => {
    expect(load({ 'site.yml': '- include: other.yml\n' })).toEqual([
      "site.yml:1:3: 'include' of a playbook was removed from Ansible: write 'import_playbook: FILE'",
    ]);
  });

  it('a broken role used by three plays is reported once', () => {
    const play = '- hosts: all\n  roles: [r]\n';
    expect(load({ 'site.yml': play + play + play, 'roles/r/tasks/main.yml': '- comand: ls\n' })).toEqual([
      "roles/r/tasks/main.yml:1:3: unknown module 'comand' (did you mean 'command'?)",
    ]);
  });

  it('a literal template/copy src that exists nowhere is a validate error; found in the role or the playbook dir it loads', () => {
    expect(load({ 'site.yml': '- hosts: all\n  tasks:\n    - template: src=etcd.conf.j2 dest=/tmp/x\n' })[0]).toMatch(
      /^site\.yml:3:17: template: source file not found: 'etcd\.conf\.j2' \(looked in templates and beside them\)/,
    );
    expect(
      load({
        'site.yml':
          '- hosts: all\n  roles: [r]\n  tasks:\n    - copy: src=motd dest=/tmp/x\n    - copy: src="{{ x }}" dest=/tmp/y\n    - copy: src=/abs/elsewhere dest=/tmp/z\n',
        'roles/r/tasks/main.yml': '- template: { src: a.j2, dest: /tmp/a }\n',
        'roles/r/templates/a.j2': 'x\n',
        'files/motd': 'hi\n',
      }),
    ).toEqual([]);
  });

  it('import_tasks under handlers: each imported task is a handler with the import keywords', async () => {
    const d = mkdtempSync(join(tmpdir(), 'rb-habits-'));
    writeFileSync(join(d, 'site.yml'), '- hosts: all\n  tasks: []\n  handlers:\n    - import_tasks: h.yml\n      when: x is defined\n');
    writeFileSync(join(d, 'h.yml'), '- name: restart etcd\n  debug: msg=r\n');
    const r = loadPlaybook(join(d, 'site.yml'), moduleCatalog(), d);
    expect(r.diagnostics).toEqual([]);
    const h = r.playbook!.plays[0]!.handlers;
    expect(h.map((t) => [t.name, t.when])).toEqual([['restart etcd', ['x is defined']]]);
    // an include_tasks handler loads as in Ansible 2.14 (it runs its include when notified: e2e compat/ansible-spellings.test.ts)
    expect(load({ 'site.yml': '- hosts: all\n  handlers:\n    - include_tasks: h.yml\n', 'h.yml': '- debug: msg=x\n' })).toEqual([]);
  });

  it('a notify that names no handler is a warning at the task (Ansible fails only the run that notifies it); FQCN and mapping include_tasks/import_tasks load', () => {
    expect(
      load({
        'site.yml':
          '- hosts: all\n  tasks:\n    - command: /bin/true\n      notify: restart etcd\n  handlers:\n    - name: Restart etcd\n      debug: msg=r\n',
      }),
    ).toEqual([
      "site.yml:3:7: notify: no handler is named or listens to 'restart etcd' (did you mean 'Restart etcd'?); a host where this task changes fails (as Ansible's \"requested handler was not found\")",
    ]);
    expect(
      load({
        'site.yml':
          '- hosts: all\n  tasks:\n    - ansible.builtin.import_tasks: a.yml\n    - ansible.builtin.include_tasks: { file: a.yml, apply: { become: true } }\n    - import_tasks: { file: a.yml }\n    - include_tasks: a.yml\n      args: { apply: { tags: [x] } }\n',
        'a.yml': '- debug: msg=a\n',
      }),
    ).toEqual([]);
    expect(
      load({ 'site.yml': '- hosts: all\n  tasks:\n    - include_tasks: a.yml\n      args: { bogus: 1 }\n', 'a.yml': '- debug: msg=a\n' }),
    ).toEqual(["site.yml:4:13: include_tasks takes only 'apply' under args"]);
  });
});
