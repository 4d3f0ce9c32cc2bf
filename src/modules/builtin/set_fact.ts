// ansible.builtin.set_fact: set host variables (facts) from the task's arguments.
import { ok } from '../../core/result.js';
import type { Module } from '../types.js';
import type { SetFactArgs } from '../generated/args.js';

const setFact: Module<SetFactArgs, never> = {
  name: 'set_fact',
  controllerOnly: true,
  readOnly: true,
  check(_ctx, args) {
    const facts: Record<string, unknown> = { ...args };
    delete facts['cacheable'];
    return Promise.resolve({ kind: 'unchanged', result: ok({ ansible_facts: facts }) });
  },
  apply() {
    return Promise.resolve(ok());
  },
};

export default setFact;
