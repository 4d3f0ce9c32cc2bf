// ansible.builtin.assemble: dest holds the fragments of a directory joined in name order
// (fragments.ts), with mode/owner/group; written only when its content or attributes differ.
// `decrypt` (runbook reads no vault-encrypted fragments) and `follow` (dest is written through
// a symlink, as copy writes it) are accepted and change nothing.
import { createHash } from 'node:crypto';
import { changed, failed, ok, type ModuleResult } from '../../../core/result.js';
import { compilePyRegex } from '../../../template/regex.js';
import type { Module, ModuleContext, Prediction } from '../../types.js';
import type { AssembleArgs } from '../../generated/args.js';
import { fileFacts, findControllerFile, lookedIn, pathInfo, searchDirs, selinuxArgs, sha1 } from '../../support/files.js';
import { readMode } from '../../support/mode.js';
import { runValidation } from '../../support/validate.js';
import { applyWrite, planWrite, type WritePlan } from '../../support/write.js';
import { controllerFragments, hostFragments, joinFragments, type FragmentDir } from './fragments.js';

interface AssemblePlan {
  readonly write: WritePlan;
  readonly content: Buffer;
  /** src as Ansible reports it: as given, or the controller directory found */
  readonly src: string;
}

/** The assembled content, or the task's failure (Ansible's messages). */
async function assembled(ctx: ModuleContext, args: AssembleArgs): Promise<{ content: Buffer; src: string } | ModuleResult> {
  let dir: FragmentDir;
  let src = args.src;
  if (args.remote_src) dir = await hostFragments(ctx, src);
  else {
    const found = findControllerFile(searchDirs(ctx), src, 'files');
    if (!found) return failed(`Could not find or access '${src}' (looked in ${lookedIn(searchDirs(ctx), 'files')})`);
    src = found;
    dir = controllerFragments(found);
  }
  if (dir.kind === 'absent') return failed(`Source (${src}) does not exist`);
  if (dir.kind === 'not-dir') return failed(`Source (${src}) is not a directory`);
  let re: RegExp | undefined;
  if (args.regexp !== undefined && args.regexp !== null) {
    try {
      re = compilePyRegex(args.regexp);
    } catch (e) {
      return failed(`Invalid Regexp (${(e as Error).message}) in "${args.regexp}"`);
    }
  }
  const contents: Buffer[] = [];
  for (const f of dir.fragments) {
    if (re && !re.test(f.name)) continue;
    if (!f.isFile || (args.ignore_hidden && f.name.startsWith('.'))) continue;
    if (f.content === null) return failed(`Could not read fragment ${src}/${f.name}`);
    contents.push(f.content);
  }
  return { content: joinFragments(contents, args.delimiter, !args.remote_src), src };
}

/** The registered values: Ansible's module (remote_src) or its copy module (from the controller). */
async function result(
  ctx: ModuleContext,
  args: AssembleArgs,
  content: Buffer,
  src: string,
  extra: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const facts = await fileFacts(ctx, args.dest, { follow: true });
  return {
    src,
    dest: args.dest,
    checksum: sha1(content),
    md5sum: createHash('md5').update(content).digest('hex'),
    ...(args.remote_src ? { msg: 'OK' } : {}),
    ...extra,
    ...pathInfo(facts),
  };
}

const assemble: Module<AssembleArgs, AssemblePlan> = {
  name: 'assemble',
  // Ansible's action plugin refuses check mode for the whole task, whatever it would find
  checkMode: 'task',
  async check(ctx, args): Promise<Prediction<AssemblePlan>> {
    const se = await selinuxArgs(ctx, args);
    if (se) return { kind: 'failed', result: failed(se) };
    if (args.validate !== undefined && !args.validate.includes('%s'))
      return { kind: 'failed', result: failed(`validate must contain %s: ${args.validate}`) };
    const read = readMode(args.mode);
    if (!read.ok) return read.failure;
    const a = await assembled(ctx, args);
    if ('status' in a) return { kind: 'failed', result: a };
    const p = await planWrite(ctx, {
      dest: args.dest,
      content: a.content,
      mode: read.mode,
      symbolic: read.symbolic,
      owner: args.owner,
      group: args.group,
      force: true,
      backup: args.backup,
    });
    if (p.kind === 'unchanged') return { kind: 'unchanged', result: ok({ data: await result(ctx, args, a.content, a.src, {}) }) };
    const carry = (q: Exclude<Prediction<WritePlan>, { kind: 'pending' }>): Exclude<Prediction<AssemblePlan>, { kind: 'pending' }> => {
      if (q.kind !== 'change') return q.kind === 'unknown' ? { ...q, plan: { write: q.plan, content: a.content, src: a.src } } : q;
      // Ansible's assemble module shows no diff; from the controller its copy module does
      const { diff, ...rest } = q;
      return { ...rest, ...(!args.remote_src && diff ? { diff } : {}), plan: { write: q.plan, content: a.content, src: a.src } };
    };
    return p.kind === 'pending' ? { kind: 'pending', inPlan: carry(p.inPlan), failure: p.failure } : carry(p);
  },
  async apply(ctx, args, prediction) {
    const { write, content, src } = prediction.plan;
    let validation: Record<string, unknown> = {};
    if (args.validate !== undefined && write.contentChanged) {
      const v = await runValidation(ctx, args.validate, content);
      if (v.error !== undefined) return failed(v.error);
      validation = { validation: { rc: v.rc, stdout: v.stdout, stderr: v.stderr } };
      if (v.rc !== 0) return failed(`failed to validate: rc:${v.rc} error:${v.stderr}`, { data: validation });
    }
    const r = await applyWrite(ctx, write);
    if (r.status !== 'changed') return r;
    const backup = r.data?.['backup_file'];
    const diff = prediction.kind === 'change' ? prediction.diff : undefined;
    return changed({
      ...(diff ? { diff } : {}),
      data: await result(ctx, args, content, src, { ...validation, ...(backup !== undefined ? { backup_file: backup } : {}) }),
    });
  },
};

export default assemble;
