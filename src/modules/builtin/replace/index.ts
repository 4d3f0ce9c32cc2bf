// ansible.builtin.replace: replace every match of a (Python) regular expression in a file,
// optionally only between `after` and `before`. The edit is substitute.ts.
import { failed } from '../../../core/result.js';
import type { Module, Prediction } from '../../types.js';
import type { ReplaceArgs } from '../../generated/args.js';
import { readMode } from '../../support/mode.js';
import { applyEdit, planEdit, type EditPlan } from '../../support/edit.js';
import { replaceText } from './substitute.js';

const replace: Module<ReplaceArgs, EditPlan> = {
  name: 'replace',
  async check(ctx, args): Promise<Prediction<EditPlan>> {
    const path = args.path ?? args.dest ?? args.destfile ?? args.name;
    const regexp = args.regexp;
    if (path === undefined || path === '') return { kind: 'failed', result: failed('path is required') };
    if (regexp === undefined) return { kind: 'failed', result: failed('regexp is required') };
    const read = readMode(args.mode);
    if (!read.ok) return read.failure;
    const { mode, symbolic } = read;
    return planEdit(
      ctx,
      path,
      { mode, symbolic, owner: args.owner, group: args.group },
      args.backup,
      () => ({ result: failed(`Path ${path} does not exist !`, { rc: 257 }) }),
      (text) => replaceText(text, { regexp, replace: args.replace ?? '', after: args.after, before: args.before }),
    );
  },
  apply(ctx, _args, prediction) {
    return applyEdit(ctx, prediction.plan);
  },
};

export default replace;
