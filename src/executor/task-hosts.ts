// One task across the hosts of a batch: forks, run_once, delegate_to, then the result is
// applied to each host's state (host-changes.ts: counters, register, facts, notify, add_host...).
import { randomBytes } from 'node:crypto';
import { ok, toRegistered, type CheckPrediction, type ModuleResult } from '../core/result.js';
import { ANY_HOST, decisionKey, isTaggedDecision, taggedDecision } from '../plan/decisions.js';
import type { StepId } from '../plan/step.js';
import type { Task } from '../playbook/model.js';
import { isTemplate, renderDeep, renderString } from '../template/index.js';
import { failureThresholdExceeded } from '../plan/batches.js';
import type { ResultView } from './events.js';
import { mapLimit } from './forks.js';
import { hostScope } from './host-scope.js';
import { endHosts, recordOutcome } from './host-changes.js';
import type { Inherited } from './keywords.js';
import type { PlayState } from './play-state.js';
import type { RunContext } from './run-context.js';
import { runTask, type TaskOutcome } from './task.js';
import { boolOf, prepare } from './host-keywords.js';

const NO_LOG = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";

export async function runTaskOnHosts(
  ctx: RunContext,
  ps: PlayState,
  task: Task,
  hosts: readonly string[],
  eff: Inherited,
  handler: boolean,
): Promise<void> {
  const id = randomBytes(4).toString('hex');
  // unnamed: the module as written, as ansible-playbook 2.14 shows it (`TASK [ansible.builtin.command]`)
  const bare = task.name !== undefined ? shownName(ctx, ps, task, hosts, eff) : (task.action ?? task.module);
  const name = eff.role ? `${eff.role.fqcn ?? eff.role.name} : ${bare}` : bare; // Ansible's "TASK [role : name]"

  ctx.bus.emit({ type: 'task-start', id, task: name, module: task.module, hosts, handler, pos: task.pos, time: Date.now() });
  const module = await ctx.loadModule(task.module);
  // the first host's scope only when a keyword needs templating (a scope is built per host below)
  const runOnce = eff.runOnce !== undefined && boolOf(eff.runOnce, hostScope(ctx, ps, hosts[0]!, eff, task.vars), false);
  const targets = runOnce ? hosts.slice(0, 1) : hosts;
  let meta: string | undefined;
  const metaHosts: string[] = []; // the hosts on which the meta task ran (not skipped by when)
  const key = `${handler ? 'h:' : ''}${task.pos.file}:${task.pos.line}:${task.pos.col}`;
  const playKey = `${ps.play.pos.file}:${ps.play.pos.line}:${ps.play.pos.col}`;
  const tagged = isTaggedDecision(eff.tags) || isTaggedDecision(task.tags);
  // throttle (task, block or play): fewer hosts at once than forks, never more
  const throttle = Number(eff.throttle === undefined ? 0 : renderDeep(eff.throttle, hostScope(ctx, ps, hosts[0]!, eff, task.vars)));
  const limit = Number.isInteger(throttle) && throttle > 0 ? Math.min(throttle, ctx.options.forks) : ctx.options.forks;
  const outcomes = await mapLimit(targets, limit, async (host) => {
    const started = Date.now();
    const scope = hostScope(ctx, ps, host, eff, task.vars);
    let outcome: TaskOutcome;
    const step: StepId = { play: playKey, task: key, host, n: ctx.steps.next(key, host) };
    const pinned =
      ctx.options.decisions?.get(decisionKey(step)) ??
      (runOnce ? ctx.options.decisions?.get(decisionKey({ ...step, host: ANY_HOST })) : undefined);
    const prepared = prepare(ctx, eff, scope, host, {
      playbookDir: ps.play.dir,
      ...(eff.role ? { roleDir: eff.role.path } : {}),
      signal: ctx.control.signal,
      progress: (progress) => ctx.bus.emit({ type: 'progress', id, host, progress, time: Date.now() }),
      ...(pinned ? { pinned } : {}),
    });
    const recorded = ctx.options.resume?.take(key, host);
    // facts are gathered again, not replayed: the journal holds ansible_env as hashes (journal/redact.ts)
    const replay = module.name === 'setup' ? undefined : recorded;
    if (replay) {
      outcome = replay;
    } else if (pinned && tagged) {
      // a task tagged `decision`: the facts it set in the plan, not a new value
      const facts = (pinned['ansible_facts'] ?? {}) as Record<string, unknown>;
      const r = ok({ msg: 'decided when the plan was made', ansible_facts: facts });
      outcome = { result: r, registered: toRegistered(r) };
    } else if ('error' in prepared) {
      outcome = { result: prepared.error, registered: { failed: true, msg: prepared.error.msg } };
    } else {
      const effTask: Task = eff.when.length ? { ...task, when: [...eff.when, ...task.when] } : task;
      outcome = await runTask(
        {
          task: effTask,
          module,
          settings: prepared.settings,
          omit: ctx.omit,
          connect: () => ctx.connect(prepared.target, prepared.targetScope ?? scope, prepared.reach),
          connectHost: () => ctx.connect(host, scope, prepared.reach),
          validateArgs: (args) => ctx.validateArgs(task.module, args),
        },
        scope,
      );
    }
    const ignoreErrors = 'error' in prepared ? false : prepared.ignoreErrors;
    const ignoreUnreachable = 'error' in prepared ? false : prepared.ignoreUnreachable;
    const noLog = 'error' in prepared ? false : prepared.noLog;
    const delegated = 'error' in prepared || prepared.target === host ? undefined : prepared.target;
    const m = outcome.result.data?.['meta'];
    if (typeof m === 'string' && outcome.result.status === 'ok') {
      meta = m;
      metaHosts.push(host);
    }
    const r = outcome.result;
    const decided = r.status === 'ok' || r.status === 'changed' || (r.status === 'skipped' && r.prediction === 'unknown');
    const decision = !decided ? undefined : (r.decision ?? (tagged ? taggedDecision(r.ansible_facts) : undefined));
    return {
      host,
      outcome,
      ignoreErrors,
      ignoreUnreachable,
      noLog,
      delegated,
      ms: Date.now() - started,
      resumed: replay !== undefined,
      step,
      decision,
      pinned: pinned !== undefined,
    };
  });
  const applied = runOnce ? hosts.map((h) => ({ ...outcomes[0]!, host: h })) : outcomes;
  let anyFailed = false;
  for (const [i, o] of applied.entries()) {
    // run_once: the result is registered on (and a failure fails) every host, but it is shown
    // and counted once, on the host that ran it, as Ansible does
    // delegate_facts: the facts the task set go to the host it was delegated to (when in the run)
    const factsHost =
      o.delegated && task.delegateFacts !== undefined && boolOf(task.delegateFacts, {}) && ctx.states.has(o.delegated)
        ? o.delegated
        : o.host;
    const fatal = recordOutcome(
      ctx,
      task,
      module.factsLevel,
      o.host,
      o.outcome,
      o.ignoreErrors,
      o.ignoreUnreachable,
      // a meta task counts nowhere in the recap, run or skipped by its when, as Ansible's (its
      // strategy runs it itself and sends a skip to the callback without counting it)
      (!runOnce || i === 0) && task.module !== 'meta',
      o.resumed,
      factsHost,
    );
    if (fatal) anyFailed = true;
    if (runOnce && i > 0) continue;
    const verbosity = ctx.options.verbosity ?? 0;
    const view = withShown(
      toView(o.outcome.result, o.noLog, fatal === false && o.outcome.result.status === 'failed'),
      o.noLog ? undefined : o.outcome.registered,
      verbosity,
    );
    ctx.bus.emit({
      type: 'host-result',
      id,
      task: name,
      host: o.host,
      key,
      step: o.step,
      // a no_log decision is not pinned: it would reach the journal and plan.json
      ...(o.decision && !o.noLog ? { decision: o.decision } : {}),
      ...(o.pinned ? { pinned: true } : {}),
      ...(o.resumed ? { resumed: true } : {}),
      // no_log outcomes are never recorded: such a task runs again on resume
      ...(ctx.options.recordOutcomes && !o.noLog ? { outcome: o.outcome } : {}),
      ...(o.delegated ? { delegatedTo: o.delegated } : {}),
      result: view,
      ...(o.outcome.items
        ? {
            items: o.outcome.items.map((i) => ({
              ...withShown(toView(i.result, o.noLog, false), o.noLog ? undefined : i.registered, verbosity),
              ...(i.label !== undefined ? { item: o.noLog ? '(censored)' : i.label } : {}),
            })),
          }
        : {}),
      durationMs: o.ms,
      time: Date.now(),
    });
  }
  ctx.bus.emit({ type: 'task-end', id, task: name, time: Date.now() });
  if (anyFailed && boolOf(eff.anyErrorsFatal, {}, false)) {
    ps.aborted = true;
    ctx.bus.emit({ type: 'warning', message: `any_errors_fatal: a host failed on '${name}'; stopping the play for every host` });
  }
  if (!ps.aborted && ps.maxFailPercentage !== undefined) {
    // Ansible checks max_fail_percentage after every task, over the current batch
    const failedHosts = ps.batch.filter((h) => ['failed', 'unreachable'].includes(ctx.states.get(h)!.status)).length;
    if (failureThresholdExceeded(failedHosts, ps.batch.length, ps.maxFailPercentage)) {
      ps.aborted = true;
      ctx.bus.emit({
        type: 'warning',
        message: `max_fail_percentage ${ps.maxFailPercentage}: ${failedHosts} of ${ps.batch.length} hosts failed; stopping the play`,
      });
    }
  }
  if (meta) await applyMeta(ctx, ps, meta, runOnce ? hosts : metaHosts, eff);
}

