// ansible.builtin.group_by: put the current host into a group named by `key`. The executor
// applies data.add_group (the group name, as Ansible's result) and data.parent_groups.
import { failed, ok } from '../../core/result.js';
import type { Module } from '../types.js';
import type { GroupByArgs } from '../generated/args.js';
import { list } from '../support/args.js';

const groupBy: Module<GroupByArgs, never> = {
  name: 'group_by',
  controllerOnly: true,
  check(_ctx, args) {
    const key = args.key?.replace(/[^A-Za-z0-9_]/g, '_');
    if (key === undefined || key === '') return Promise.resolve({ kind: 'failed', result: failed("group_by requires 'key'") });
    const parents = list(args.parents ?? 'all');
    return Promise.resolve({ kind: 'unchanged', result: ok({ data: { add_group: key, parent_groups: parents } }) });
  },
  apply() {
    return Promise.resolve(ok());
  },
};

export default groupBy;
