// One play: hosts → batches (serial) → facts, vars_files, then pre_tasks, tasks, post_tasks with
// handler flushes, run by the play's strategy (strategy.ts: linear or free).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYamlText } from 'yaml';
import { applyLimit, selectHosts } from '../inventory/index.js';
import { batches, failureThresholdExceeded } from '../plan/batches.js';
import type { Play, TaskNode } from '../playbook/model.js';
import { renderDeep } from '../template/index.js';
import { fromPlay, type Inherited } from './keywords.js';
import type { PlayState } from './play-state.js';
import { STRATEGIES } from './strategy.js';
import type { RunContext } from './run-context.js';
import { ANSIBLE_YAML } from '../core/yaml-ansible.js';
import { openVaulted } from '../core/vault.js';
import { readBounded, refusalLine } from '../core/read-bounded.js';
import { hostScope } from './host-scope.js';
import { playHead } from '../plan/targets.js';
import { enterPlay, failHost, leavePlay } from './host-changes.js';
import { gatherFacts } from './gather-facts.js';
import { startAtSkips } from '../plan/start-at.js';

export async function runPlay(ctx: RunContext, play: Play): Promise<void> {
  const inv = ctx.inventory;
  // templated with the play's vars and the extra vars when it starts (the CLI checked it renders)
  const head = playHead(play, inv, ctx.options.extraVars);
  let hosts = selectHosts(inv, head.pattern);
  if (ctx.options.limit) hosts = applyLimit(inv, hosts, ctx.options.limit);
  hosts = ordered(hosts, play.order);
  ctx.bus.emit({ type: 'play-start', play: head.name, hosts, pos: play.pos, time: Date.now() });
  if (hosts.length === 0) {
    ctx.bus.emit({ type: 'play-end', play: head.name, time: Date.now() });
    return;
  }
  enterPlay(ctx, hosts);
  let serial: readonly (number | string)[] | undefined;
  if (typeof play.serial === 'string') {
    const v = renderDeep(play.serial, { ...play.vars, ...ctx.options.extraVars });
    serial = Array.isArray(v) ? (v as (number | string)[]) : [v as number | string];
  } else serial = play.serial;
  const groups = batches(hosts, serial);
  const maxFailPercentage = renderPercent(play.maxFailPercentage, { ...play.vars, ...ctx.options.extraVars });
  const state: PlayState = {
    play,
    strategy: STRATEGIES[play.strategy],
    playHosts: hosts,
    batch: [],
    varsFiles: new Map(),
    handlers: [...play.handlers],
    appliedRoles: new Set(play.appliedRoles),
    rolesRun: new Map(),
    exported: { defaults: {}, vars: {} },
    maxFailPercentage,
    aborted: false,
  };
  for (let i = 0; i < groups.length; i++) {
    const batch = groups[i]!.filter((h) => ctx.states.get(h)!.active);
    if (batch.length === 0) continue;
    if (ctx.control.stopping || state.aborted) break;
    state.batch = batch;
    if (groups.length > 1) ctx.bus.emit({ type: 'batch-start', play: head.name, hosts: batch, index: i + 1, count: groups.length });
    await runBatch(ctx, state, batch);
    const failedInBatch = batch.filter((h) => !ctx.states.get(h)!.active && ctx.states.get(h)!.status !== 'ended').length;
    if (failureThresholdExceeded(failedInBatch, batch.length, maxFailPercentage) || (failedInBatch === batch.length && groups.length > 1)) {
      ctx.bus.emit({
        type: 'warning',
        message: `play '${head.name}' stopped: ${failedInBatch} of ${batch.length} hosts in batch ${i + 1} failed${maxFailPercentage !== undefined ? ` (max_fail_percentage ${maxFailPercentage})` : ''}`,
      });
      break;
    }
  }
  leavePlay(ctx, hosts);
  ctx.bus.emit({ type: 'play-end', play: head.name, time: Date.now() });
}

/** Ansible's 'percent' field: a templated value renders, then '30%' and '30' are 30. */
function renderPercent(v: number | string | undefined, scope: Record<string, unknown>): number | undefined {
  if (typeof v !== 'string') return v;
  const rendered = renderDeep(v, scope);
  const n = parseFloat(String(rendered).replace('%', ''));
  if (!Number.isFinite(n)) throw new Error(`invalid max_fail_percentage '${String(rendered)}'`);
  return n;
}

async function runBatch(ctx: RunContext, state: PlayState, batch: readonly string[]): Promise<void> {
  const play = state.play;
  const base: Inherited = fromPlay(play);
  const sections: (readonly TaskNode[])[] = [play.preTasks, play.tasks, play.postTasks];
  state.skips = undefined;
  if (ctx.startAt.pattern !== undefined) {
    // as Ansible's iterator: a play without the task is over for its hosts before it starts (no
    // facts); the one with it starts there; later batches of a serial play and later plays run whole
    const skips = startAtSkips(play, ctx.startAt.pattern);
    if (!skips) return;
    ctx.startAt.pattern = undefined;
    state.skips = skips;
  }
  if (play.gatherFacts !== false) await gatherFacts(ctx, state, batch, base);
  for (const h of batch) {
    if (!ctx.states.get(h)!.active) continue;
    const v = loadVarsFiles(ctx, state, h);
    if (typeof v === 'string') failHost(ctx, h, v, { task: 'vars_files', pos: play.pos });
    else state.varsFiles.set(h, v);
  }
  await state.strategy.runSections(ctx, state, sections, batch, base);
}

/**
 * vars_files for one host: names are templated with the host's variables (so facts can pick a
 * file); an entry that is a list loads the first of its files that exists (Ansible's habit).
 */
function loadVarsFiles(ctx: RunContext, state: PlayState, host: string): Record<string, unknown> | string {
  const play = state.play;
  const out: Record<string, unknown> = {};
  const scope = hostScope(ctx, state, host, fromPlay(play));
  for (const entry of play.varsFiles) {
    const candidates = Array.isArray(entry) ? entry.map(String) : [String(entry)];
    let found: string | undefined;
    let name = '';
    for (const c of candidates) {
      try {
        name = String(renderDeep(c, scope));
      } catch (e) {
        return `vars_files: '${c}': ${(e as Error).message.split('\n')[0]}`;
      }
      if (existsSync(resolve(play.dir, name))) {
        found = resolve(play.dir, name);
        break;
      }
    }
    if (!found)
      return `vars_files: no such file: ${candidates.length > 1 ? `none of ${candidates.map((c) => `'${c}'`).join(', ')}` : `'${name}'`} (relative to ${play.dir})`;
    const read = readBounded(found);
    if (!read.ok) return `vars_files: ${refusalLine(name, read.why)}`;
    const opened = openVaulted(read.text);
    if (!opened.ok) return `vars_files: '${name}': ${opened.why}`;
    let data: unknown;
    try {
      data = parseYamlText(opened.text, ANSIBLE_YAML);
    } catch (e) {
      return `vars_files: cannot read '${name}': ${(e as Error).message.split('\n')[0]}`;
    }
    if (data === null || data === undefined) continue;
    if (typeof data !== 'object' || Array.isArray(data)) return `vars_files: '${name}' must hold a mapping of variables`;
    Object.assign(out, data);
  }
  return out;
}

function ordered(hosts: string[], order: Play['order']): string[] {
  switch (order) {
    case 'inventory':
      return hosts;
    case 'reverse_inventory':
      return [...hosts].reverse();
    case 'sorted':
      return [...hosts].sort();
    case 'reverse_sorted':
      return [...hosts].sort().reverse();
  }
}