/**
 * The name shown for a task, as Ansible's strategy shows it: templated with the first host's
 * variables (no loop item yet), and left as written when anything in it is undefined or fails.
 */
function shownName(ctx: RunContext, ps: PlayState, task: Task, hosts: readonly string[], eff: Inherited): string {
  const raw = task.name ?? '';
  if (!isTemplate(raw) || hosts.length === 0) return raw;
  try {
    return renderString(raw, hostScope(ctx, ps, hosts[0]!, eff, task.vars));
  } catch {
    return raw;
  }
}

async function applyMeta(ctx: RunContext, ps: PlayState, meta: string, hosts: readonly string[], eff: Inherited): Promise<void> {
  switch (meta) {
    case 'flush_handlers':
      await ps.strategy.flushHandlers(ctx, ps, hosts, eff);
      return;
    case 'end_play':
      endHosts(ctx, ps.playHosts);
      ps.aborted = true;
      return;
    case 'end_host':
      endHosts(ctx, hosts);
      return;
    case 'clear_facts':
      // Ansible's fact cache of every host of the play (VariableManager.clear_facts); set_fact stays
      for (const h of ps.playHosts) {
        const g = ctx.states.get(h)?.gathered;
        if (g) for (const k of Object.keys(g)) delete g[k];
      }
      return;
    default:
      return;
  }
}

