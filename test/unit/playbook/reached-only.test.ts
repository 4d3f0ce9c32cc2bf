// What ansible-playbook 2.14 accepts (--syntax-check and a run) and finds wrong only when a host
// reaches it: validate warns, naming file:line, and only that host fails at run time (each case
// checked with ansible-playbook 2.14 side by side; test/e2e/compat/reached-only.test.ts runs them).
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Diagnostic } from '../../../src/core/diagnostic.js';
import { loadPlaybook } from '../../../src/playbook/load.js';
import { moduleCatalog } from '../../../src/modules/catalog.js';

function load(map: Record<string, string>): Diagnostic[] {
  const d = mkdtempSync(join(tmpdir(), 'rb-reached-'));
  for (const [name, text] of Object.entries(map)) {
    mkdirSync(dirname(join(d, name)), { recursive: true });
    writeFileSync(join(d, name), text);
  }
  return [...loadPlaybook(join(d, 'site.yml'), moduleCatalog(), d).diagnostics];
}
const where = (ds: Diagnostic[], severity: 'error' | 'warning'): string[] =>
  ds.filter((x) => x.severity === severity).map((x) => `${x.pos.file}:${x.pos.line}: ${x.message}`);

const play = (tasks: string): string => `- hosts: all\n  tasks:\n${tasks}`;

describe('an included file that does not exist', () => {
  it('include_tasks of a missing file: a warning at the file name, guarded or not, in a play or a role', () => {
    const ds = load({
      'site.yml': play(
        '    - include_tasks: missing.yml\n      when: x is defined\n    - include_tasks: sub/gone.yml\n    - include_role: { name: r }\n',
      ),
      'roles/r/tasks/main.yml': '- include_tasks: nope.yml\n',
    });
    expect(where(ds, 'error')).toEqual([]);
    expect(where(ds, 'warning')).toEqual([
      "site.yml:3: included file 'missing.yml' does not exist (looked for missing.yml); a host that reaches it fails (Ansible: could not find or access it)",
      "site.yml:5: included file 'sub/gone.yml' does not exist (looked for sub/gone.yml); a host that reaches it fails (Ansible: could not find or access it)",
      "roles/r/tasks/main.yml:1: included file 'nope.yml' does not exist (looked for roles/r/tasks/nope.yml); a host that reaches it fails (Ansible: could not find or access it)",
    ]);
  });

  it('import_tasks and import_role of a missing file or role stay refused (Ansible refuses them at parse)', () => {
    const ds = load({ 'site.yml': play('    - import_tasks: missing.yml\n    - import_role: { name: absent }\n') });
    expect(where(ds, 'error').map((x) => x.replace(/ \(looked.*/, ''))).toEqual([
      "site.yml:3: task file not found: 'missing.yml'",
      "site.yml:4: role 'absent' not found",
    ]);
  });
});

describe('a module argument error Ansible finds only when the task runs', () => {
  const tasks =
    '    - get_url: { url: "http://x/y" }\n      when: inventory_hostname == "a"\n' +
    '    - block:\n        - file: { path: /x, state: sideways }\n      when: b is defined\n' +
    '    - include_tasks: inc.yml\n      when: c is defined\n';
  it('under a when (its own, a block’s, an include’s): a warning at the argument naming the when, and a task that fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-reached-'));
    writeFileSync(join(dir, 'site.yml'), play(tasks));
    writeFileSync(join(dir, 'inc.yml'), '- copy: { content: x }\n');
    const pb = loadPlaybook(join(dir, 'site.yml'), moduleCatalog(), dir);
    expect(pb.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
    expect(where([...pb.diagnostics], 'warning')).toEqual([
      `site.yml:3: module 'get_url': missing required key 'dest'; this task runs only when 'inventory_hostname == "a"': a host that gets there fails`,
      `site.yml:6: module 'file': 'state' must be one of: file, directory, absent, touch, link, hard (got string "sideways"); this task runs only when 'b is defined': a host that gets there fails`,
      `inc.yml:1: module 'copy': missing required key 'dest'; this task runs only when 'c is defined': a host that gets there fails`,
    ]);
    const first = pb.playbook!.plays[0]!.tasks[0]!;
    expect(first).toMatchObject({
      kind: 'task',
      module: 'fail',
      name: 'get_url',
      args: { msg: "module 'get_url': missing required key 'dest'" },
    });
  });

  it('unguarded it stays an error before anything runs (a deliberate difference: docs/ansible-compatibility.md)', () => {
    const ds = load({ 'site.yml': play('    - get_url: { url: "http://x/y" }\n    - file: path=/x state=sideways\n') });
    expect(where(ds, 'error').map((x) => x.replace(/ \(got.*/, ''))).toEqual([
      "site.yml:3: module 'get_url': missing required key 'dest'",
      "site.yml:4: module 'file': 'state' must be one of: file, directory, absent, touch, link, hard",
    ]);
  });
});

describe('arguments an Ansible action plugin ignores or finds only when it runs', () => {
  it("fetch's unknown arguments are dropped with a warning, as 2.14's fetch action ignores them", () => {
    const ds = load({ 'site.yml': play("    - fetch: { src: /etc/hostname, dest: /tmp/x/, flat: true, mode: '0644' }\n") });
    expect(where(ds, 'error')).toEqual([]);
    expect(where(ds, 'warning')).toEqual([
      "site.yml:3: module 'fetch': 'mode' ignored, as Ansible's fetch ignores arguments it does not know",
    ]);
  });

  it('an argument neither runbook nor Ansible has, under a when: a warning naming the when (copy flat: Unsupported parameters when reached)', () => {
    const guarded = load({ 'site.yml': play('    - copy: { content: a, dest: /tmp/b, flat: true }\n      when: method == "copy"\n') });
    expect(where(guarded, 'error')).toEqual([]);
    expect(where(guarded, 'warning').join('\n')).toMatch(
      /site\.yml:3: module 'copy': 'flat' is not an argument of runbook's built-in copy, and Ansible's: .*; this task runs only when 'method == "copy"': a host that gets there fails/,
    );
    const unguarded = load({ 'site.yml': play('    - copy: { content: a, dest: /tmp/b, flat: true }\n') });
    expect(where(unguarded, 'error').join('\n')).toMatch(
      /site\.yml:3: module 'copy': 'flat' is not an argument of runbook's built-in copy, and Ansible's/,
    );
  });
});
