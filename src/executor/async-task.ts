// `async: N` / `poll: P` as Ansible 2.14 runs them. The module's work starts as a job on the host
// (modules/support/async-job.ts: detached, killed after N seconds) and the task goes on at once:
// with `poll: 0` it registers {ansible_job_id, results_file, started: 1, finished: 0} and the
// next task runs while the job does (async_status reads it later); with `poll: P > 0` the job
// is read every P seconds until it finishes (its result is the task's, the job file removed) or
// N seconds are used up ("async task did not complete within the requested time").
// A module that cannot run detached (no background(): file, copy, the etcd modules...) runs to
// its end here and its result is stored as the job's, so async_status answers the same way.
// In check mode nothing starts: the task is the module's prediction, with the job's fields.
import { randomInt } from 'node:crypto';
import { changed, failed, toRegistered, type CheckPrediction, type ModuleResult } from '../core/result.js';
import { sleep } from '../core/sleep.js';
import { jobStatus, removeJob, startJob } from '../modules/support/async-job.js';
import type { Module, ModuleContext } from '../modules/types.js';
import { invokeModule } from './invoke.js';

export interface AsyncSettings {
  /** async: the job's time limit in seconds (> 0) */
  readonly seconds: number;
  /** poll: seconds between reads of the job; 0: leave it running */
  readonly poll: number;
}

export interface AsyncOutcome {
  readonly result: ModuleResult & CheckPrediction;
  /** registered fields that override the result's own (Ansible registers `failed: 0` for a job left running) */
  readonly extra: Record<string, unknown>;
}

export async function runAsync(module: Module, ctx: ModuleContext, args: Record<string, unknown>, s: AsyncSettings): Promise<AsyncOutcome> {
  // Ansible's ActionBase refuses both before the module runs
  if (module.controllerOnly) return { result: failed('async is not supported for this task.'), extra: {} };
  const jid = `j${randomInt(0, 999_999_999_999)}.${randomInt(1, 4_194_304)}`;
  // check mode is runbook's plan: the module's own prediction (a command "would run"), so a plan
  // holding an async task asks before applying; Ansible fails the task instead (docs/ansible-compatibility.md)
  if (ctx.checkMode) {
    const predicted = await invokeModule(module, ctx, args);
    return {
      result: predicted,
      extra: predicted.status === 'failed' ? {} : { ansible_job_id: jid, started: 1, finished: s.poll > 0 ? 1 : 0 },
    };
  }
  let file: string | undefined;
  let startError = false;
  const result = await invokeModule(module, ctx, args, async (job) => {
    const r = await startJob(ctx, jid, { job, seconds: s.seconds });
    if ('error' in r) {
      startError = true;
      return failed(r.error);
    }
    file = r.file;
    return changed();
  });
  if (startError || result.status === 'unreachable') return { result, extra: {} };
  if (file === undefined) {
    const stored = await startJob(ctx, jid, { result: toRegistered(result) });
    if ('error' in stored) return { result: failed(stored.error), extra: {} };
    file = stored.file;
  }
  if (s.poll <= 0)
    return { result: changed({ data: { ansible_job_id: jid, results_file: file, started: 1, finished: 0 } }), extra: { failed: 0 } };
  let left = s.seconds;
  let status: Awaited<ReturnType<typeof jobStatus>> | undefined;
  while (left > 0) {
    if (!(await sleep(s.poll * 1000, ctx.signal))) return { result: failed(`interrupted while waiting for async job ${jid}`), extra: {} };
    status = await jobStatus(ctx, jid);
    if (status.data?.['finished'] === 1 || !status.found) break;
    left -= s.poll;
  }
  const { found: _found, ...last } = status ?? { found: false, ...failed('the job was never read') };
  if (last.data?.['finished'] !== 1 || !status?.found) {
    const { changed: _c, failed: _f, ...asyncResult } = toRegistered(last);
    return {
      result: failed(`async task did not complete within the requested time - ${s.seconds}s`, { data: { async_result: asyncResult } }),
      extra: {},
    };
  }
  await removeJob(ctx, jid); // Ansible cleans up a job it waited for
  return { result: last, extra: {} };
}
