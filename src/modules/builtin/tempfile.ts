// ansible.builtin.tempfile: a new temporary file or directory on the host (mktemp). Every run
// creates a new one, as in Ansible, so it always reports a change. Ansible's tempfile does not
// support check mode: there the task is skipped (the plan still shows what it would create).
import { changed, failed } from '../../core/result.js';
import type { Module } from '../types.js';
import type { TempfileArgs } from '../generated/args.js';
import { execOpts } from '../support/exec.js';

interface Plan {
  readonly argv: string[];
  readonly state: 'file' | 'directory';
}

const tempfile: Module<TempfileArgs, Plan> = {
  name: 'tempfile',
  checkMode: 'none',
  check(_ctx, args) {
    const state = (args.state ?? 'file') as Plan['state'];
    const prefix = args.prefix ?? 'ansible.';
    const suffix = args.suffix ?? '';
    const dir = args.path;
    if (prefix.includes('/') || suffix.includes('/'))
      return Promise.resolve({ kind: 'failed', result: failed('prefix and suffix cannot contain /') });
    const argv = [
      'mktemp',
      ...(state === 'directory' ? ['-d'] : []),
      ...(dir ? [`--tmpdir=${dir}`] : ['--tmpdir']),
      ...(suffix ? [`--suffix=${suffix}`] : []),
      '--',
      `${prefix}XXXXXXXXXX`,
    ];
    return Promise.resolve({ kind: 'change', summary: `create a temporary ${state} in ${dir ?? '$TMPDIR'}`, plan: { argv, state } });
  },
  async apply(ctx, _args, prediction) {
    const p = prediction.plan;
    const r = await ctx.conn.exec(p.argv, execOpts(ctx));
    if (r.rc !== 0) return failed(`mktemp failed: ${(r.stderr || r.stdout).trim()}`);
    return changed({ data: { path: r.stdout.trim(), state: p.state } });
  },
};

export default tempfile;
