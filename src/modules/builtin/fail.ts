// ansible.builtin.fail: fail the task with a message.
import { failed, ok } from '../../core/result.js';
import type { Module } from '../types.js';
import type { FailArgs } from '../generated/args.js';

const fail: Module<FailArgs, never> = {
  name: 'fail',
  controllerOnly: true,
  readOnly: true,
  check(_ctx, args) {
    const msg =
      args.msg === undefined || args.msg === null
        ? 'Failed as requested from task'
        : typeof args.msg === 'string'
          ? args.msg
          : JSON.stringify(args.msg);
    return Promise.resolve({ kind: 'failed', result: failed(msg) });
  },
  apply() {
    return Promise.resolve(ok());
  },
};

export default fail;
