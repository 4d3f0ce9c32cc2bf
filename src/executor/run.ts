// Run a whole playbook: plays in order, then the recap and the verdict (ok, failed,
// unreachable, interrupted; cli/exit.ts makes it ansible-playbook's exit code).
import { randomBytes } from 'node:crypto';
import type { Connection } from '../connection/types.js';
import { reachKey, reachVars } from './reach.js';
import type { RunVerdict } from '../core/verdict.js';
import type { Inventory } from '../inventory/model.js';
import type { Module } from '../modules/types.js';
import type { ModuleCatalog } from '../playbook/catalog.js';
import type { Playbook } from '../playbook/model.js';
import type { Counters, EventBus } from './events.js';
import type { RunOptions } from './options.js';
import { runPlay } from './play.js';
import type { RunContext, RunControl } from './run-context.js';
import type { HostState } from './state.js';
import { StepCounter } from '../plan/step.js';

export interface RunDeps {
  readonly catalog: ModuleCatalog;
  loadModule(name: string): Promise<Module>;
  /** opens a connection for a host from its (templated) variables */
  openConnection(host: string, vars: Readonly<Record<string, unknown>>): Promise<Connection>;
}

export interface RunResult {
  readonly verdict: RunVerdict;
  readonly recap: Record<string, Counters>;
  readonly interrupted: boolean;
}

export async function runPlaybook(
  playbook: Playbook,
  inventory: Inventory,
  options: RunOptions,
  bus: EventBus,
  control: RunControl,
  deps: RunDeps,
): Promise<RunResult> {
  const started = Date.now();
  const states = new Map<string, HostState>();
  const pool = new Map<string, Promise<Connection>>();
  const ctx: RunContext = {
    playbook,
    inventory,
    options,
    bus,
    control,
    states,
    catalog: deps.catalog,
    omit: `__omit_place_holder__${randomBytes(8).toString('hex')}`,
    steps: new StepCounter(),
    startAt: options.startAtTask !== undefined ? { pattern: options.startAtTask } : {},
    connect(host, vars, reach) {
      // one connection per host, and one more per other way a keyword reaches it (executor/reach.ts)
      const merged = reachVars(vars, reach);
      let key = host;
      if (merged !== vars) {
        try {
          key = reachKey(host, merged);
        } catch {
          // a variable runbook cannot read: opening says which, with the host
        }
      }
      let p = pool.get(key);
      if (!p) {
        p = deps.openConnection(host, merged);
        pool.set(key, p);
      }
      return p;
    },
    loadModule: (name) => deps.loadModule(name),
    validateArgs: (module, args) => deps.catalog.checkArgs(module, args, { strict: true }),
  };
  bus.emit({ type: 'run-start', playbook: playbook.file, check: options.check, diff: options.diff, time: started });
  try {
    for (const play of playbook.plays) {
      if (control.stopping) break;
      await runPlay(ctx, play);
    }
  } finally {
    await Promise.all(
      [...pool.values()].map((p) =>
        p.then(
          (c) => c.close(),
          () => undefined,
        ),
      ),
    );
  }
  const recap: Record<string, Counters> = {};
  for (const [h, s] of states) recap[h] = { ...s.counters };
  const anyFailed = [...states.values()].some((s) => s.counters.failed > 0);
  const anyUnreachable = [...states.values()].some((s) => s.counters.unreachable > 0 && s.status === 'unreachable');
  const interrupted = control.stopping;
  const verdict: RunVerdict = interrupted ? 'interrupted' : anyFailed ? 'failed' : anyUnreachable ? 'unreachable' : 'ok';
  bus.emit({ type: 'run-end', recap, durationMs: Date.now() - started, verdict, interrupted, time: Date.now() });
  return { verdict, recap, interrupted };
}
