// ansible.builtin.debug: print a message, or the value of an expression (`var`).
// `verbosity: N` above the run's -v count skips it, registering what Ansible 2.14's debug action does.
import { failed, ok, skipped } from '../../core/result.js';
import type { Module } from '../types.js';
import type { DebugArgs } from '../generated/args.js';

const debug: Module<DebugArgs, never> = {
  name: 'debug',
  controllerOnly: true,
  readOnly: true,
  check(ctx, args) {
    const threshold = Number(args.verbosity ?? 0);
    const verbosity = Number(ctx.vars['ansible_verbosity'] ?? 0);
    if (threshold > verbosity) {
      const why = 'Verbosity threshold not met.';
      return Promise.resolve({ kind: 'decided', result: skipped(why, { data: { skipped_reason: why } }) });
    }
    if (args.msg !== undefined && args.var !== undefined)
      return Promise.resolve({ kind: 'failed', result: failed("'msg' and 'var' are incompatible options") });
    if (args.var !== undefined) {
      const expr = String(args.var);
      let value: unknown;
      try {
        value = ctx.evaluate(expr);
        if (value === undefined) value = 'VARIABLE IS NOT DEFINED!';
      } catch (e) {
        value = /undefined|not defined|has no attribute/i.test((e as Error).message)
          ? 'VARIABLE IS NOT DEFINED!'
          : `error: ${(e as Error).message}`;
      }
      return Promise.resolve({ kind: 'unchanged', result: ok({ data: { [expr]: value } }) });
    }
    const msg = args.msg === undefined ? 'Hello world!' : args.msg;
    return Promise.resolve({ kind: 'unchanged', result: ok({ ...(typeof msg === 'string' ? { msg } : {}), data: { msg } }) });
  },
  apply() {
    return Promise.resolve(ok());
  },
};

export default debug;
