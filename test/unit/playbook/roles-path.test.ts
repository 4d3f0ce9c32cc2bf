// Where roles are found: roles/ beside the playbook, --roles-path, ANSIBLE_ROLES_PATH, the
// roles_path of an ansible.cfg beside the playbook, then the playbook's directory.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlaybook } from '../../../src/playbook/load.js';
import { moduleCatalog } from '../../../src/modules/catalog.js';
import { iniValue, rolesPathFor } from '../../../src/playbook/ansible-cfg.js';
import type { Block } from '../../../src/playbook/model.js';

function project(): string {
  const d = mkdtempSync(join(tmpdir(), 'rb-rp-'));
  mkdirSync(join(d, 'pb'), { recursive: true });
  writeFileSync(join(d, 'pb', 'site.yml'), '- hosts: all\n  roles: [r]\n');
  for (const where of ['cli', 'env', 'cfg', 'pb/roles']) {
    mkdirSync(join(d, where, 'r', 'tasks'), { recursive: true });
    writeFileSync(join(d, where, 'r', 'tasks', 'main.yml'), `- debug: msg=${where}\n`);
  }
  return d;
}

/** which copy of role r the play runs: the debug message of its task */
function found(d: string, rolesPath: string[] = []): string | undefined {
  const r = loadPlaybook(join(d, 'pb', 'site.yml'), moduleCatalog(), d, { rolesPath });
  const outer = r.playbook?.plays[0]?.tasks[0] as Block | undefined;
  const role = outer?.block[0] as Block | undefined;
  const task = role?.block[0];
  return task?.kind === 'task' ? String(task.args['msg']) : r.diagnostics.map((x) => x.message).join('; ');
}

describe('roles path', () => {
  it('roles/ beside the playbook comes first, then --roles-path, ANSIBLE_ROLES_PATH, ansible.cfg', () => {
    const d = project();
    writeFileSync(join(d, 'pb', 'ansible.cfg'), '[defaults]\n# comment\nroles_path = ../cfg:/nonexistent ; trailing\n');
    expect(found(d, [join(d, 'cli')])).toBe('pb/roles');
    rmSync(join(d, 'pb', 'roles'), { recursive: true });
    expect(found(d, [join(d, 'cli')])).toBe('cli');
    process.env['ANSIBLE_ROLES_PATH'] = join(d, 'env');
    try {
      expect(found(d)).toBe('env');
    } finally {
      delete process.env['ANSIBLE_ROLES_PATH'];
    }
    expect(found(d)).toBe('cfg');
    rmSync(join(d, 'cfg'), { recursive: true });
    expect(found(d)).toMatch(/role 'r' not found \(looked in .*roles, .*nonexistent/);
  });

  it('reads roles_path from [defaults] only, with ~ and relative paths resolved', () => {
    expect(iniValue('[ssh_connection]\nroles_path=x\n[defaults]\nroles_path: a:b\n', 'defaults', 'roles_path')).toBe('a:b');
    expect(rolesPathFor('/p', [], { HOME: '/h' }, '/c')).toEqual([]);
    expect(rolesPathFor('/p', ['x:/abs'], {}, '/c')).toEqual(['/c/x', '/abs']);
  });

  it('as Ansible, the first config found applies: $ANSIBLE_CONFIG, ./ansible.cfg, then the one beside the playbook', () => {
    const d = project();
    mkdirSync(join(d, 'cwd'));
    writeFileSync(join(d, 'cwd', 'ansible.cfg'), '[defaults]\nroles_path = ../cli\n');
    writeFileSync(join(d, 'pb', 'ansible.cfg'), '[defaults]\nroles_path = ../cfg\n');
    writeFileSync(join(d, 'env.cfg'), '[defaults]\nroles_path = env\n');
    expect(rolesPathFor(join(d, 'pb'), [], {}, join(d, 'cwd'))).toEqual([join(d, 'cli')]);
    expect(rolesPathFor(join(d, 'pb'), [], {}, d)).toEqual([join(d, 'cfg')]);
    expect(rolesPathFor(join(d, 'pb'), [], { ANSIBLE_CONFIG: join(d, 'env.cfg') }, join(d, 'cwd'))).toEqual([join(d, 'env')]);
  });
});
