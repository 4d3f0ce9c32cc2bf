// Every change a run makes to a host's state, in one place: a task's outcome applied (counters,
// register, facts, notify, failed/unreachable, add_host/group_by), a host failed outside a module
// run, hosts rescued by a block or run by its `always:`, ended by meta, and back for the next
// play. The rest of the executor reads HostState (state.ts) and writes it only through here.
import { randomBytes } from 'node:crypto';
import type { ModuleResult } from '../core/result.js';
import type { SourcePos } from '../core/source.js';
import { addHost, addToGroup } from '../inventory/index.js';
import type { Module } from '../modules/types.js';
import type { Task } from '../playbook/model.js';
import type { Counters, ResultView } from './events.js';
import { invalidateInventoryCache } from './host-scope.js';
import type { RunContext } from './run-context.js';
import { HostState } from './state.js';
import type { TaskOutcome } from './task.js';

/** A play's hosts get a state the first time a play names them (it lasts the run). */
export function enterPlay(ctx: RunContext, hosts: readonly string[]): void {
  for (const h of hosts) if (!ctx.states.has(h)) ctx.states.set(h, new HostState(h));
}

/** Hosts ended by meta: end_play / end_host take part in later plays again. */
export function leavePlay(ctx: RunContext, hosts: readonly string[]): void {
  for (const h of hosts) {
    const s = ctx.states.get(h)!;
    if (s.status === 'ended') s.status = 'active';
  }
}

/** meta: end_play / end_host: the active ones among `hosts` run no further task in this play. */
export function endHosts(ctx: RunContext, hosts: readonly string[]): void {
  for (const h of hosts) if (ctx.states.get(h)!.active) ctx.states.get(h)!.status = 'ended';
}

/** One more on a counter of each host (an include counted ok per file, skipped when not taken). */
export function tally(ctx: RunContext, hosts: readonly string[], counter: keyof Counters): void {
  for (const h of hosts) ctx.states.get(h)!.counters[counter]++;
}

/** The names (or listen topics) notified on a host since the last flush, forgotten there. */
export function takeNotified(ctx: RunContext, host: string): Set<string> | undefined {
  const s = ctx.states.get(host)!;
  const pending = s.active && s.notified.size > 0 ? new Set(s.notified) : undefined;
  s.notified.clear();
  return pending;
}

/** A block's `rescue:` takes the hosts that failed in it: active again, counted rescued, not failed. */
export function rescueHosts(ctx: RunContext, hosts: readonly string[]): void {
  for (const h of hosts) {
    const s = ctx.states.get(h)!;
    s.status = 'active';
    s.counters.failed = Math.max(0, s.counters.failed - 1);
    s.counters.rescued++;
  }
}

/** A block's `always:` runs for hosts that failed in the block too; they stay failed afterwards. */
export async function alsoOnFailed(ctx: RunContext, hosts: readonly string[], run: () => Promise<void>): Promise<void> {
  const stillFailed = hosts.filter((h) => ctx.states.get(h)!.status === 'failed');
  for (const h of stillFailed) ctx.states.get(h)!.status = 'active';
  await run();
  for (const h of stillFailed) {
    const s = ctx.states.get(h)!;
    if (s.status === 'active') s.status = 'failed';
  }
}

/**
 * Fail a host outside a module run (an include that cannot be loaded, vars_files). With `at`
 * the failure is shown as a task result (a `fatal:` line, counted by plan and the journal).
 */
export function failHost(ctx: RunContext, host: string, message: string, at?: { readonly task: string; readonly pos: SourcePos }): void {
  if (at) {
    const id = randomBytes(4).toString('hex');
    const time = Date.now();
    ctx.bus.emit({ type: 'task-start', id, task: at.task, module: at.task, hosts: [host], handler: false, pos: at.pos, time });
    ctx.bus.emit({
      type: 'host-result',
      id,
      task: at.task,
      host,
      result: { status: 'failed', msg: message } as ResultView,
      durationMs: 0,
      time,
    });
    ctx.bus.emit({ type: 'task-end', id, task: at.task, time });
  } else {
    ctx.bus.emit({ type: 'warning', host, message });
  }
  const s = ctx.states.get(host)!;
  s.status = 'failed';
  s.counters.failed++;
}

