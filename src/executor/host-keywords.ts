// A task's keywords on one host (become, check_mode, diff, delegate_to, environment, timeout,
// ignore_errors, no_log…): rendered against that host's scope into the settings its module runs
// with. Apart from task-hosts.ts, which runs the task across the batch with what this returns.
import { becomeSettings } from '../inventory/index.js';
import type { ModuleResult } from '../core/result.js';
import { isTemplate, renderDeep, renderString, TemplateError } from '../template/index.js';
import { ansibleBoolean, notABoolean } from '../core/boolean.js';
import type { Inherited } from './keywords.js';
import type { RunContext } from './run-context.js';
import type { TaskEnv } from './task.js';
import { templateFailure } from './template-failure.js';

/** What a task's keywords say on one host: the settings it runs with, where, and how its result counts. */
export interface Prepared {
  readonly settings: TaskEnv['settings'];
  /** the host the module runs on (delegate_to), and that host's view of the scope when it is another */
  readonly target: string;
  readonly targetScope?: Record<string, unknown>;
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
    // the keyword wins; else the host's become variables (one derivation: inventory/connection-vars.ts)
    const inv = becomeSettings(scope, host, (v) => renderDeep(v, scope));
    const becomeOn = eff.become !== undefined ? boolOf(eff.become, scope) : inv.become === true;
    const becomeUser = eff.becomeUser ? renderString(eff.becomeUser, scope) : (inv.becomeUser ?? 'root');
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
      ...(target !== host ? { targetScope: { ...scope, inventory_hostname: target } } : {}),
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
