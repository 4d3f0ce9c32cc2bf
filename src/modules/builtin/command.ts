// ansible.builtin.command: run a program with arguments, never through a shell. As in Ansible
// the free form is templated whole and then split like shlex.split (`command: "{{ cmd }}"`
// with `cmd: "systemctl stop etcd"` runs systemctl; `;`, `|` and `$()` stay plain words);
// `argv:` is how a value stays exactly one argument.
import { failed } from '../../core/result.js';
import type { Module } from '../types.js';
import type { CommandArgs } from '../generated/args.js';
import { argvOf } from '../support/args.js';
import { checkCommand, commandResult, stdinOf } from '../support/command.js';
import { execOpts } from '../support/exec.js';

const command: Module<CommandArgs, readonly string[]> = {
  name: 'command',
  freeForm: 'cmd',
  async check(ctx, args) {
    if (args.cmd !== undefined && args.argv !== undefined)
      return { kind: 'failed', result: failed('parameters are mutually exclusive: cmd|argv') };
    let argv: string[] | undefined;
    try {
      argv = args.argv !== undefined ? argvOf(args.argv) : argvOf(args.cmd);
    } catch (e) {
      return { kind: 'failed', result: failed(`cannot split the command line: ${(e as Error).message}`) };
    }
    if (!argv || argv.length === 0) return { kind: 'failed', result: failed('no command given') };
    return checkCommand(ctx, args, `run ${argv.join(' ')}`, argv, argv);
  },
  async apply(ctx, args, prediction) {
    const argv = prediction.plan;
    const started = Date.now();
    const r = await ctx.conn.exec(argv, execOpts(ctx, { cwd: args.chdir, stdin: stdinOf(args) }));
    return commandResult(argv, r, started, args);
  },
  background(_ctx, args, prediction) {
    const argv = prediction.plan;
    return Promise.resolve({ argv, cmd: argv, output: 'command', cwd: args.chdir, stdin: stdinOf(args), strip: args.strip_empty_ends });
  },
};

export default command;