/** -v: the registered value as TaskResult.clean_copy and CallbackBase._dump_results leave it. */
function withShown(view: ResultView, registered: Record<string, unknown> | undefined, verbosity: number): ResultView {
  if (verbosity < 1 || !registered) return view;
  const { failed: _f, skipped: _s, exception: _e, ...shown } = registered;
  if (verbosity < 3) {
    delete shown['invocation'];
    delete shown['diff'];
  }
  return { ...view, shown };
}

function toView(r: ModuleResult & CheckPrediction & { attempts?: number }, noLog: boolean, ignored: boolean): ResultView {
  if (noLog)
    return { status: r.status, msg: NO_LOG, ...(r.prediction ? { prediction: r.prediction } : {}), ...(ignored ? { ignored } : {}) };
  const v: Record<string, unknown> = { status: r.status };
  for (const k of [
    'msg',
    'rc',
    'stdout',
    'stderr',
    'diff',
    'predicted',
    'prediction',
    'attempts',
    'failure',
    'verboseAlways',
    'warnings',
    'deprecations',
  ] as const)
    if (r[k] !== undefined) v[k] = r[k];
  if (r.status === 'skipped' && r.skip_reason && !r.msg) v['msg'] = r.skip_reason;
  if (r.data && Object.keys(r.data).length) v['data'] = r.data;
  if (r.ansible_facts) v['data'] = { ...(v['data'] as object | undefined), ansible_facts: r.ansible_facts };
  if (ignored) v['ignored'] = true;
  return v as unknown as ResultView;
}
