// ansible.builtin.fetch: copy a file from the host to the controller, by default into
// dest/<inventory host>/<src path> (flat: dest itself). Relative dest resolves from the
// playbook directory. The controller side uses node:fs.
// `validate_checksum` is accepted for compatibility: the SHA-1 is always compared.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { changed, failed, ok } from '../../core/result.js';
import type { Module, Prediction } from '../types.js';
import type { FetchArgs } from '../generated/args.js';
import { fileDiff, fileFacts, isControllerDir, sha1 } from '../support/files.js';

interface Plan {
  readonly dest: string;
  readonly content: Buffer;
}

export function fetchDest(playbookDir: string, host: string, src: string, dest: string, flat: boolean): string {
  const base = resolve(playbookDir, dest);
  if (flat) return dest.endsWith('/') ? join(base, basename(src)) : base;
  return join(base, host, src.replace(/^\/+/, ''));
}

async function local(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch {
    return null;
  }
}

const fetch: Module<FetchArgs, Plan> = {
  name: 'fetch',
  async check(ctx, args): Promise<Prediction<Plan>> {
    const src = args.src;
    const destArg = args.dest;
    if (src === undefined || destArg === undefined) return { kind: 'failed', result: failed('src and dest are required') };
    const flat = args.flat;
    const dest = fetchDest(ctx.playbookDir, ctx.host, src, destArg, flat);
    if (flat && isControllerDir(dest)) {
      return {
        kind: 'failed',
        result: failed('dest is an existing directory, use a trailing slash if you want to fetch src into that directory', {
          data: { dest, file: src },
        }),
      };
    }
    let content: Buffer | null;
    try {
      content = await ctx.conn.readFile(src, ctx.become ? { become: ctx.become } : {});
    } catch (e) {
      // Ansible's message for a directory; any other read error as it came
      const f = await fileFacts(ctx, src, { follow: true }).catch(() => undefined);
      if (f?.type === 'directory')
        return { kind: 'failed', result: failed('remote file is a directory, fetch cannot work on directories', { data: { file: src } }) };
      return { kind: 'failed', result: failed((e as Error).message, { data: { file: src } }) };
    }
    if (content === null) {
      const msg = 'the remote file does not exist, not transferring, ignored';
      if (args.fail_on_missing)
        return { kind: 'failed', result: failed(`the remote file does not exist: ${src}`, { data: { file: src } }) };
      return { kind: 'unchanged', result: ok({ msg, data: { file: src } }) };
    }
    const checksum = sha1(content);
    const before = await local(dest);
    const data = { dest, checksum, remote_checksum: checksum, file: src };
    if (before && sha1(before) === checksum) return { kind: 'unchanged', result: ok({ data }) };
    const diff = ctx.diffMode ? fileDiff(dest, before, content) : undefined;
    return {
      kind: 'change',
      summary: `${before ? 'update' : 'create'} ${dest} from ${ctx.host}:${src}`,
      ...(diff ? { diff: [diff] } : {}),
      plan: { dest, content },
    };
  },
  async apply(_ctx, args, prediction) {
    const { dest, content } = prediction.plan;
    await mkdir(dirname(dest), { recursive: true });
    await writeFile(dest, content);
    const checksum = sha1(content);
    return changed({
      ...(prediction.kind === 'change' && prediction.diff ? { diff: prediction.diff } : {}),
      data: { dest, checksum, remote_checksum: checksum, file: args.src },
    });
  },
};

export default fetch;
