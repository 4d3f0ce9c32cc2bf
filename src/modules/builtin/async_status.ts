// ansible.builtin.async_status: the state of a job started with `async:` (executor/async-task.ts),
// read from ~/.ansible_async/<jid> on the host: `finished: 0` while it runs, then its result with
// `finished: 1`; mode=cleanup removes the job file. It changes nothing the play converges, so it
// answers in check() (Ansible runs it in check mode too).
import type { Module } from '../types.js';
import type { AsyncStatusArgs } from '../generated/args.js';
import { jobStatus, removeJob } from '../support/async-job.js';

const asyncStatus: Module<AsyncStatusArgs, never> = {
  name: 'async_status',
  readOnly: true,
  async check(ctx, args) {
    const jid = String(args.jid);
    const result = args.mode === 'cleanup' ? await removeJob(ctx, jid) : await jobStatus(ctx, jid);
    const { found, ...plain } = result as typeof result & { found?: boolean };
    // in a plan the job was only predicted: its status is known once the task that starts it
    // ran; the plan reads it as finished (an `until: job.finished` loop goes on to the next step)
    if (found === false && args.mode !== 'cleanup') {
      const checkFields = { data: { ansible_job_id: jid, started: 1, finished: 1 } };
      const inPlan = { kind: 'unknown', summary: `the status of async job ${jid}`, plan: undefined as never, checkFields } as const;
      return { kind: 'pending', inPlan, failure: plain };
    }
    return plain.status === 'failed' ? { kind: 'failed', result: plain } : { kind: 'decided', result: plain };
  },
  apply() {
    throw new Error('async_status answers in check()');
  },
};

export default asyncStatus;
