// ansible.builtin.copy: put a controller file (or inline content, or a file already on the
// host with remote_src) at dest, with mode/owner/group; sha1 comparison decides.
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { failed } from '../../core/result.js';
import { decryptVaultBytes, VAULT_HEADER, VaultError } from '../../core/vault.js';
import type { Module, ModuleContext, Prediction } from '../types.js';
import type { CopyArgs } from '../generated/args.js';
import { fileFacts, selinuxArgs, findControllerFile, lookedIn, searchDirs, isControllerDir } from '../support/files.js';
import { modeArg } from '../support/mode.js';
import { applyWrite, planWrite, writeOptions, type WritePlan } from '../support/write.js';
import { pyJsonDumps } from '../../template/json.js';
import { isDict, pyStr } from '../../template/values.js';

async function source(
  ctx: ModuleContext,
  args: CopyArgs,
): Promise<{ content: Buffer; name?: string; mode?: number | undefined } | { error: string }> {
  const src = args.src;
  if (args.content !== undefined) {
    if (src !== undefined) return { error: 'src and content are mutually exclusive' };
    const c = args.content;
    // as Ansible's copy action: json.dumps of a list or dict, str() of another value (a float 2.0 writes 2.0)
    const text = typeof c === 'string' ? c : Array.isArray(c) || isDict(c) ? pyJsonDumps(c) : pyStr(c);
    return { content: Buffer.from(text, 'utf8') };
  }
  if (src === undefined) return { error: 'one of src or content is required' };
  if (args.remote_src) {
    const data = await ctx.conn.readFile(src, ctx.become ? { become: ctx.become } : {});
    if (data === null) return { error: `Source ${src} not found on the host` };
    const mode = args.mode === 'preserve' ? (await fileFacts(ctx, src, { follow: true })).mode : undefined;
    return { content: data, name: basename(src), mode };
  }
  const path = findControllerFile(searchDirs(ctx), src, 'files');
  if (!path) return { error: `Could not find or access '${src}' (looked in ${lookedIn(searchDirs(ctx), 'files')})` };
  if (isControllerDir(path)) return { error: `src '${src}' is a directory; copying directories is not supported` };
  let content: Buffer = await readFile(path);
  // as Ansible's copy (decrypt: true): a vault-encrypted src reaches the host decrypted
  if (args.decrypt !== false && content.subarray(0, 32).toString('latin1').startsWith(VAULT_HEADER)) {
    try {
      content = decryptVaultBytes(content.toString('latin1'));
    } catch (e) {
      if (e instanceof VaultError) return { error: `${src}: ansible-vault: ${e.message}` };
      throw e;
    }
  }
  return { content, name: basename(path), mode: (await stat(path)).mode & 0o7777 };
}

const copy: Module<CopyArgs, WritePlan> = {
  name: 'copy',
  async check(ctx, args): Promise<Prediction<WritePlan>> {
    const se = await selinuxArgs(ctx, args);
    if (se) return { kind: 'failed', result: failed(se) };
    const dest = args.dest;
    if (dest === undefined || dest === '') return { kind: 'failed', result: failed('dest is required') };
    const s = await source(ctx, args);
    if ('error' in s) return { kind: 'failed', result: failed(s.error) };
    let mode: number | undefined;
    let symbolic: string | undefined;
    try {
      if (args.mode === 'preserve') {
        // as Ansible: the source file's mode (inline content has none)
        if (args.content !== undefined)
          return { kind: 'failed', result: failed('mode=preserve needs src (content has no mode to preserve)') };
        mode = s.mode;
      } else ({ mode, symbolic } = modeArg(args.mode));
    } catch (e) {
      return { kind: 'failed', result: failed((e as Error).message) };
    }
    return planWrite(ctx, {
      dest,
      content: s.content,
      srcName: s.name,
      mode,
      symbolic,
      ...writeOptions(args),
    });
  },
  apply(ctx, _args, prediction) {
    return applyWrite(ctx, prediction.plan);
  },
};

export default copy;