/** Apply a host's outcome to its state; returns true when the host now counts as failed. */
export function recordOutcome(
  ctx: RunContext,
  task: Task,
  factsLevel: Module['factsLevel'],
  host: string,
  o: TaskOutcome,
  ignoreErrors: boolean,
  ignoreUnreachable: boolean,
  count = true,
  replayed = false,
  factsHost = host,
): boolean {
  const s = ctx.states.get(host)!;
  const fs = ctx.states.get(factsHost)!;
  // a replayed result was counted by the run that did it: here it counts as replayed only
  if (count && replayed) s.counters.replayed++;
  const counters = count && !replayed ? s.counters : { ...s.counters };
  const r = o.result;
  if (task.register) {
    // as Ansible's strategy: the registered copy of a result has no `invocation` (a loop's items keep theirs)
    const { invocation: _invocation, ...registered } = o.registered;
    s.registered[task.register] = registered;
    delete s.facts[task.register]; // register and set_fact share a level: the later one wins
  }
  const facts: Record<string, unknown> = { ...(r.ansible_facts ?? {}) };
  for (const i of o.items ?? []) Object.assign(facts, i.result.ansible_facts ?? {});
  if (Object.keys(facts).length && (r.status === 'ok' || r.status === 'changed')) {
    if (factsLevel === 'include-vars') Object.assign(fs.includedVars, facts);
    else if (factsLevel === 'host-facts') {
      Object.assign(fs.gathered, facts);
      // as Ansible's fact cache: a module's facts (package_facts, getent) are also ansible_facts.<name>
      if (!('ansible_facts' in facts)) {
        const ns: Record<string, unknown> = { ...((fs.gathered['ansible_facts'] as Record<string, unknown> | undefined) ?? {}) };
        // (ansible_local keeps its prefix there, as Ansible's namespace: vars/clean.py)
        for (const [k, v] of Object.entries(facts)) ns[k === 'ansible_local' ? k : k.replace(/^ansible_/, '')] = v;
        fs.gathered['ansible_facts'] = ns;
      }
    } else {
      Object.assign(fs.facts, facts);
      for (const k of Object.keys(facts)) delete fs.registered[k];
    }
  }
  switch (r.status) {
    case 'ok':
    case 'changed': {
      counters.ok++;
      if (r.status === 'changed') {
        counters.changed++;
        for (const n of task.notify) s.notified.add(n);
      }
      applyInventoryChanges(ctx, host, r, o);
      return false;
    }
    case 'skipped':
      counters.skipped++;
      return false;
    case 'failed':
      if (ignoreErrors) {
        // Ansible counts an ignored failure as ok and ignored (and changed when it changed)
        counters.ok++;
        counters.ignored++;
        if (o.registered['changed'] === true) counters.changed++;
        return false;
      }
      counters.failed++;
      s.status = 'failed';
      // as Ansible's serialized task: an unnamed task's name is '', `action` the module as written
      s.failedTask = { name: task.name ?? '', action: task.action ?? task.module, module: task.module };
      s.failedResult = o.registered;
      return true;
    case 'unreachable':
      if (ignoreUnreachable) {
        counters.ok++; // as Ansible: ok and ignored, not unreachable
        counters.ignored++;
        return false;
      }
      counters.unreachable++;
      s.status = 'unreachable';
      s.unreachableReason = r.msg;
      return true;
  }
}

function applyInventoryChanges(ctx: RunContext, host: string, r: ModuleResult, o: TaskOutcome): void {
  const results = o.items ? o.items.map((i) => i.result) : [r];
  for (const x of results) {
    const add = x.data?.['add_host'] as { host_name: string; groups: string[]; host_vars: Record<string, unknown> } | undefined;
    if (add) {
      addHost(ctx.inventory, add.host_name, add.groups ?? [], add.host_vars ?? {});
      invalidateInventoryCache(ctx);
    }
    const group = x.data?.['add_group'];
    if (typeof group === 'string') {
      // group_by: the host that ran it joins the group
      addToGroup(ctx.inventory, host, group);
      invalidateInventoryCache(ctx);
    }
  }
}
