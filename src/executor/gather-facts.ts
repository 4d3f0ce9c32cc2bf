// `gather_facts: true`: the `setup` module on every host of the batch before its first task
// (one round trip per host), shown as Ansible's "Gathering Facts" task.
import type { Task } from '../playbook/model.js';
import type { Inherited } from './keywords.js';
import type { PlayState } from './nodes.js';
import type { RunContext } from './run-context.js';
import { boolOf, runTaskOnHosts } from './task-hosts.js';

export async function gatherFacts(ctx: RunContext, ps: PlayState, batch: readonly string[], base: Inherited): Promise<void> {
  const play = ps.play;
  if (!boolOf(play.gatherFacts, { ...play.vars, ...ctx.options.extraVars })) return;
  const hosts = batch.filter((h) => ctx.states.get(h)!.active);
  if (hosts.length === 0) return;
  const task: Task = {
    kind: 'task', name: 'Gathering Facts', module: 'setup', args: {}, when: [], tags: ['always'], vars: {},
    notify: [], listen: [], file: play.pos.file, pos: play.pos,
  };
  // facts are read-only: gathered in check mode too; a failure fails the host, as in Ansible
  await runTaskOnHosts(ctx, ps, task, hosts, { ...base, checkMode: false, runOnce: false }, false);
}
