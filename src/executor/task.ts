// A task on one host: when → loop items → (args templated, checked) → module with
// retries/until → failed_when/changed_when. Returns a value; never throws for task failures.
import { existsSync } from 'node:fs';
import { sleep } from '../core/sleep.js';
import { isAbsolute, join, resolve } from 'node:path';
import { ConnectError, type Connection } from '../connection/types.js';
import {
  failed,
  NOT_RUN_IN_CHECK_MODE,
  skipped,
  toRegistered,
  unreachable,
  type CheckPrediction,
  type ModuleResult,
  type ResultFields,
} from '../core/result.js';
import type { Module, ModuleContext, TaskSettings } from '../modules/types.js';
import type { Task } from '../playbook/model.js';
import { VARIABLE_PARAMS } from '../playbook/module-args.js';
import type { SchemaProblem } from '../schema/registry.js';
import {
  calledFunction,
  evaluateBare,
  evaluateBool,
  renderDeep,
  renderFile,
  renderString,
  TemplateError,
  type Scope,
  type TemplateLoader,
} from '../template/index.js';
import { applyOverrides, conditionsHold, skippedByWhen } from './conditions.js';
import { checkModeHint, templateFailure } from './template-failure.js';
import { invokeModule } from './invoke.js';
import { runAsync, type AsyncSettings } from './async-task.js';
import { itemLabel, loopItems, loopVars } from './loops.js';
import { printable } from '../core/printable.js';
import { isUnknownInPlan, UNKNOWN_IN_PLAN_TAG } from '../plan/decisions.js';

/** One task on one host: the task, its module, the settings its module sees, the run's hooks. */
export interface TaskEnv {
  readonly task: Task;
  readonly module: Module;
  /** handed to the module inside its ModuleContext as they are; `progress` also says what retries/until wait for */
  readonly settings: TaskSettings & { readonly signal: AbortSignal };
  readonly omit: string;
  /** opens (or reuses) the connection of the host the module runs on */
  readonly connect: () => Promise<Connection>;
  /** opens (or reuses) the inventory host's own connection (not the delegate's) */
  readonly connectHost?: () => Promise<Connection>;
  readonly validateArgs: (args: Record<string, unknown>) => SchemaProblem[];
}

export interface ItemOutcome {
  readonly result: ModuleResult & CheckPrediction & { attempts?: number };
  readonly label?: string;
  /** what the item registers in the loop's `results` (its loop variable, `item`, `ansible_loop_var` too) */
  readonly registered?: Record<string, unknown>;
}

export interface TaskOutcome {
  /** the task's overall result (a loop's aggregate) */
  readonly result: ModuleResult & CheckPrediction & { attempts?: number };
  readonly registered: Record<string, unknown>;
  readonly items?: readonly ItemOutcome[];
}

/** Ansible's first_found: relative names in the role's then the playbook's <subdir>/ and dir. */
function firstFound(env: TaskEnv, names: readonly string[], paths: readonly string[]): string | undefined {
  const sub = env.task.module === 'include_vars' ? 'vars' : env.task.module === 'template' ? 'templates' : 'files';
  const bases = env.settings.roleDir ? [env.settings.roleDir, env.settings.playbookDir] : [env.settings.playbookDir];
  for (const name of names) {
    const candidates = isAbsolute(name)
      ? [name]
      : paths.length > 0
        ? paths.map((p) => resolve(env.settings.playbookDir, p, name))
        : bases.flatMap((b) => [join(b, sub, name), join(b, name)]);
    const hit = candidates.find((c) => existsSync(c));
    if (hit) return hit;
  }
  return undefined;
}

