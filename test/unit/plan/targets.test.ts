// A plan or apply that would target no host is an error (plan/targets.ts), on real files.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyInventory, loadInventory } from '../../../src/inventory/index.js';
import { moduleCatalog } from '../../../src/modules/catalog.js';
import { loadPlaybook } from '../../../src/playbook/load.js';
import { checkTargets, describeNoTargets, emptyPlays } from '../../../src/plan/targets.js';

async function load(playbook: string, inventory?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'rb-targets-'));
  writeFileSync(join(dir, 'pb.yml'), playbook);
  const pb = loadPlaybook(join(dir, 'pb.yml'), moduleCatalog(), dir).playbook!;
  if (inventory === undefined) return { pb, inv: emptyInventory() };
  writeFileSync(join(dir, 'hosts.ini'), inventory);
  return { pb, inv: await loadInventory(join(dir, 'hosts.ini'), { cwd: dir }) };
}

const play = (hosts: string, extra = '') => `- hosts: ${hosts}\n  gather_facts: false\n${extra}  tasks:\n    - debug: msg=x\n`;

describe('plays that target no host', () => {
  it('no inventory: an error naming -i; localhost alone needs none', async () => {
    const a = await load(play('etcd'));
    expect(describeNoTargets(checkTargets(a.pb, a.inv, { inventoryGiven: false })!, '(none)')).toMatch(
      /no inventory given: .*-i INVENTORY/,
    );
    const b = await load(play('localhost'));
    expect(checkTargets(b.pb, b.inv, { inventoryGiven: false })).toBeUndefined();
  });

  it('a --limit matching nothing, an empty group, a misspelt group: errors naming the pattern', async () => {
    const inv = '[etcd]\netcd1 ansible_connection=local\n[spare]\n';
    const a = await load(play('etcd'), inv);
    expect(checkTargets(a.pb, a.inv, { inventoryGiven: true, limit: 'nomatch' })).toEqual({ reason: 'limit', limit: 'nomatch' });
    expect(checkTargets(a.pb, a.inv, { inventoryGiven: true, limit: 'etcd1' })).toBeUndefined();
    const b = await load(play('spare'), inv);
    expect(checkTargets(b.pb, b.inv, { inventoryGiven: true })).toMatchObject({ reason: 'empty-play', pattern: 'spare', unknown: [] });
    const c = await load(play('etdc'), inv);
    expect(describeNoTargets(checkTargets(c.pb, c.inv, { inventoryGiven: true })!, 'hosts.ini')).toMatch(
      /pb\.yml:1:3: play 'etdc': hosts 'etdc' matches no host of the inventory hosts\.ini \(it has no group or host 'etdc'\)/,
    );
  });

  it('some plays match hosts: the others are skipped as Ansible skips them, not an error; named for the warning', async () => {
    const inv = '[etcd]\netcd1 ansible_connection=local\n[spare]\n';
    const a = await load(play('etcd') + play('spare') + play('etdc'), inv);
    expect(checkTargets(a.pb, a.inv, { inventoryGiven: true })).toBeUndefined();
    expect(emptyPlays(a.pb, a.inv, { inventoryGiven: true }).map((e) => [e.pattern, e.unknown])).toEqual([
      ['spare', []],
      ['etdc', ['etdc']],
    ]);
    // every play empty: the error names the first
    const b = await load(play('spare') + play('etdc'), inv);
    expect(checkTargets(b.pb, b.inv, { inventoryGiven: true })).toMatchObject({ reason: 'empty-play', pattern: 'spare' });
  });

  it('a play may say it may be empty; groups made at run time (group_by) are the branches of a decision', async () => {
    const inv = '[etcd]\netcd1 ansible_connection=local\n[spare]\n';
    const a = await load(play('spare', '  vars:\n    runbook_hosts_may_be_empty: true\n'), inv);
    expect(checkTargets(a.pb, a.inv, { inventoryGiven: true })).toBeUndefined();
    const b = await load(`- hosts: etcd\n  gather_facts: false\n  tasks:\n    - group_by: { key: "dr_{{ 'x' }}" }\n${play('dr_x')}`, inv);
    expect(checkTargets(b.pb, b.inv, { inventoryGiven: true })).toBeUndefined();
  });

  it('a playbook with group_by still refuses an inventory without the group its first play targets', async () => {
    // -i 'nohost,' on the DR playbook: 'etcd' is no group of it, and no earlier play can make it
    const pb = `- hosts: etcd\n  gather_facts: false\n  tasks:\n    - group_by: { key: "dr_{{ 'x' }}" }\n${play('dr_x')}`;
    const a = await load(pb, 'nohost ansible_connection=local\n');
    expect(checkTargets(a.pb, a.inv, { inventoryGiven: true })).toMatchObject({ reason: 'empty-play', pattern: 'etcd', unknown: ['etcd'] });
  });
});
