// ansible.builtin.unarchive: every member of the archive is in dest as the archive has it (and
// with mode/owner/group when given); other files in dest are left alone. tar archives are
// compared with GNU `tar --diff`, zips by unpacking into a temp directory and comparing, so a
// converged dest is ok and check mode predicts without touching dest. A controller src is
// copied to a temp file on the host first (as Ansible's action plugin does) and removed after.
import { readFile } from 'node:fs/promises';
import { changed, failed, ok, skipped, type ModuleResult } from '../../../core/result.js';
import type { Module, ModuleContext, Prediction } from '../../types.js';
import type { UnarchiveArgs } from '../../generated/args.js';
import { modeText, parseMode } from '../../support/args.js';
import {
  fileFacts,
  findControllerFile,
  isControllerDir,
  lookedIn,
  pathInfo,
  searchDirs,
  type FileFacts,
  type WantedAttrs,
} from '../../support/files.js';
import { HANDLER, attributePaths, detectFormat, tarProblem, type ArchiveFormat, type MemberOptions } from './archive.js';
import { fixMembers, memberFixes, probeArchive, removeTemp, tarDiff, tarMembers, unpack, uploadArchive, zipCompare } from './host.js';

type Source =
  { readonly remote: true; readonly path: string } | { readonly remote: false; readonly path: string; readonly content: Buffer };

interface Settings {
  readonly source: Source;
  readonly dest: string;
  readonly opts: MemberOptions;
  readonly want: WantedAttrs;
  readonly listFiles: boolean;
}

interface Plan {
  readonly s: Settings;
  readonly format: ArchiveFormat;
  readonly members: readonly string[];
  /** false: only attributes differ */
  readonly unpack: boolean;
  /** a controller archive already on the host (kept by check() for apply(), which removes it) */
  readonly uploaded?: string;
}

