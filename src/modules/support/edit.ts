// Text edits of a file on the host (lineinfile, replace): read, edit in memory, compare,
// write back atomically keeping the file's mode.
import { dirname } from 'node:path';
import { changed, failed, ok, type FileDiff } from '../../core/result.js';
import type { ModuleContext, Prediction } from '../types.js';
import { execOpts } from './exec.js';
import { validateContent } from './validate.js';
import { attrChanges, backupFile, fileDiff, fileFacts, setAttrs, writeMode, type FileFacts, type WantedAttrs } from './files.js';

export interface EditPlan {
  readonly path: string;
  readonly after: string;
  readonly contentChanged: boolean;
  readonly facts: FileFacts;
  readonly want: WantedAttrs;
  readonly backup: boolean;
  readonly msg: string;
  readonly diff?: FileDiff;
  /** a command that must accept the new content first (support/validate.ts) */
  readonly validate?: string | undefined;
}

export interface EditOutcome {
  readonly text: string;
  readonly changed: boolean;
  readonly msg: string;
}

/**
 * Read `path`, run `edit` on its text, predict. `missing` decides what a missing file means:
 * a failed/ok result, or 'create' to edit the empty text.
 */
export async function planEdit(
  ctx: ModuleContext,
  path: string,
  want: WantedAttrs,
  backup: boolean,
  missing: () => { result: ReturnType<typeof ok> } | 'create',
  edit: (text: string) => EditOutcome,
): Promise<Prediction<EditPlan>> {
  const facts = await fileFacts(ctx, path, { follow: true });
  if (facts.exists && facts.type !== 'file')
    return { kind: 'failed', result: failed(`Path ${path} is a ${facts.typeText ?? 'directory'} !`) };
  let before = '';
  if (!facts.exists) {
    const m = missing();
    if (m !== 'create')
      return m.result.status === 'failed' ? { kind: 'failed', result: m.result } : { kind: 'unchanged', result: m.result };
  } else {
    const data = await ctx.conn.readFile(path, ctx.become ? { become: ctx.become } : {});
    before = data === null ? '' : data.toString('utf8');
  }
  let out: EditOutcome;
  try {
    out = edit(before);
  } catch (e) {
    return { kind: 'failed', result: failed((e as Error).message) };
  }
  const contentChanged = out.changed || !facts.exists;
  const attrs = facts.exists ? attrChanges(facts, want) : [];
  if (!contentChanged && attrs.length === 0) return { kind: 'unchanged', result: ok({ msg: out.msg, data: { path } }) };
  const diff = ctx.diffMode && contentChanged ? fileDiff(path, before, out.text) : undefined;
  const msg = contentChanged ? out.msg || (facts.exists ? 'changed' : 'file created') : `${attrs.join(', ')}`;
  const summary = `edit ${path} (${msg}${contentChanged && attrs.length ? `, ${attrs.join(', ')}` : ''})`;
  return {
    kind: 'change',
    summary,
    ...(diff ? { diff: [diff] } : {}),
    plan: { path, after: out.text, contentChanged, facts, want, backup, msg, ...(diff ? { diff } : {}) },
  };
}

export async function applyEdit(ctx: ModuleContext, p: EditPlan): Promise<ReturnType<typeof changed>> {
  let backup: string | undefined;
  if (p.contentChanged) {
    if (p.validate !== undefined) {
      const bad = await validateContent(ctx, p.validate, p.after, 'lineinfile');
      if (bad) return failed(bad.msg);
    }
    if (p.backup && p.facts.exists) {
      const b = await backupFile(ctx, p.path);
      if ('error' in b) return failed(b.error);
      backup = b.path;
    }
    if (!p.facts.exists) {
      // a file created by lineinfile (create: true): its directory too, as Ansible (os.makedirs)
      const dir = dirname(p.path);
      const r = await ctx.conn.exec(['mkdir', '-p', '--', dir], execOpts(ctx));
      if (r.rc !== 0) return failed(`Error creating ${dir} (${(r.stderr || r.stdout).trim()})`);
    }
    const mode = writeMode(p.facts, p.want);
    await ctx.conn.writeFileAtomic(p.path, p.after, {
      ...(mode !== undefined ? { mode } : {}),
      ...(p.want.owner !== undefined ? { owner: p.want.owner } : {}),
      ...(p.want.group !== undefined ? { group: p.want.group } : {}),
      ...(ctx.become ? { become: ctx.become } : {}),
    });
  } else {
    const err = await setAttrs(ctx, p.path, p.facts, p.want);
    if (err) return failed(err);
  }
  return changed({
    msg: p.msg,
    ...(p.diff ? { diff: [p.diff] } : {}),
    data: { path: p.path, ...(backup ? { backup: backup, backup_file: backup } : {}) },
  });
}
