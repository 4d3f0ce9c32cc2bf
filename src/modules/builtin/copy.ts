// ansible.builtin.copy: put a controller file (or inline content, or a file already on the
// host with remote_src) at dest, with mode/owner/group; sha1 comparison decides.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { failed } from '../../core/result.js';
import type { Module, ModuleContext, Prediction } from '../types.js';
import type { CopyArgs } from '../generated/args.js';
import { bool, parseMode, str } from '../support/args.js';
import { findControllerFile, lookedIn, searchDirs, isControllerDir } from '../support/files.js';
import { applyWrite, planWrite, type WritePlan } from '../support/write.js';

async function source(ctx: ModuleContext, args: CopyArgs): Promise<{ content: Buffer; name?: string } | { error: string }> {
  const src = str(args.src);
  if (args.content !== undefined) {
    if (src !== undefined) return { error: 'src and content are mutually exclusive' };
    const c = args.content;
    return { content: Buffer.from(typeof c === 'string' ? c : JSON.stringify(c), 'utf8') };
  }
  if (src === undefined) return { error: 'one of src or content is required' };
  if (bool(args.remote_src, false)) {
    const data = await ctx.conn.readFile(src, ctx.become ? { become: ctx.become } : {});
    if (data === null) return { error: `Source ${src} not found on the host` };
    return { content: data, name: basename(src) };
  }
  const path = findControllerFile(searchDirs(ctx), src, 'files');
  if (!path) return { error: `Could not find or access '${src}' (looked in ${lookedIn(searchDirs(ctx), 'files')})` };
  if (isControllerDir(path)) return { error: `src '${src}' is a directory; copying directories is not supported` };
  return { content: await readFile(path), name: basename(path) };
}

const copy: Module<CopyArgs, WritePlan> = {
  name: 'copy',
  async check(ctx, args): Promise<Prediction<WritePlan>> {
    const dest = str(args.dest);
    if (dest === undefined || dest === '') return { kind: 'failed', result: failed('dest is required') };
    const s = await source(ctx, args);
    if ('error' in s) return { kind: 'failed', result: failed(s.error) };
    let mode: number | undefined;
    try {
      mode = parseMode(args.mode);
    } catch (e) {
      return { kind: 'failed', result: failed((e as Error).message) };
    }
    return planWrite(ctx, {
      dest,
      content: s.content,
      srcName: s.name,
      mode,
      owner: str(args.owner),
      group: str(args.group),
      force: bool(args.force, true),
      backup: bool(args.backup, false),
      validate: str(args.validate),
    });
  },
  apply(ctx, _args, prediction) {
    return applyWrite(ctx, prediction.plan);
  },
};

export default copy;
