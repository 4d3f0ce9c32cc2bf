// ansible.builtin.slurp: a file on the host, base64-encoded into the result (`content`,
// `encoding`, `source`), as Ansible returns it. Reads only.
import { failed, ok } from '../../core/result.js';
import type { Module } from '../types.js';
import type { SlurpArgs } from '../generated/args.js';
import { execOpts } from '../support/exec.js';

const slurp: Module<SlurpArgs, never> = {
  name: 'slurp',
  readOnly: true,
  async check(ctx, args) {
    const src = args.src ?? args.path;
    if (!src) return { kind: 'failed', result: failed('missing required arguments: src') };
    // the kind first: readFile cannot tell a directory or an unreadable file from a missing one
    const kind = await ctx.conn.exec(
      [
        'sh',
        '-c',
        'if [ -d "$1" ]; then echo dir; elif [ -e "$1" ]; then [ -r "$1" ] && echo file || echo unreadable; else echo missing; fi',
        'sh',
        src,
      ],
      execOpts(ctx),
    );
    const what = kind.stdout.trim();
    if (what === 'missing') return { kind: 'failed', result: failed(`file not found: ${src}`) };
    if (what === 'dir') return { kind: 'failed', result: failed(`source is a directory and must be a file: ${src}`) };
    if (what === 'unreadable') return { kind: 'failed', result: failed(`file is not readable: ${src}`) };
    const data = await ctx.conn.readFile(src, ctx.become ? { become: ctx.become } : {});
    if (data === null) return { kind: 'failed', result: failed(`file not found: ${src}`) };
    return { kind: 'unchanged', result: ok({ data: { content: data.toString('base64'), encoding: 'base64', source: src } }) };
  },
  apply() {
    return Promise.resolve(ok());
  },
};

export default slurp;
