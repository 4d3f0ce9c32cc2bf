// ansible.builtin.lineinfile: make sure one line is (or no line matching is) in a file.
// The edit itself is the pure function in support/lines.ts.
import { failed, ok } from '../../core/result.js';
import type { Module, Prediction } from '../types.js';
import type { LineinfileArgs } from '../generated/args.js';
import { str } from '../support/args.js';
import { readMode } from '../support/mode.js';
import { applyEdit, planEdit, type EditPlan } from '../support/edit.js';
import { editLines } from '../support/lines.js';

const lineinfile: Module<LineinfileArgs, EditPlan> = {
  name: 'lineinfile',
  async check(ctx, args): Promise<Prediction<EditPlan>> {
    const path = args.path ?? args.dest ?? args.destfile ?? args.name;
    if (path === undefined || path === '') return { kind: 'failed', result: failed('path is required') };
    const state = str(args.state) ?? 'present';
    if (state !== 'present' && state !== 'absent')
      return { kind: 'failed', result: failed(`state must be present or absent (got '${state}')`) };
    const line = args.line;
    const regexp = args.regexp;
    const searchString = args.search_string;
    if (regexp !== undefined && searchString !== undefined)
      return { kind: 'failed', result: failed('parameters are mutually exclusive: regexp|search_string') };
    if (args.insertafter !== undefined && args.insertbefore !== undefined)
      return { kind: 'failed', result: failed('parameters are mutually exclusive: insertafter|insertbefore') };
    if (state === 'present' && line === undefined) return { kind: 'failed', result: failed('line is required with state=present') };
    if (state === 'absent' && line === undefined && regexp === undefined && searchString === undefined)
      return { kind: 'failed', result: failed('one of line, regexp or search_string is required with state=absent') };
    const backrefs = args.backrefs;
    if (backrefs && regexp === undefined) return { kind: 'failed', result: failed('regexp is required with backrefs=true') };
    const read = readMode(args.mode);
    if (!read.ok) return read.failure;
    const { mode, symbolic } = read;
    const create = args.create;
    const validate = args.validate;
    const p = await planEdit(
      ctx,
      path,
      { mode, symbolic, owner: args.owner, group: args.group },
      args.backup,
      () => {
        if (state === 'absent') return { result: ok({ msg: 'file not present', data: { path } }) };
        if (!create || backrefs) return { result: failed(`Destination ${path} does not exist !`, { rc: 257 }) };
        return 'create';
      },
      (text) =>
        editLines(text, {
          state,
          line,
          regexp,
          searchString,
          insertafter: args.insertafter,
          insertbefore: args.insertbefore,
          backrefs,
          firstmatch: args.firstmatch,
        }),
    );
    return p.kind === 'change' && validate !== undefined ? { ...p, plan: { ...p.plan, validate } } : p;
  },
  apply(ctx, _args, prediction) {
    return applyEdit(ctx, prediction.plan);
  },
};

export default lineinfile;