export async function runTask(env: TaskEnv, scope: Record<string, unknown>): Promise<TaskOutcome> {
  const t = env.task;
  if (!t.loop) {
    const cond = conditionsHold(t.when, scope, 'when');
    if (cond !== true) return single(cond === false ? skippedByWhen() : cond);
    if (env.settings.checkMode && isUnknownInPlan(t.tags)) {
      const summary = `${t.module}: known only once the steps before it ran (${UNKNOWN_IN_PLAN_TAG})`;
      const r: ItemOutcome['result'] = { ...skipped(`check mode: ${summary}`), prediction: 'unknown', predicted: summary };
      return { result: r, registered: toRegistered(r) };
    }
    const r = await once(env, scope);
    return r;
  }
  let rendered: unknown;
  try {
    rendered = renderDeep(t.loop.items, scope);
  } catch (e) {
    // as Ansible's TaskExecutor: a loop naming an undefined variable is an error only for a host the `when` lets through
    if (e instanceof TemplateError && e.kind === 'undefined' && conditionsHold(t.when, scope, 'when') === false)
      return single(skippedByWhen());
    return single(templateFailure(e, 'loop', t.pos));
  }
  // with_<lookup> is the lookup of that name (Ansible's rule): fileglob and inventory_hostnames run the task's lookups
  const query = calledFunction(scope['query']);
  const viaLookup =
    (plugin: string) =>
    (term: string): string[] =>
      query ? (query([plugin, term], {}) as unknown[]).map(String) : [];
  let li: ReturnType<typeof loopItems>;
  try {
    li = loopItems(t.loop, rendered, {
      firstFound: (names, paths) => firstFound(env, names, paths),
      fileglob: viaLookup('fileglob'),
      hosts: viaLookup('inventory_hostnames'),
      ...(query ? { query: (plugin: string, terms: unknown[]) => query([plugin, ...terms], {}) as unknown[] } : {}),
    });
  } catch (e) {
    // a lookup loop's plugin failed (with_lines' command exited non-zero...)
    return single(templateFailure(e, 'loop', t.pos));
  }
  if (!li.ok) return single(failed(li.message));
  const items: ItemOutcome[] = [];
  const regs: Record<string, unknown>[] = [];
  let pause = t.loop.pauseSeconds;
  try {
    if (typeof pause === 'string') pause = Number(renderDeep(pause, scope));
  } catch (e) {
    return single(templateFailure(e, 'loop_control', t.pos));
  }
  if (pause !== undefined && !(pause >= 0))
    return single(failed(`loop_control pause must be a number of seconds (got '${String(t.loop.pauseSeconds)}')`));
  let seen = scope; // what each item sees: set_fact's facts of the items before it too (`acc: "{{ acc + [item] }}"`), as Ansible's
  for (let i = 0; i < li.items.length; i++) {
    if (env.settings.signal.aborted) break;
    const item = li.items[i];
    const itemScope = { ...seen, ...loopVars(t.loop, li.items, i) };
    let label: string;
    try {
      label = printable(t.loop.label ? renderString(t.loop.label, itemScope) : itemLabel(item));
    } catch {
      label = printable(itemLabel(item));
    }
    const cond = conditionsHold(t.when, itemScope, 'when');
    // a `when` that cannot be evaluated fails the task, not the item (2.14's TaskExecutor raises out of its loop)
    if (typeof cond === 'object') return single(cond);
    let r: { result: ItemOutcome['result']; registered: Record<string, unknown> };
    if (cond === false) {
      const res = skippedByWhen();
      r = { result: res, registered: toRegistered(res) };
    } else {
      r = await once(env, itemScope);
    }
    const facts = r.result.status === 'ok' && env.module.name === 'set_fact' ? r.result.ansible_facts : undefined;
    if (facts) seen = { ...seen, ...facts };
    const reg = { ...r.registered, [t.loop.loopVar]: item, item, ansible_loop_var: t.loop.loopVar };
    items.push({ result: r.result, label, registered: reg });
    regs.push(reg);
    if (pause && i < li.items.length - 1) await sleep(pause * 1000, env.settings.signal);
  }
  // as Ansible's TaskExecutor: the items' warnings and deprecations move to the loop's result
  const moved: Pick<ResultFields, 'warnings' | 'deprecations'> = {};
  for (const key of ['warnings', 'deprecations'] as const) {
    const all = regs.flatMap((r) => (Array.isArray(r[key]) ? (r[key] as unknown[]) : []));
    for (const r of regs) delete r[key];
    if (all.length) (moved as Record<string, unknown[]>)[key] = all;
  }
  const result = { ...aggregate(items.map((i) => i.result)), ...moved } as ModuleResult;
  return { result, registered: { ...loopRegistered(result.status, regs), ...moved }, items };
}

