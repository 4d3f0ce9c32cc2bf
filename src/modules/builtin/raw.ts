// ansible.builtin.raw: a command line through the host's shell, nothing else (no Python, no
// module machinery: what bootstraps a bare host). Ansible reports it changed whenever it runs,
// failed on a non-zero rc, and skips it in check mode (raw does not support check mode).
import { changed, failed } from '../../core/result.js';
import type { Module } from '../types.js';
import type { RawArgs } from '../generated/args.js';
import { execOpts } from '../support/exec.js';

const raw: Module<RawArgs, string> = {
  name: 'raw',
  freeForm: '_raw_params',
  async check(_ctx, args) {
    const line = args._raw_params;
    if (line === undefined || line.trim() === '') return { kind: 'failed', result: failed('no command given') };
    return { kind: 'unknown', summary: `run ${line.split('\n')[0]}`, plan: line };
  },
  async apply(ctx, args, prediction) {
    const line = prediction.plan;
    const executable = args.executable;
    const opts = execOpts(ctx);
    const r = executable !== undefined ? await ctx.conn.exec([executable, '-c', line], opts) : await ctx.conn.shell(line, opts);
    const fields = { rc: r.rc, stdout: r.stdout, stderr: r.stderr };
    return r.rc === 0 ? changed(fields) : failed('non-zero return code', { ...fields, data: { changed: true } });
  },
};

export default raw;
