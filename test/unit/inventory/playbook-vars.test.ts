// Inventory details that matter for existing Ansible projects: group_vars/ and host_vars/ beside the
// playbook are read after (over) the inventory's, and YAML scalars resolve as PyYAML does.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostVars, loadInventory } from '../../../src/inventory/index.js';
import { PyFloat } from '../../../src/core/python-float.js';

describe('vars beside the playbook', () => {
  it('playbook group_vars beat inventory group_vars; host_vars beat both', async () => {
    const d = mkdtempSync(join(tmpdir(), 'rb-pbv-'));
    for (const sub of ['inv/group_vars', 'pb/group_vars', 'pb/host_vars']) mkdirSync(join(d, sub), { recursive: true });
    writeFileSync(join(d, 'inv', 'hosts.yml'), 'etcd:\n  hosts:\n    e1:\n    e2:\n');
    writeFileSync(join(d, 'inv', 'group_vars', 'etcd.yml'), 'a: inventory\nb: inventory\nc: inventory\n');
    writeFileSync(join(d, 'pb', 'group_vars', 'etcd.yml'), 'b: playbook\nc: playbook\n');
    writeFileSync(join(d, 'pb', 'host_vars', 'e1.yml'), 'c: host\n');
    const inv = await loadInventory(join(d, 'inv'), { cwd: d, playbookDir: join(d, 'pb') });
    expect(hostVars(inv, 'e1')).toMatchObject({ a: 'inventory', b: 'playbook', c: 'host' });
    expect(hostVars(inv, 'e2')).toMatchObject({ a: 'inventory', b: 'playbook', c: 'playbook' });
    const without = await loadInventory(join(d, 'inv'), { cwd: d });
    expect(hostVars(without, 'e1')).toMatchObject({ b: 'inventory', c: 'inventory' });
  });

  it('scalars resolve as PyYAML does: host e1 stays "e1", y/n stay strings, 1e3 is a string, 1.0e+3 a float', async () => {
    const d = mkdtempSync(join(tmpdir(), 'rb-pbv-'));
    writeFileSync(
      join(d, 'hosts.yml'),
      'etcd:\n  hosts:\n    e1:\n      answer: y\n      other: n\n      big: 1e3\n      num: 1.0e+3\n      ok: yes\n',
    );
    const inv = await loadInventory(join(d, 'hosts.yml'), { cwd: d });
    expect([...inv.hosts.keys()]).toEqual(['e1']);
    expect(hostVars(inv, 'e1')).toMatchObject({ answer: 'y', other: 'n', big: '1e3', num: new PyFloat(1000), ok: true });
  });
});