/** What a loop task registers, key for key as Ansible 2.14's (TaskExecutor._run_loop and its callers). */
function loopRegistered(status: ItemOutcome['result']['status'], regs: readonly Record<string, unknown>[]): Record<string, unknown> {
  const changed = status === 'changed' || regs.some((x) => x['changed'] === true);
  if (regs.length === 0) return { changed: false, results: [], skipped: true, skipped_reason: 'No items in the list' };
  const allSkipped = regs.every((x) => x['skipped'] === true);
  const msg = status === 'failed' ? 'One or more items failed' : allSkipped ? 'All items skipped' : 'All items completed';
  return { results: regs, skipped: allSkipped, msg, changed, ...(status === 'failed' ? { failed: true } : {}) };
}

class MalformedArgs extends Error {}

/** `module: "{{ a_dict }}"` / `args: "{{ a_dict }}"` rendered: that mapping under the arguments written beside it (Task._post_validate_args). */
function variableParams(args: Record<string, unknown>): Record<string, unknown> {
  if (!(VARIABLE_PARAMS in args)) return args;
  const { [VARIABLE_PARAMS]: whole, ...rest } = args;
  if (whole === null || typeof whole !== 'object' || Array.isArray(whole))
    throw new MalformedArgs(`invalid or malformed argument: '${typeof whole === 'string' ? whole : JSON.stringify(whole)}'`);
  return { ...(whole as Record<string, unknown>), ...rest };
}

function single(result: ModuleResult): TaskOutcome {
  return { result, registered: toRegistered(result) };
}

async function once(
  env: TaskEnv,
  scope: Record<string, unknown>,
): Promise<{ result: ItemOutcome['result']; registered: Record<string, unknown> }> {
  const t = env.task;
  let args: Record<string, unknown>;
  try {
    args = stripOmit(variableParams(renderDeep(t.args, scope) as Record<string, unknown>), env.omit);
  } catch (e) {
    if (e instanceof MalformedArgs) return single(failed(e.message));
    const r = templateFailure(e, 'arguments', t.pos);
    const hint = env.settings.checkMode ? checkModeHint(scope, JSON.stringify(t.args)) : '';
    const out = hint ? { ...r, msg: `${r.msg}; ${hint}` } : r;
    return { result: out, registered: toRegistered(out) };
  }
  const problems = env.validateArgs(args);
  if (problems.length > 0) {
    const r = failed(`module '${t.module}': ${problems.map((p) => (p.path.length ? `${p.path.join('.')}: ` : '') + p.message).join('; ')}`);
    return { result: r, registered: toRegistered(r) };
  }
  const untilConds = t.until ?? [];
  const retries = untilConds.length ? Math.max(0, toInt(render(t.retries, scope), 3)) + 1 : 1;
  const delayMs = Math.max(0, toNumber(render(t.delay, scope), 5)) * 1000;
  let result: ItemOutcome['result'] = failed('not run');
  let registered: Record<string, unknown> = {};
  let attempts = 0;
  const started = Date.now();
  for (;;) {
    attempts++;
    let conn: Connection | undefined;
    if (!env.module.controllerOnly) {
      try {
        conn = await env.connect();
      } catch (e) {
        const r = unreachable((e as Error).message, e instanceof ConnectError ? { kind: 'connect', ...e.failure } : undefined);
        return { result: r, registered: toRegistered(r) };
      }
    }
    const ctx = moduleContext(env, scope, conn);
    const job = asyncOf(t, scope);
    const run = job ? await runAsync(env.module, ctx, args, job) : { result: await invokeModule(env.module, ctx, args), extra: {} };
    result = run.result;
    if (result.status === 'unreachable') return { result, registered: toRegistered(result) };
    registered = toRegistered(result, { ...run.extra, ...(untilConds.length ? { attempts } : {}) });
    if (result.prediction === 'unknown' || (result.prediction === 'change' && result.status === 'skipped'))
      (registered as Record<symbol, unknown>)[NOT_RUN_IN_CHECK_MODE] = true;
    if (untilConds.length === 0) break;
    const regScope = { ...scope, ...(t.register ? { [t.register]: registered } : {}), ...registered };
    const done = conditionsHold(untilConds, regScope, 'until');
    if (done === true) break;
    if (typeof done === 'object') {
      result = done;
      registered = toRegistered(done);
      break;
    }
    if (attempts >= retries || env.settings.signal.aborted) {
      if (result.status !== 'failed') result = failed(`gave up after ${attempts} attempts: 'until' condition never held`, pick(result));
      registered = toRegistered(result, { attempts });
      break;
    }
    env.settings.progress?.({
      waitingFor: untilConds.map(String).join(' and '),
      elapsedMs: Date.now() - started,
      deadlineMs: Date.now() - started + (retries - attempts) * delayMs,
      attempt: attempts + 1,
      attempts: retries,
      ...(result.msg ? { last: result.msg } : {}),
    });
    await sleep(delayMs, env.settings.signal);
  }
  if (untilConds.length) result = { ...result, attempts };
  return applyOverrides(env, scope, result, registered);
}

