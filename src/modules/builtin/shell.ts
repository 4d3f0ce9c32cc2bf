// ansible.builtin.shell: run a script through /bin/sh -c (or `executable` -c). The only
// module that hands user text to a shell, which is what it is for.
import { failed } from '../../core/result.js';
import type { Module } from '../types.js';
import type { ShellArgs } from '../generated/args.js';
import { checkCommand, commandResult, stdinOf } from '../support/command.js';
import { execOpts } from '../support/exec.js';

const shell: Module<ShellArgs, string> = {
  name: 'shell',
  freeForm: 'cmd',
  async check(ctx, args) {
    const script = args.cmd;
    if (script === undefined || script.trim() === '') return { kind: 'failed', result: failed('no command given') };
    return checkCommand(ctx, args, `run ${script.split('\n')[0]}`, script, script);
  },
  async apply(ctx, args, prediction) {
    const script = prediction.plan;
    const executable = args.executable;
    const opts = execOpts(ctx, { cwd: args.chdir, stdin: stdinOf(args) });
    const started = Date.now();
    const r = executable !== undefined ? await ctx.conn.exec([executable, '-c', script], opts) : await ctx.conn.shell(script, opts);
    return commandResult(script, r, started, args);
  },
  background(_ctx, args, prediction) {
    const script = prediction.plan;
    const argv = [args.executable ?? '/bin/sh', '-c', script];
    return Promise.resolve({ argv, cmd: script, output: 'command', cwd: args.chdir, stdin: stdinOf(args), strip: args.strip_empty_ends });
  },
};

export default shell;
