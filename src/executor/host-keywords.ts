// A task's keywords on one host (become, check_mode, diff, delegate_to, environment, timeout,
// ignore_errors, no_log…): rendered against that host's scope into the settings its module runs
// with. Apart from task-hosts.ts, which runs the task across the batch with what this returns.
import { ALL, becomeSettings, CONNECTION_VARS, hostVars, LOCALHOST_NAMES } from '../inventory/index.js';
import type { ModuleResult } from '../core/result.js';
import { isTemplate, renderDeep, renderString, TemplateError } from '../template/index.js';
import { ansibleBoolean, notABoolean } from '../core/boolean.js';
import type { Inherited } from './keywords.js';
import type { Reach } from './reach.js';
import { hostvarsOf } from './host-scope.js';
import type { RunContext } from './run-context.js';
import type { TaskEnv } from './task.js';
import { templateFailure } from './template-failure.js';

/** What a task's keywords say on one host: the settings it runs with, where, and how its result counts. */
export interface Prepared {
  readonly settings: TaskEnv['settings'];
  /** the host the module runs on (delegate_to), and that host's view of the scope when it is another */
  readonly target: string;
  readonly targetScope?: Record<string, unknown>;
  /** remote_user / connection keywords and the command line's defaults (executor/reach.ts) */
  readonly reach?: Reach;
  readonly ignoreErrors: boolean;
  readonly ignoreUnreachable: boolean;
  readonly noLog: boolean;
}

/** The settings that do not depend on the keywords: where the play and role are, the run's hooks. */
export type Around = Pick<TaskEnv['settings'], 'playbookDir' | 'roleDir' | 'signal' | 'progress' | 'pinned'>;

/** Render the keywords that depend on the host's variables. */
export function prepare(
  ctx: RunContext,
  eff: Inherited,
  scope: Record<string, unknown>,
  host: string,
  around: Around,
): Prepared | { error: ModuleResult & { msg: string } } {
  try {
    const env = renderEnvironment(eff.environment, scope);
    const checkKw = eff.checkMode === undefined ? undefined : boolOf(eff.checkMode, scope);
    const target = eff.delegateTo ? renderString(eff.delegateTo, scope) : host;
    // Ansible's precedence: the host's become variables (one derivation: inventory/connection-vars.ts)
    // win over the become / become_user keywords, which win over -b / --become-user
    const cli = ctx.options.defaults;
    const targetScope = target !== host ? delegatedScope(ctx, scope, host, target) : undefined;
    const reachScope = targetScope ?? scope;
    const inv = becomeSettings(reachScope, target, (v) => renderDeep(v, reachScope));
    const becomeOn = inv.become ?? (eff.become !== undefined ? boolOf(eff.become, scope) : cli?.become === true);
    const becomeUser = inv.becomeUser ?? (eff.becomeUser ? renderString(eff.becomeUser, scope) : (cli?.becomeUser ?? 'root'));
    const remoteUser = eff.remoteUser !== undefined ? renderString(eff.remoteUser, scope) : cli?.remoteUser;
    const connection = eff.connection !== undefined ? renderString(eff.connection, scope) : cli?.connection;
    const reach: Reach = {
      ...(remoteUser ? { remoteUser } : {}),
      ...(connection ? { connection } : {}),
      ...(cli?.privateKeyFile ? { privateKeyFile: cli.privateKeyFile } : {}),
    };
    const becomePassword = ctx.options.becomePassword ?? inv.becomePassword;
    const timeout = eff.timeout === undefined ? undefined : Number(renderDeep(eff.timeout, scope));
    return {
      settings: {
        host,
        ...(eff.delegateTo ? { delegateTo: target } : {}),
        checkMode: checkKw ?? ctx.options.check,
        diffMode: eff.diff === undefined ? ctx.options.diff : boolOf(eff.diff, scope),
        ...(becomeOn ? { become: { user: becomeUser, ...(becomePassword !== undefined ? { password: becomePassword } : {}) } } : {}),
        env,
        ...(timeout !== undefined && Number.isFinite(timeout) && timeout > 0 ? { timeoutMs: timeout * 1000 } : {}),
        ...around,
      },
      target,
      ...(targetScope ? { targetScope } : {}),
      ...(Object.keys(reach).length ? { reach } : {}),
      ignoreErrors: eff.ignoreErrors !== undefined && boolOf(eff.ignoreErrors, scope),
      ignoreUnreachable: eff.ignoreUnreachable !== undefined && boolOf(eff.ignoreUnreachable, scope),
      noLog: eff.noLog !== undefined && boolOf(eff.noLog, scope),
    };
  } catch (e) {
    return { error: templateFailure(e, 'task keywords') as ModuleResult & { msg: string } };
  }
}

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The `environment` keywords (the play's, blocks', the task's), as 2.14's
 * Task._post_validate_environment: each key rendered on its own, and one whose value fails on an
 * undefined `ansible_env` left out, so a play's `PATH: "/x:{{ ansible_env.PATH }}"` does not fail
 * its fact gathering (geerlingguy.supervisor's converge); a templated whole is rendered to a mapping.
 */
function renderEnvironment(items: readonly unknown[], scope: Record<string, unknown>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of items) {
    if (!isMapping(e)) {
      const v = renderDeep(e, scope);
      if (isMapping(v)) for (const [k, x] of Object.entries(v)) env[k] = String(x);
      continue;
    }
    for (const [k, x] of Object.entries(e)) {
      try {
        env[k] = String(renderDeep(x, scope));
      } catch (err) {
        if (err instanceof TemplateError && err.kind === 'undefined' && err.message.includes('ansible_env')) continue;
        throw err;
      }
    }
  }
  return env;
}

/**
 * The scope a task delegated to `target` reaches it with: the task's variables, but how to reach
 * the host (address, port, user, key, connection, become, lock file, interpreter) is the
 * delegate's, as Ansible's delegated vars — unless the play, a task or -e set it (a value that
 * is not the origin host's own), which applies to the delegate too. A delegate not in the
 * inventory gets the `all` group's (localhost: Ansible's implicit local one).
 */
function delegatedScope(ctx: RunContext, scope: Record<string, unknown>, host: string, target: string): Record<string, unknown> {
  const mine = hostvarsOf(ctx, host);
  const all = ctx.inventory.groups.get(ALL);
  const theirs: Record<string, unknown> = ctx.inventory.hosts.has(target)
    ? hostvarsOf(ctx, target)
    : LOCALHOST_NAMES.includes(target)
      ? hostVars(ctx.inventory, target)
      : { ...all?.vars, ...all?.fileVars };
  const out: Record<string, unknown> = { ...scope, inventory_hostname: target };
  for (const name of CONNECTION_VARS) {
    if (scope[name] !== undefined && scope[name] !== mine[name]) continue;
    if (theirs[name] !== undefined) out[name] = theirs[name];
    else delete out[name];
  }
  return out;
}

/**
 * A boolean keyword (`become`, `run_once`, `no_log`…) as Ansible reads it: templated when it
 * holds a template, then boolean(strict=True) — `run_once: y` is true, never a variable `y`.
 * Strict throws (the caller turns it into a failed task); lenient is boolean(strict=False).
 */
export function boolOf(v: unknown, scope: Record<string, unknown>, strict = true): boolean {
  if (v === undefined || v === null) return false;
  const value = typeof v === 'string' && isTemplate(v) ? renderDeep(v, scope) : v;
  const b = ansibleBoolean(value);
  if (b !== undefined) return b;
  if (strict) throw new Error(notABoolean(value));
  return false;
}