/** The connection of a module that runs on the controller: any use is a bug in that module. */
const NO_CONNECTION = new Proxy({} as Connection, {
  get() {
    throw new Error('this module runs on the controller and has no connection');
  },
});

function moduleContext(env: TaskEnv, scope: Scope, conn: Connection | undefined): ModuleContext {
  // Object.assign, not `{ ...env.settings, conn, … }`: made per host per task, and V8 (node 20)
  // takes ~10x as long for a spread followed by named properties
  return Object.assign({}, env.settings, {
    conn: conn ?? NO_CONNECTION,
    hostConn: env.connectHost ?? env.connect,
    vars: scope,
    renderFile: (text: string, loader: TemplateLoader) => renderFile(text, scope, loader),
    evaluate: (expr: string) => evaluateBare(expr, scope),
    evaluateBool: (expr: string | boolean) => evaluateBool(expr, scope),
  });
}

function aggregate(results: readonly ModuleResult[]): ModuleResult {
  if (results.length === 0) return skipped('No items in the list');
  const down = results.find((r) => r.status === 'unreachable');
  if (down) return unreachable(down.msg ?? 'unreachable', down.failure);
  if (results.some((r) => r.status === 'failed')) return failed('One or more items failed');
  if (results.some((r) => r.status === 'changed')) return { status: 'changed' };
  if (results.every((r) => r.status === 'skipped')) return skipped('All items skipped');
  return { status: 'ok' };
}

function stripOmit(v: Record<string, unknown>, omit: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== omit) out[k] = x;
  return out;
}

function render(v: unknown, scope: Scope): unknown {
  return typeof v === 'string' ? renderDeep(v, scope) : v;
}

/** `async: N` (N > 0; 0 is no async, as in Ansible) with its `poll` (default 15 s). */
function asyncOf(t: Task, scope: Scope): AsyncSettings | undefined {
  if (t.async === undefined) return undefined;
  const seconds = toInt(render(t.async, scope), 0);
  return seconds > 0 ? { seconds, poll: Math.max(0, toInt(render(t.poll, scope), 15)) } : undefined;
}

function toInt(v: unknown, dflt: number): number {
  const n = typeof v === 'number' ? v : parseInt(String(v ?? ''), 10);
  return Number.isFinite(n) ? Math.floor(n) : dflt;
}

function toNumber(v: unknown, dflt: number): number {
  const n = typeof v === 'number' ? v : parseFloat(String(v ?? ''));
  return Number.isFinite(n) ? n : dflt;
}

/** the fields of a result without its status (and without msg, which the caller replaces) */
function pick(r: ModuleResult): ResultFields {
  const { status: _s, msg: _m, ...rest } = r;
  return rest;
}
