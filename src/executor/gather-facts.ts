// `gather_facts`: the `setup` module on every host of the batch before its first task (one
// round trip per host), shown as Ansible's "Gathering Facts" task. Unset, it runs when the
// play uses facts (src/playbook/facts-use.ts); true/false decide.
import type { Task } from '../playbook/model.js';
import type { Inherited } from './keywords.js';
import type { PlayState } from './play-state.js';
import type { RunContext } from './run-context.js';
import { boolOf } from './host-keywords.js';
import { runTaskOnHosts } from './task-hosts.js';
import { inventoryVarsOf } from './host-scope.js';
import { textUsesFacts } from '../playbook/facts-use.js';

export async function gatherFacts(ctx: RunContext, ps: PlayState, batch: readonly string[], base: Inherited): Promise<void> {
  const play = ps.play;
  const hosts = batch.filter((h) => ctx.states.get(h)!.active);
  if (play.gatherFacts === 'auto') {
    // unset: only when the play, its roles or its hosts' inventory variables use a fact
    const used = play.usesFacts || hosts.some((h) => textUsesFacts(JSON.stringify(inventoryVarsOf(ctx, h))));
    if (!used) return;
  } else if (!boolOf(play.gatherFacts, { ...play.vars, ...ctx.options.extraVars }, false)) return;
  if (hosts.length === 0) return;
  const task: Task = {
    kind: 'task',
    name: 'Gathering Facts',
    module: 'setup',
    // (a templated gather_subset is rendered with the task's arguments)
    args: play.gatherSubset !== undefined ? { gather_subset: play.gatherSubset } : {},
    when: [],
    tags: ['always'],
    vars: {},
    notify: [],
    listen: [],
    file: play.pos.file,
    pos: play.pos,
  };
  // facts are read-only: gathered in check mode too; a failure fails the host, as in Ansible
  await runTaskOnHosts(ctx, ps, task, hosts, { ...base, checkMode: false, runOnce: false }, false);
}
