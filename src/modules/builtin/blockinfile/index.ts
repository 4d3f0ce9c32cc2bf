// ansible.builtin.blockinfile: a block of lines between two marker lines is in a file exactly
// as given (or is gone). The edit is the pure function in block.ts.
import { failed, ok } from '../../../core/result.js';
import type { Module, Prediction } from '../../types.js';
import type { BlockinfileArgs } from '../../generated/args.js';
import { str } from '../../support/args.js';
import { readMode } from '../../support/mode.js';
import { editBlock } from './block.js';
import { applyEdit, planEdit, type EditPlan } from '../../support/edit.js';

const blockinfile: Module<BlockinfileArgs, EditPlan> = {
  name: 'blockinfile',
  async check(ctx, args): Promise<Prediction<EditPlan>> {
    const path = args.path ?? args.dest ?? args.destfile ?? args.name;
    if (path === undefined || path === '') return { kind: 'failed', result: failed('missing required arguments: path') };
    if (args.insertafter !== undefined && args.insertbefore !== undefined)
      return { kind: 'failed', result: failed('parameters are mutually exclusive: insertbefore|insertafter') };
    const state = (str(args.state) ?? 'present') as 'present' | 'absent';
    const read = readMode(args.mode);
    if (!read.ok) return read.failure;
    const { mode, symbolic } = read;
    let missing = false;
    return planEdit(
      ctx,
      path,
      { mode, symbolic, owner: args.owner, group: args.group },
      args.backup,
      () => {
        // Ansible checks create before state: absent on a missing file without create fails
        if (!args.create) return { result: failed(`Path ${path} does not exist !`, { rc: 257 }) };
        if (state === 'absent') return { result: ok({ msg: `File ${path} not present`, data: { path } }) };
        missing = true;
        return 'create';
      },
      (text) =>
        editBlock(missing ? null : text, {
          state,
          block: args.block ?? args.content ?? '',
          marker: args.marker ?? '# {mark} ANSIBLE MANAGED BLOCK',
          markerBegin: args.marker_begin ?? 'BEGIN',
          markerEnd: args.marker_end ?? 'END',
          insertafter: args.insertafter,
          insertbefore: args.insertbefore,
        }),
    );
  },
  apply(ctx, _args, prediction) {
    return applyEdit(ctx, prediction.plan);
  },
};

export default blockinfile;
