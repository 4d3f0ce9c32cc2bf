// What Ansible 2.14 templates while it reads a playbook (an import_playbook file name, a role name in
// `roles:`: the entry's vars, playbook_dir, lookups), and what it reads only when it runs (a filter or
// lookup runbook lacks, in a file include_tasks brings in: a warning, not a refusal).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { staticLookups } from '../../../src/executor/lookups.js';
import { moduleCatalog } from '../../../src/modules/catalog.js';
import { loadPlaybook } from '../../../src/playbook/load.js';

function files(map: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'rb-loadtpl-'));
  for (const [name, text] of Object.entries(map)) {
    mkdirSync(dirname(join(d, name)), { recursive: true });
    writeFileSync(join(d, name), text);
  }
  return d;
}

const load = (d: string) => loadPlaybook(join(d, 'site.yml'), moduleCatalog(), d, { lookups: staticLookups });
const shown = (d: string, severity: 'error' | 'warning') =>
  load(d)
    .diagnostics.filter((x) => x.severity === severity)
    .map((x) => `${x.pos.file}:${x.pos.line}: ${x.message}`);

describe('templates Ansible renders while loading', () => {
  it("import_playbook's file name with the entry's vars and lookups", () => {
    process.env['RB_LOADTPL_DIR'] = 'sub';
    const d = files({
      'site.yml':
        '- import_playbook: "{{ which }}.yml"\n  vars: { which: a }\n- import_playbook: "{{ lookup(\'env\', \'RB_LOADTPL_DIR\') }}/b.yml"\n',
      'a.yml': '- hosts: all\n  tasks: [{ debug: msg=a }]\n',
      'sub/b.yml': '- hosts: all\n  tasks: [{ debug: msg=b }]\n',
    });
    const r = load(d);
    expect(r.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
    expect(r.playbook!.plays.length).toBe(2);
  });

  it("a role name with lookup('env') (molecule's converge.yml), and without the lookups it is undefined", () => {
    process.env['RB_LOADTPL_ROLE'] = '/somewhere/ansible-role-x';
    const d = files({
      'site.yml': "- hosts: all\n  roles:\n    - role: \"{{ lookup('env', 'RB_LOADTPL_ROLE') | basename }}\"\n",
      'roles/ansible-role-x/tasks/main.yml': '- debug: msg=x\n',
    });
    expect(shown(d, 'error')).toEqual([]);
    expect(JSON.stringify(load(d).playbook!.plays[0]!.tasks)).toContain('ansible-role-x');
    const bare = loadPlaybook(join(d, 'site.yml'), moduleCatalog(), d).diagnostics.filter((x) => x.severity === 'error');
    expect(bare.map((x) => x.message)).toEqual([expect.stringMatching(/'lookup' is undefined/)]);
  });
});

describe('what Ansible reads only when it runs', () => {
  it('a filter or lookup runbook lacks: a warning in an included file or under a block when, an error in the play itself', () => {
    const d = files({
      'site.yml':
        '- hosts: all\n  tasks:\n    - include_tasks: more.yml\n    - block:\n        - debug: msg="{{ x | nosuchfilter }}"\n      when: go\n    - debug: msg="{{ lookup(\'redis\', \'k\') }}"\n',
      'more.yml': '- debug: msg="{{ x | nosuchfilter }}"\n- debug: msg="{{ lookup(\'redis\', \'k\') }}"\n- debug: msg="{{ x | }}"\n',
    });
    expect(shown(d, 'warning')).toEqual([
      expect.stringMatching(/^more\.yml:1: template syntax error: no filter named 'nosuchfilter'; it is in a file an include brings in/),
      expect.stringMatching(/^more\.yml:2: lookup plugin 'redis' is not supported .*; it is in a file an include brings in/),
      expect.stringMatching(
        /^site\.yml:5: template syntax error: no filter named 'nosuchfilter'; it runs only when 'go': a host that gets there fails/,
      ),
    ]);
    // a real syntax error stays an error wherever it is; so does a missing lookup the play always reaches
    expect(shown(d, 'error')).toEqual([
      expect.stringMatching(/^more\.yml:3: template syntax error/),
      expect.stringMatching(/^site\.yml:7: lookup plugin 'redis' is not supported/),
    ]);
  });
});

describe('gather_facts left unset', () => {
  it('a play whose include_role or include_tasks name is templated gathers (what it brings is unread)', () => {
    const d = files({
      'site.yml':
        '- hosts: all\n  tasks:\n    - include_role: { name: "{{ which }}" }\n- hosts: all\n  tasks:\n    - include_tasks: "{{ which }}.yml"\n- hosts: all\n  tasks:\n    - include_tasks: plain.yml\n',
      'plain.yml': '- debug: msg=x\n',
    });
    expect(load(d).playbook!.plays.map((p) => p.usesFacts)).toEqual([true, true, false]);
  });
});
