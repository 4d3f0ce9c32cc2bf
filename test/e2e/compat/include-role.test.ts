// include_role side by side with ansible-playbook 2.14 (local connection): the include's own
// banner (`TASK [include_role : r1]`, its name when named, the role name as written, never the
// enclosing role's prefix, once for a loop, with `skipping:` when skipped) before the role's
// tasks; and which meta/main.yml dependencies run when a role is included again: a dependency
// already run in the play (by `roles:` or an earlier include) does not run again, one with
// allow_duplicates does, one with other parameters runs once for those, and the included role
// itself runs every time — unless the include says allow_duplicates: false and the role already
// ran on the host. Asserted on the printed lines, in order. Needs ansible-core.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { plainOutputs } from './side-by-side.js';

const PLAYBOOK = `
- hosts: all
  gather_facts: false
  vars:
    rn: r1
  roles: [dep]
  tasks:
    - include_role: name=r1
    - name: named include
      include_role:
        name: r1
    - include_role: name=r2
    - include_role: name=r2
    - include_role: name=outer
    - include_role: name={{ rn }}
    - include_role: name=r1
      when: false
    - include_role: name=r1
      loop: [1, 2]
    - include_role: name=dep
    - include_role: { name: r1, allow_duplicates: false }
    - include_role: { name: fresh, allow_duplicates: false }
    - include_role: { name: fresh, allow_duplicates: false }
`;

const ROLES: Record<string, { tasks: string; meta?: string }> = {
  dep: { tasks: '- debug: msg="dep {{ p | default(0) }}"\n' },
  dep2: { tasks: '- debug: msg="dep2"\n', meta: 'allow_duplicates: true\n' },
  r1: { tasks: '- debug: msg="r1"\n', meta: 'dependencies:\n  - role: dep\n' },
  r2: { tasks: '- debug: msg="r2"\n', meta: 'dependencies:\n  - dep2\n  - role: dep\n    p: 1\n' },
  outer: { tasks: '- include_role: name=r2\n' },
  fresh: { tasks: '- debug: msg="fresh"\n' },
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rb-include-role-'));
  for (const [name, r] of Object.entries(ROLES)) {
    mkdirSync(join(dir, 'roles', name, 'tasks'), { recursive: true });
    writeFileSync(join(dir, 'roles', name, 'tasks/main.yml'), r.tasks);
    if (r.meta) {
      mkdirSync(join(dir, 'roles', name, 'meta'));
      writeFileSync(join(dir, 'roles', name, 'meta/main.yml'), r.meta);
    }
  }
  writeFileSync(join(dir, 'site.yml'), PLAYBOOK);
  writeFileSync(
    join(dir, 'hosts.ini'),
    `local1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3 runbook_lock_file=${join(dir, 'l.lock')}\n`,
  );
});

/** banners, skipping lines and debug messages, in order, as printed */
function shown(out: string): string[] {
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^TASK \[/.test(l) || l.startsWith('skipping: ') || l.startsWith('"msg": '))
    .map((l) => l.replace(/ \*+$/, ''));
}

describe('include_role side by side with ansible-playbook 2.14', () => {
  it('prints the same banners and runs the same dependencies', async () => {
    const { ansible: stdout, runbook } = await plainOutputs(dir, 'site.yml', 'hosts.ini');
    const a = shown(stdout);
    expect(shown(runbook)).toEqual(a);
    // what 2.14 printed, for the reader (and so that a change in it is noticed)
    expect(a).toEqual([
      'TASK [dep : debug]',
      '"msg": "dep 0"',
      'TASK [include_role : r1]',
      'TASK [r1 : debug]',
      '"msg": "r1"',
      'TASK [named include]',
      'TASK [r1 : debug]',
      '"msg": "r1"',
      'TASK [include_role : r2]',
      'TASK [dep2 : debug]',
      '"msg": "dep2"',
      'TASK [dep : debug]',
      '"msg": "dep 1"',
      'TASK [r2 : debug]',
      '"msg": "r2"',
      'TASK [include_role : r2]',
      'TASK [dep2 : debug]',
      '"msg": "dep2"',
      'TASK [r2 : debug]',
      '"msg": "r2"',
      'TASK [include_role : outer]',
      'TASK [include_role : r2]',
      'TASK [dep2 : debug]',
      '"msg": "dep2"',
      'TASK [r2 : debug]',
      '"msg": "r2"',
      'TASK [include_role : {{ rn }}]',
      'TASK [r1 : debug]',
      '"msg": "r1"',
      'TASK [include_role : r1]',
      'skipping: [local1]',
      'TASK [include_role : r1]',
      'TASK [r1 : debug]',
      '"msg": "r1"',
      'TASK [r1 : debug]',
      '"msg": "r1"',
      'TASK [include_role : dep]',
      'TASK [dep : debug]',
      '"msg": "dep 0"',
      'TASK [include_role : r1]',
      'TASK [include_role : fresh]',
      'TASK [fresh : debug]',
      '"msg": "fresh"',
      'TASK [include_role : fresh]',
    ]);
  });
});
