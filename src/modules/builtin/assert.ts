// ansible.builtin.assert: every expression in `that` must hold.
import { failed, ok } from '../../core/result.js';
import type { Module } from '../types.js';
import type { AssertArgs } from '../generated/args.js';

function message(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.map((x) => String(x)).join('\n');
  return String(v);
}

const assert: Module<AssertArgs, never> = {
  name: 'assert',
  controllerOnly: true,
  readOnly: true,
  check(ctx, args) {
    const that = args.that;
    const list: (string | boolean)[] = Array.isArray(that)
      ? (that as unknown[]).map((x) => (typeof x === 'boolean' ? x : String(x)))
      : that === undefined
        ? []
        : [typeof that === 'boolean' ? that : String(that)];
    if (list.length === 0) return Promise.resolve({ kind: 'failed', result: failed("assert requires 'that'") });
    const quiet = args.quiet;
    for (const expr of list) {
      let holds: boolean;
      try {
        holds = ctx.evaluateBool(expr);
      } catch (e) {
        return Promise.resolve({
          kind: 'failed',
          result: failed(`The conditional check '${String(expr)}' failed. The error was: ${(e as Error).message}`, {
            data: { assertion: expr },
          }),
        });
      }
      if (!holds) {
        const msg = message(args.fail_msg) ?? message(args.msg) ?? 'Assertion failed';
        return Promise.resolve({ kind: 'failed', result: failed(msg, { data: { assertion: expr, evaluated_to: false } }) });
      }
    }
    const msg = message(args.success_msg) ?? 'All assertions passed';
    return Promise.resolve({
      kind: 'unchanged',
      // as Ansible's assert: msg either way, shown without -v unless quiet (no evaluated_to on success)
      result: ok({ msg, ...(quiet ? {} : { verboseAlways: true }) }),
    });
  },
  apply() {
    return Promise.resolve(ok());
  },
};

export default assert;
