// ansible.builtin.async_status: the result of a job started with `async:` and `poll: 0`.
// runbook runs such a task to its end before going on (executor/task.ts asyncJob), so the job
// is finished by the time anyone asks: its result is the host's registered value carrying
// that ansible_job_id.
import { failed, ok } from '../../core/result.js';
import type { Module } from '../types.js';
import type { AsyncStatusArgs } from '../generated/args.js';

const asyncStatus: Module<AsyncStatusArgs, never> = {
  name: 'async_status',
  controllerOnly: true,
  readOnly: true,
  check(ctx, args) {
    const jid = String(args.jid);
    if (args.mode === 'cleanup') return Promise.resolve({ kind: 'unchanged', result: ok({ data: { ansible_job_id: jid, erased: jid } }) });
    const job = Object.values(ctx.vars).find(
      (v): v is Record<string, unknown> => typeof v === 'object' && v !== null && (v as Record<string, unknown>)['ansible_job_id'] === jid,
    );
    if (!job)
      return Promise.resolve({
        kind: 'failed',
        result: failed(`could not find job ${jid}`, { data: { ansible_job_id: jid, started: 1, finished: 1 } }),
      });
    const { changed: _c, failed: _f, skipped: _s, ...fields } = job;
    const result = { ...fields, finished: 1, started: 1 };
    if (job['failed'] === true)
      return Promise.resolve({ kind: 'failed', result: failed(String(job['msg'] ?? 'the job failed'), { data: result }) });
    return Promise.resolve({
      kind: 'unchanged',
      result: job['changed'] === true ? { status: 'changed', data: result } : ok({ data: result }),
    });
  },
  apply() {
    return Promise.resolve(ok());
  },
};

export default asyncStatus;
