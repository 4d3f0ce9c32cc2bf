// command and shell: creates/removes decide in check(); otherwise the outcome is unknown
// until the command runs.
import { changed, failed, ok, type ModuleResult } from '../../core/result.js';
import type { ExecResult } from '../../connection/types.js';
import type { ModuleContext, Prediction } from '../types.js';
import type { CommandArgsBase } from '../generated/args.js';
import { execOpts, stripNl } from './exec.js';
import { currentDateTime, dateTimeStr, timedeltaStr } from '../../template/datetime.js';

/** start/end/delta as Ansible's command module registers them (str() of a local datetime and of a timedelta); null when it did not run. */
const NOT_RUN = { start: null, end: null, delta: null };

/** What command and shell share (their schemas declare these alike; the booleans arrive coerced). */
export type CommandArgs = Pick<CommandArgsBase, 'chdir' | 'creates' | 'removes' | 'stdin' | 'stdin_add_newline' | 'strip_empty_ends'>;

// $1: a path or glob (expanded by the for loop on purpose, as Ansible globs creates/removes)
const EXISTS_SCRIPT = 'for f in $1; do [ -e "$f" ] && exit 0; done; exit 1';

async function exists(ctx: ModuleContext, pattern: string, cwd: string | undefined): Promise<boolean> {
  const r = await ctx.conn.exec(['/bin/sh', '-c', EXISTS_SCRIPT, 'sh', pattern], execOpts(ctx, { cwd }));
  return r.rc === 0;
}

/**
 * As Ansible 2.14: ok when `creates` exists / `removes` is absent; otherwise it would run —
 * in check mode `changed` when creates/removes decided that, else skipped, registering
 * rc 0 and empty output either way so a later task reading `.stdout` still templates.
 */
export async function checkCommand<P>(
  ctx: ModuleContext,
  args: CommandArgs,
  summary: string,
  plan: P,
  cmd: readonly string[] | string,
): Promise<Prediction<P>> {
  const cwd = args.chdir;
  const creates = args.creates;
  const removes = args.removes;
  // Ansible's wording: its message says what check mode would have done (part of the contract, types.ts)
  const would = ctx.checkMode ? 'Would' : 'Did';
  if (creates !== undefined && (await exists(ctx, creates, cwd))) {
    const stdout = `skipped, since ${creates} exists`;
    return {
      kind: 'unchanged',
      result: ok({ cmd, msg: `${would} not run command since '${creates}' exists`, stdout, stderr: '', rc: 0, data: NOT_RUN }),
    };
  }
  if (removes !== undefined && !(await exists(ctx, removes, cwd))) {
    const stdout = `skipped, since ${removes} does not exist`;
    return {
      kind: 'unchanged',
      result: ok({ cmd, msg: `${would} not run command since '${removes}' does not exist`, stdout, stderr: '', rc: 0, data: NOT_RUN }),
    };
  }
  const checkFields = { cmd, msg: 'Command would have run if not in check mode', rc: 0, stdout: '', stderr: '', data: NOT_RUN };
  if (creates !== undefined || removes !== undefined) return { kind: 'change', summary, plan, checkFields };
  return { kind: 'unknown', summary, plan, checkFields };
}

export function stdinOf(args: CommandArgs): string | undefined {
  const s = args.stdin;
  if (s === undefined) return undefined;
  return args.stdin_add_newline && !s.endsWith('\n') ? s + '\n' : s;
}

export function commandResult(cmd: readonly string[] | string, r: ExecResult, started: number, args: CommandArgs): ModuleResult {
  const strip = args.strip_empty_ends;
  const stdout = strip ? stripNl(r.stdout) : r.stdout;
  const stderr = strip ? stripNl(r.stderr) : r.stderr;
  const end = Date.now();
  const data = {
    start: dateTimeStr(currentDateTime(false, new Date(started))),
    end: dateTimeStr(currentDateTime(false, new Date(end))),
    delta: timedeltaStr(end - started),
  };
  const fields = { cmd, rc: r.rc, stdout, stderr, data };
  if (r.interrupted) return failed('interrupted: the command was killed (Ctrl-C)', fields);
  if (r.timedOut)
    return failed(`the command timed out after ${((end - started) / 1000).toFixed(1)} s (task timeout) and was killed`, fields);
  // the command ran: Ansible registers a failed one as changed too (and counts it, when ignored)
  return r.rc === 0 ? changed({ ...fields, msg: '' }) : failed('non-zero return code', { ...fields, data: { ...data, changed: true } });
}
