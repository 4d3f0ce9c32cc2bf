// ExecOptions from the module context: become, environment and timeout pass through.
import type { ExecOptions } from '../../connection/types.js';
import type { ModuleContext } from '../types.js';

export function execOpts(
  ctx: ModuleContext,
  extra: { cwd?: string | undefined; stdin?: string | undefined; env?: Record<string, string> } = {},
): ExecOptions {
  const env = { ...ctx.env, ...(extra.env ?? {}) };
  return {
    ...(ctx.become ? { become: ctx.become } : {}),
    ...(Object.keys(env).length ? { env } : {}),
    ...(ctx.timeoutMs !== undefined ? { timeoutMs: ctx.timeoutMs } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(extra.cwd !== undefined ? { cwd: extra.cwd } : {}),
    ...(extra.stdin !== undefined ? { stdin: extra.stdin } : {}),
  };
}

/** Options for the internal fact scripts: the C locale so messages parse the same everywhere. */
export function factOpts(ctx: ModuleContext): ExecOptions {
  return execOpts(ctx, { env: { LC_ALL: 'C' } });
}

/** Ansible strips one trailing newline from stdout/stderr. */
export function stripNl(s: string): string {
  return s.replace(/\r?\n$/, '');
}

/** The abortable sleep (core/sleep.ts), where the modules look for it. */
export { sleep } from '../../core/sleep.js';
