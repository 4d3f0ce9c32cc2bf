// An `async:` job on the host: started by the wrapper (async-wrapper.ts) under
// ~/.ansible_async/<jid>, read and removed as Ansible's async_status does.
import { failed, ok, type ModuleResult } from '../../core/result.js';
import { hostPython } from '../ansible/module.js';
import { moduleResult } from '../ansible/result.js';
import type { ModuleContext } from '../types.js';
import { ASYNC_WRAPPER } from './async-wrapper.js';
import { execOpts } from './exec.js';

/** What a module runs in the background: an argv, whose output is a command's or a module's JSON answer. */
export interface BackgroundJob {
  readonly argv: readonly string[];
  /** the argv follows the host's Python (the one the wrapper runs on) */
  readonly python?: boolean;
  /** what the result's `cmd` says (command: the argv; shell: the script) */
  readonly cmd: string | readonly string[];
  readonly output: 'command' | 'module';
  readonly cwd?: string | undefined;
  readonly stdin?: string | undefined;
  /** strip_empty_ends: one trailing newline off stdout and stderr */
  readonly strip?: boolean;
}

export type Job = { readonly job: BackgroundJob; readonly seconds: number } | { readonly result: Record<string, unknown> };

/** Starts a job (or stores a result already known) under `jid`; returns the results file or why not. */
export async function startJob(ctx: ModuleContext, jid: string, what: Job): Promise<{ file: string } | { error: string }> {
  const spec =
    'result' in what
      ? { jid, result: what.result }
      : {
          jid,
          seconds: what.seconds,
          output: what.job.output,
          argv: what.job.argv,
          python: what.job.python ?? false,
          cmd: what.job.cmd,
          cwd: what.job.cwd,
          stdin: what.job.stdin,
          strip: what.job.strip ?? false,
        };
  const r = await hostPython(ctx, ['-c', ASYNC_WRAPPER], { ...execOpts(ctx), stdin: JSON.stringify(spec) });
  try {
    const answer = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as { results_file?: unknown };
    if (r.rc === 0 && typeof answer.results_file === 'string') return { file: answer.results_file };
  } catch {
    // not the wrapper's answer: reported below with its output
  }
  return { error: `could not start the async job: ${(r.stderr || r.stdout).trim() || `rc ${r.rc}`}` };
}

// $1: the job id. Prints the results file's path, then its text (absent: exit 3; cleanup: removes it)
const READ = 'f="$HOME/.ansible_async/$1"; [ -e "$f" ] || { echo "$f"; exit 3; }; echo "$f"; cat -- "$f"';
const REMOVE = 'f="$HOME/.ansible_async/$1"; [ -e "$f" ] || { echo "$f"; exit 3; }; echo "$f"; rm -f -- "$f"';

/** async_status: the job's state, as Ansible 2.14's module and action answer (running: finished 0; done: its result, finished 1). */
export async function jobStatus(ctx: ModuleContext, jid: string): Promise<ModuleResult & { found: boolean }> {
  const r = await ctx.conn.exec(['/bin/sh', '-c', READ, 'sh', jid], execOpts(ctx));
  const nl = r.stdout.indexOf('\n');
  const file = nl < 0 ? r.stdout.trim() : r.stdout.slice(0, nl);
  // what the action plugin starts from, the module's answer merged over it
  const base = { started: 1, finished: 0, stdout: '', stderr: '', ansible_job_id: jid, results_file: file };
  if (r.rc === 3) return { ...failed('could not find job', { stdout: '', stderr: '', data: { ...base, finished: 1 } }), found: false };
  if (r.rc !== 0) return { ...failed(`could not read job ${jid}: ${r.stderr.trim()}`), found: false };
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(r.stdout.slice(nl + 1)) as Record<string, unknown>;
  } catch {
    // not written yet (the wrapper renames whole files, so only the moment before the first): running
    data = {};
  }
  if (!('started' in data) && Object.keys(data).length > 0) Object.assign(data, { finished: 1, ansible_job_id: jid });
  else if (!('finished' in data)) data['finished'] = 0;
  const merged = { ...base, ...data };
  const result = moduleResult('async_status', { rc: 0, stdout: JSON.stringify(merged), stderr: '' }, {});
  // a command that ran and failed changed the host all the same (Ansible registers changed: true)
  if (result.status === 'failed' && data['changed'] === true) return { ...result, data: { ...result.data, changed: true }, found: true };
  return { ...result, found: true };
}

/** async_status mode=cleanup: removes the job file. */
export async function removeJob(ctx: ModuleContext, jid: string): Promise<ModuleResult> {
  const r = await ctx.conn.exec(['/bin/sh', '-c', REMOVE, 'sh', jid], execOpts(ctx));
  const file = r.stdout.trim();
  if (r.rc === 3) return failed('could not find job', { data: { ansible_job_id: jid, started: 1, finished: 1 } });
  if (r.rc !== 0) return failed(`could not remove job ${jid}: ${r.stderr.trim()}`);
  return ok({ stdout: '', stderr: '', data: { ansible_job_id: jid, erased: file, started: 0, finished: 0 } });
}
