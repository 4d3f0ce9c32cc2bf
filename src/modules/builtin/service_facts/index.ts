// ansible.builtin.service_facts: the host's services into the fact `services`
// ({name: {name, state, status, source}}), as ansible-core 2.14's module gathers them: sysv init
// (`service --status-all`), upstart, chkconfig or OpenRC, then systemd's units over them when
// systemd is PID 1. One sh script (script.ts) in one round trip; parse.ts reads it. Reads only.
import { failed, ok, skipped } from '../../../core/result.js';
import type { Module } from '../../types.js';
import type { ServiceFactsArgs } from '../../generated/args.js';
import { factOpts } from '../../support/exec.js';
import { MARK, SERVICES_SCRIPT } from './script.js';
import { parseServices } from './parse.js';

const NONE = 'Failed to find any services. This can be due to privileges or some other configuration issue.';

const serviceFacts: Module<ServiceFactsArgs, never> = {
  name: 'service_facts',
  readOnly: true,
  factsLevel: 'host-facts',
  async check(ctx) {
    const r = await ctx.conn.shell(SERVICES_SCRIPT, factOpts(ctx));
    if (!r.stdout.includes(`${MARK}done`)) {
      const why = r.timedOut ? 'timed out' : `rc ${r.rc}${r.stderr.trim() ? `: ${r.stderr.trim()}` : ''}`;
      return { kind: 'failed', result: failed(`could not list the services (${why})`, { rc: r.rc, stderr: r.stderr }) };
    }
    const warnings: string[] = [];
    const services = parseServices(r.stdout, (m) => warnings.push(m));
    const data = warnings.length ? { data: { warnings } } : {};
    if (Object.keys(services).length === 0) return { kind: 'decided', result: skipped(NONE, { msg: NONE, ...data }) };
    return { kind: 'unchanged', result: ok({ ansible_facts: { services }, ...data }) };
  },
  apply() {
    return Promise.resolve(ok());
  },
};

export default serviceFacts;
