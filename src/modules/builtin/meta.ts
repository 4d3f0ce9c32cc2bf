// ansible.builtin.meta: executor actions (flush_handlers, end_play, end_host, clear_facts, noop...).
// The module only names the action in data.meta; the executor carries it out.
import { failed, ok } from '../../core/result.js';
import type { Module } from '../types.js';
import type { MetaArgs } from '../generated/args.js';
import { str } from '../support/args.js';

export const META_ACTIONS = [
  'flush_handlers',
  'end_play',
  'end_host',
  'clear_facts',
  'noop',
  'refresh_inventory',
  'reset_connection',
] as const;

const meta: Module<MetaArgs, never> = {
  name: 'meta',
  freeForm: '_raw_params',
  controllerOnly: true,
  check(_ctx, args) {
    const action = str(args._raw_params)?.trim();
    if (!action || !(META_ACTIONS as readonly string[]).includes(action)) {
      return Promise.resolve({
        kind: 'failed',
        result: failed(`invalid meta action '${action ?? ''}' (one of ${META_ACTIONS.join(', ')})`),
      });
    }
    return Promise.resolve({ kind: 'unchanged', result: ok({ data: { meta: action } }) });
  },
  apply() {
    return Promise.resolve(ok());
  },
};

export default meta;
