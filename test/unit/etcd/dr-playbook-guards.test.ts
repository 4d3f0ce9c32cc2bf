// Expressions of playbooks/disaster-recovery.yml evaluated as written, on the states they must
// survive (issue 15 leftovers): the rejoin play's `when:` with a survivor whose status was not
// read (O5), the verify play's split of the missing members into unreachable and failed (O2),
// and the key-count task marked unknown for plans (O3).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { evaluate, evaluateBool, renderString } from '../../../src/template/index.js';

const PLAYBOOK = fileURLToPath(new URL('../../../playbooks/disaster-recovery.yml', import.meta.url));
type Task = Record<string, any>;
type Play = { name: string; vars?: Record<string, string>; tasks: Task[] };
const plays = parse(readFileSync(PLAYBOOK, 'utf8'), { merge: true, maxAliasCount: -1 }) as Play[];
const play = (name: string): Play => plays.find((p) => p.name === name)!;
const task = (p: Play, name: string): Task => p.tasks.find((t) => t['name'] === name)!;

describe('disaster-recovery.yml guards', () => {
  it("the rejoin `when:` holds when the survivor's status is unknown (no error), and is false for a member already in the cluster", () => {
    const rejoin = task(play('Rejoin the other members, one at a time'), 'Rejoin it');
    const when = String(rejoin['when']);
    const member = { healthy: true, serving: true, status: { cluster_id: 'c1' }, members: [{ name: 'etcd2', is_learner: false }] };
    const scope = { etcd_name: 'etcd2', etcd_member: member, sv: { etcd_member: { healthy: false, serving: false } } };
    expect(evaluateBool(when, scope)).toBe(true); // not known to be in the survivor's cluster: rejoin it
    expect(evaluateBool(when, { ...scope, sv: {} })).toBe(true);
    expect(evaluateBool(when, { ...scope, sv: { etcd_member: { status: { cluster_id: 'c1' } } } })).toBe(false);
    const inCluster = String(rejoin['vars']['in_cluster']);
    expect(renderString(inCluster, scope)).toBe('False');
  });

  it('missing members are split: never read → unreachable, read then dropped → failed', () => {
    const vars = play('Verify the cluster').vars!;
    const hostvars = {
      etcd1: { inventory_hostname: 'etcd1', etcd_member: {} },
      etcd2: { inventory_hostname: 'etcd2', etcd_member: {} },
      etcd3: { inventory_hostname: 'etcd3' },
    };
    const scope: Record<string, unknown> = { groups: { etcd: ['etcd1', 'etcd2', 'etcd3'] }, ansible_play_hosts: ['etcd1'], hostvars };
    scope['dr_gone'] = evaluate(vars['dr_gone']!.replace(/^\{\{|\}\}$/g, ''), scope);
    scope['dr_unreachable'] = evaluate(vars['dr_unreachable']!.replace(/^\{\{|\}\}$/g, ''), scope);
    expect(scope['dr_unreachable']).toEqual(['etcd3']);
    expect(evaluate(vars['dr_failed']!.replace(/^\{\{|\}\}$/g, ''), scope)).toEqual(['etcd2']);
  });

  it('the key count written into the record is unknown in plans, and runs there', () => {
    const keep = task(play("Count the survivor's keys"), 'Keep the key count in the recovery record');
    expect(keep['tags']).toContain('unknown_in_plan');
    const scope = { recovery: { record: { id: 'x' } }, etcd_member: {}, ansible_check_mode: true };
    expect(evaluateBool(String(keep['when']), scope)).toBe(true);
    expect(evaluateBool(String(keep['when']), { ...scope, ansible_check_mode: false })).toBe(false);
  });
});
