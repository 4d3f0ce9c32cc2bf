// Put bytes at a path on the host (copy, template): compare, predict, write.
import { dirname, join } from 'node:path';
import { changed, failed, ok, type FileDiff } from '../../core/result.js';
import type { ModuleContext, Prediction } from '../types.js';
import { modeText } from './args.js';
import { validateContent } from './validate.js';
import { attrChanges, backupFile, writeMode, fileDiff, fileFacts, setAttrs, sha1, type FileFacts, type WantedAttrs } from './files.js';

export interface WriteRequest extends WantedAttrs {
  readonly dest: string;
  readonly content: Buffer;
  /** file name to use when dest is a directory (basename of src) */
  readonly srcName?: string | undefined;
  readonly force: boolean;
  readonly backup: boolean;
  /** a command that must accept the new content first (support/validate.ts) */
  readonly validate?: string | undefined;
}

/** The arguments copy and template both take for the write, as their schemas declare them. */
export type WriteArgs = Pick<WriteRequest, 'force' | 'backup' | 'validate'> & { readonly owner?: string; readonly group?: string };

/** What copy and template pass on to planWrite from their own arguments, in one place. */
export function writeOptions(args: WriteArgs): Pick<WriteRequest, 'owner' | 'group' | 'force' | 'backup' | 'validate'> {
  return { owner: args.owner, group: args.group, force: args.force, backup: args.backup, validate: args.validate };
}

export interface WritePlan {
  readonly req: WriteRequest;
  readonly dest: string;
  readonly facts: FileFacts;
  readonly contentChanged: boolean;
  readonly diff?: FileDiff;
}

function data(dest: string, content: Buffer, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { dest, checksum: sha1(content), size: content.length, ...extra };
}

export async function planWrite(ctx: ModuleContext, req: WriteRequest): Promise<Prediction<WritePlan>> {
  let dest = req.dest;
  let facts = await fileFacts(ctx, dest, { follow: true, checksum: true });
  if (facts.type === 'directory' || dest.endsWith('/')) {
    if (req.srcName === undefined)
      return { kind: 'failed', result: failed(`dest '${dest}' is a directory; name the file in dest when using content`) };
    if (!facts.exists) return { kind: 'failed', result: failed(`Destination directory ${dest} does not exist`) };
    dest = join(dest, req.srcName);
    facts = await fileFacts(ctx, dest, { follow: true, checksum: true });
    if (facts.type === 'directory') return { kind: 'failed', result: failed(`dest '${dest}' is a directory`) };
  }
  if (!facts.exists) {
    const parent = await fileFacts(ctx, dirname(dest), { follow: true });
    if (parent.type !== 'directory') {
      const failure = failed(`Destination directory ${dirname(dest)} does not exist`);
      if (parent.exists) return { kind: 'failed', result: failure };
      // in a plan an earlier task may be about to create the directory: predict, do not fail
      const plan: WritePlan = { req, dest, facts, contentChanged: true };
      return {
        kind: 'pending',
        inPlan: {
          kind: 'change',
          summary: `create ${dest} (its directory ${dirname(dest)} does not exist yet: an earlier task must create it)`,
          plan,
        },
        failure,
      };
    }
  } else if (facts.type !== 'file') {
    return { kind: 'failed', result: failed(`dest '${dest}' exists and is not a regular file`) };
  }
  if (facts.exists && !req.force) {
    return { kind: 'unchanged', result: ok({ msg: 'file already exists', data: data(dest, req.content) }) };
  }
  const contentChanged = !facts.exists || facts.checksum !== sha1(req.content);
  const attrs = attrChanges(facts, req);
  if (!contentChanged && attrs.length === 0) {
    return {
      kind: 'unchanged',
      result: ok({ data: data(dest, req.content, facts.mode !== undefined ? { mode: modeText(facts.mode) } : {}) }),
    };
  }
  let diff: FileDiff | undefined;
  if (ctx.diffMode && contentChanged) {
    const before = facts.exists ? await ctx.conn.readFile(dest, ctx.become ? { become: ctx.become } : {}) : null;
    diff = fileDiff(dest, before, req.content);
  }
  const what = !facts.exists ? `create ${dest}` : contentChanged ? `update content of ${dest}` : `set ${attrs.join(', ')} on ${dest}`;
  const summary = contentChanged && attrs.length && facts.exists ? `${what} and ${attrs.join(', ')}` : what;
  const plan: WritePlan = { req, dest, facts, contentChanged, ...(diff ? { diff } : {}) };
  return { kind: 'change', summary, ...(diff ? { diff: [diff] } : {}), plan };
}

export async function applyWrite(ctx: ModuleContext, plan: WritePlan): Promise<ReturnType<typeof changed>> {
  const { req, dest, facts } = plan;
  let backup: string | undefined;
  if (plan.contentChanged) {
    if (req.validate !== undefined) {
      const bad = await validateContent(ctx, req.validate, req.content, 'copy');
      if (bad) return failed(bad.msg, { data: { exit_status: bad.rc, stdout: bad.stdout, stderr: bad.stderr } });
    }
    if (req.backup && facts.exists) {
      const b = await backupFile(ctx, dest);
      if ('error' in b) return failed(b.error);
      backup = b.path;
    }
    const mode = writeMode(facts, req);
    await ctx.conn.writeFileAtomic(dest, req.content, {
      ...(mode !== undefined ? { mode } : {}),
      ...(req.owner !== undefined ? { owner: req.owner } : {}),
      ...(req.group !== undefined ? { group: req.group } : {}),
      ...(ctx.become ? { become: ctx.become } : {}),
    });
  } else {
    const err = await setAttrs(ctx, dest, facts, req);
    if (err) return failed(err);
  }
  const mode = writeMode(facts, req);
  return changed({
    ...(plan.diff ? { diff: [plan.diff] } : {}),
    data: data(dest, req.content, { ...(mode !== undefined ? { mode: modeText(mode) } : {}), ...(backup ? { backup_file: backup } : {}) }),
  });
}