async function settings(ctx: ModuleContext, args: UnarchiveArgs): Promise<Settings | { error: string }> {
  const src = args.src;
  const dest = args.dest;
  if (src === undefined || src === '' || dest === undefined || dest === '') return { error: 'src and dest are required' };
  if (args.copy !== undefined && args.remote_src !== undefined) return { error: 'parameters are mutually exclusive: copy|remote_src' };
  const exclude = args.exclude ?? [];
  const include = args.include ?? [];
  if (exclude.length && include.length) return { error: 'parameters are mutually exclusive: exclude|include' };
  try {
    if (args.keep_newer)
      return {
        error:
          'keep_newer is not supported by runbook: a kept newer file would make every later run report a change; remove it, or unpack into a fresh directory',
      };
    const remote = (args.remote_src ?? false) || !(args.copy ?? true); // validate_certs: only for URL sources, refused below
    if (src.includes('://'))
      return {
        error: `src '${src}' is a URL: runbook's unarchive does not download; fetch it with get_url (with its checksum), then unarchive it with remote_src: true`,
      };
    const mode = parseMode(args.mode);
    const owner = args.owner;
    const group = args.group;
    const want = {
      ...(mode !== undefined ? { mode } : {}),
      ...(owner !== undefined ? { owner } : {}),
      ...(group !== undefined ? { group } : {}),
    };
    const opts = { extraOpts: args.extra_opts ?? [], exclude, include };
    const base = { dest, opts, want, listFiles: args.list_files };
    if (remote) return { ...base, source: { remote: true, path: src } };
    const path = findControllerFile(searchDirs(ctx), src, 'files');
    if (!path) return { error: `Could not find or access '${src}' (looked in ${lookedIn(searchDirs(ctx), 'files')})` };
    if (isControllerDir(path)) return { error: `src '${src}' is a directory, not an archive` };
    return { ...base, source: { remote: false, path, content: await readFile(path) } };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const fail = (msg: string, data: Record<string, unknown> = {}): Prediction<Plan> => ({ kind: 'failed', result: failed(msg, { data }) });

/** Compare the archive at hostSrc (on the host) with dest. */
async function evaluate(ctx: ModuleContext, s: Settings, hostSrc: string, destFacts: FileFacts): Promise<Prediction<Plan>> {
  const { dest, want } = s;
  const probe = await probeArchive(ctx, hostSrc);
  const data = { dest, src: hostSrc };
  if (probe.size === undefined) {
    // in a plan an earlier task (get_url) may be about to put it there
    return {
      kind: 'pending',
      inPlan: {
        kind: 'change',
        summary: `unpack ${hostSrc} into ${dest} (${hostSrc} does not exist yet: an earlier task must create it)`,
        plan: { s, format: 'tar', members: [], unpack: true },
      },
      failure: failed(`Source '${hostSrc}' does not exist`, { data }),
    };
  }
  if (probe.size === 0) return fail(`Invalid archive '${hostSrc}', the file is 0 bytes`, data);
  const format = detectFormat(s.source.path, probe.magic);
  if (!destFacts.exists) {
    // Ansible's order: the source, then dest, then the archive's handler; in a plan an earlier
    // task (file state=directory) may be about to create dest
    return {
      kind: 'pending',
      inPlan: {
        kind: 'change',
        summary: `unpack ${hostSrc} into ${dest} (${dest} does not exist yet: an earlier task must create it)`,
        plan: { s, format: format ?? 'tar', members: [], unpack: true },
      },
      failure: failed(`Destination '${dest}' is not a directory`, { data: { dest } }),
    };
  }
  const noHandler = `Failed to find handler for "${hostSrc}". Make sure the required command to extract the file is installed.`;
  if (format === undefined)
    return fail(`${noHandler} It is not a tar (.tar, .tar.gz/.tgz, .tar.bz2, .tar.xz, .tar.zst) or zip archive.`, data);
  if (format === 'zip' && !probe.unzip)
    return fail(
      `${noHandler} Unable to find required 'unzip' binary in the path on ${ctx.host}: install unzip to unpack zip archives.`,
      data,
    );
  const problem = format === 'zip' ? undefined : tarProblem(probe.tar);
  if (problem) return fail(`${noHandler} ${problem}`, data);
  const handled = { ...data, handler: HANDLER[format] };

  let members: string[];
  let differing: number;
  if (format === 'zip') {
    const z = await zipCompare(ctx, hostSrc, dest, s.opts, want.mode === undefined);
    if ('error' in z) return fail(z.error, handled);
    members = z.members;
    differing = z.differing.length;
  } else {
    const m = await tarMembers(ctx, format, hostSrc, dest, s.opts);
    if ('error' in m) return fail(`Command "tar" could not handle archive: ${m.error}`, handled);
    if (m.length === 0) return fail('Command "tar" found no files in archive. Empty archive files are not supported.', handled);
    members = m;
    const diff = await tarDiff(ctx, format, hostSrc, dest, s.opts, {
      root: probe.uid === 0,
      mode: want.mode !== undefined,
      owner: want.owner !== undefined,
      group: want.group !== undefined,
    });
    if ('error' in diff) return fail(diff.error, handled);
    differing = diff.length;
  }
  const fixes = await memberFixes(ctx, dest, attributePaths(members), want);
  const attrPaths = new Set([...fixes.chmod, ...fixes.chown]).size;
  if (differing === 0 && attrPaths === 0) {
    return {
      kind: 'unchanged',
      result: ok({ data: { ...handled, ...(s.listFiles ? { files: members } : {}), ...pathInfo(destFacts, 'directory') } }),
    };
  }
  const summary =
    differing > 0
      ? `unpack ${s.source.path} into ${dest} (${differing} ${differing === 1 ? 'difference' : 'differences'} from the archive)`
      : `set ${[want.mode !== undefined ? `mode ${modeText(want.mode)}` : '', want.owner !== undefined || want.group !== undefined ? 'ownership' : ''].filter(Boolean).join(' and ')} on ${attrPaths} unpacked paths in ${dest}`;
  return { kind: 'change', summary, plan: { s, format, members, unpack: differing > 0 } };
}

const unarchive: Module<UnarchiveArgs, Plan> = {
  name: 'unarchive',
  async check(ctx, args): Promise<Prediction<Plan>> {
    const s = await settings(ctx, args);
    if ('error' in s) return fail(s.error);
    const creates = args.creates;
    if (creates !== undefined && creates !== '' && (await fileFacts(ctx, creates)).exists) {
      const msg = `skipped, since ${creates} exists`;
      return { kind: 'unchanged', result: skipped(msg, { msg }) };
    }
    const destFacts = await fileFacts(ctx, s.dest, { follow: true });
    // a missing dest is `pending` (evaluate): the prediction goes on to read the archive
    if (destFacts.exists && destFacts.type !== 'directory') return fail(`Destination '${s.dest}' is not a directory`, { dest: s.dest });
    if (s.source.remote) return evaluate(ctx, s, s.source.path, destFacts);
    const tmp = await uploadArchive(ctx, s.source.content);
    let keep = false;
    try {
      const p = await evaluate(ctx, s, tmp, destFacts);
      // apply() follows a predicted change outside check mode: it unpacks this copy, then removes
      // it (in check mode no apply() follows, so the copy goes now: part of the contract, types.ts)
      keep = p.kind === 'change' && !ctx.checkMode;
      return keep && p.kind === 'change' ? { ...p, plan: { ...p.plan, uploaded: tmp } } : p;
    } finally {
      if (!keep) await removeTemp(ctx, tmp);
    }
  },

  async apply(ctx, _args, prediction): Promise<ModuleResult> {
    const { s, format, members } = prediction.plan;
    const src = s.source.remote ? s.source.path : (prediction.plan.uploaded ?? (await uploadArchive(ctx, s.source.content)));
    const data: Record<string, unknown> = { dest: s.dest, src, handler: HANDLER[format] };
    try {
      if (prediction.plan.unpack) {
        const { cmd, r } = await unpack(ctx, format, src, s.dest, s.opts);
        data['extract_results'] = { cmd, rc: r.rc, out: r.stdout, err: r.stderr };
        // unzip's 1 is a warning: the files were unpacked
        if (r.rc !== 0 && !(format === 'zip' && r.rc === 1)) {
          return failed(`failed to unpack ${src} to ${s.dest}: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join('; ')}`, {
            data,
          });
        }
      }
      const fixes = await memberFixes(ctx, s.dest, attributePaths(members), s.want);
      const err = await fixMembers(ctx, s.dest, fixes, s.want);
      if (err) return failed(err, { data });
      const after = await fileFacts(ctx, s.dest, { follow: true });
      return changed({ data: { ...data, ...(s.listFiles ? { files: members } : {}), ...pathInfo(after, 'directory') } });
    } finally {
      if (!s.source.remote) await removeTemp(ctx, src);
    }
  },
};

export default unarchive;
