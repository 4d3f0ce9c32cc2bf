// ansible.builtin.file: a path's state (file, directory, absent, touch, link, hard) and its
// mode/owner/group. `state: absent` removes the path recursively (rm -rf), as Ansible does.
import { dirname, resolve } from 'node:path';
import { changed, failed, ok, type FileDiff } from '../../../core/result.js';
import type { Module, Prediction } from '../../types.js';
import type { FileArgs } from '../../generated/args.js';
import { modeText, str } from '../../support/args.js';
import { readMode } from '../../support/mode.js';
import { execOpts } from '../../support/exec.js';
import { attrChanges, fileFacts, selinuxArgs, setAttrs, type FileFacts, type WantedAttrs } from '../../support/files.js';
import { applyRecurse, recurseDiffers } from './recurse.js';

type State = 'file' | 'directory' | 'absent' | 'touch' | 'link' | 'hard';
type Op = 'rm' | 'mkdir' | 'touch' | 'link' | 'hard' | 'attrs';

interface Plan {
  readonly path: string;
  readonly state: State;
  readonly op: Op;
  readonly src?: string;
  readonly want: WantedAttrs;
  readonly facts: FileFacts;
  readonly preserveTimes: boolean;
  /** state=directory recurse=yes: the attributes of everything under it too */
  readonly recurse?: boolean;
}

const STATES: readonly State[] = ['file', 'directory', 'absent', 'touch', 'link', 'hard'];

// $1 mode or '', $2 chown spec or '', then the path and its ancestors, outermost first: create
// each missing one and give it the attributes (mkdir -p would leave the parents at the umask).
const MKDIRS = [
  'm=$1; o=$2; shift 2',
  'for d do',
  '  [ -e "$d" ] && continue',
  '  mkdir -- "$d" 2>/dev/null || [ -d "$d" ] || { mkdir -- "$d"; exit 1; }',
  '  if [ -n "$o" ]; then chown -- "$o" "$d" || exit 1; fi',
  '  if [ -n "$m" ]; then chmod -- "$m" "$d" || exit 1; fi',
  'done',
].join('\n');

/** '/a/b/c' → ['/a', '/a/b', '/a/b/c'] (relative paths likewise, without the leading /). */
export function ancestors(path: string): string[] {
  const abs = path.startsWith('/');
  const parts = path.split('/').filter((x) => x !== '' && x !== '.');
  return parts.map((_, i) => (abs ? '/' : '') + parts.slice(0, i + 1).join('/'));
}

function result(path: string, state: State, f: FileFacts | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    path,
    state,
    ...(f?.mode !== undefined ? { mode: modeText(f.mode) } : {}),
    ...(f?.owner !== undefined ? { owner: f.owner, uid: f.uid } : {}),
    ...(f?.group !== undefined ? { group: f.group, gid: f.gid } : {}),
    ...extra,
  };
}

function describe(f: FileFacts): string {
  return !f.exists ? 'absent' : f.type === 'other' ? (f.typeText ?? 'other') : (f.type ?? 'file');
}

type Change = (op: Op, summary: string, facts: FileFacts, before: string, after: string) => Prediction<Plan>;

/**
 * state=hard as Ansible's ensure_hardlink decides: src must exist; a path that is already that
 * inode (or a symlink to src) only gets its attributes; another file or hard link is replaced
 * only with force; a directory never.
 */
async function hardLink(
  ctx: Parameters<Module<FileArgs, Plan>['check']>[0],
  path: string,
  src: string | undefined,
  raw: FileFacts,
  force: boolean,
  k: { change: Change; attrsOnly: (f: FileFacts) => Prediction<Plan> },
): Promise<Prediction<Plan>> {
  if (src === undefined || src === '') return { kind: 'failed', result: failed('src is required for creating new hardlinks') };
  const r = await ctx.conn.exec(
    [
      '/bin/sh',
      '-c',
      'stat -c "%d:%i %h" -- "$1" 2>/dev/null || echo none; stat -c "%d:%i %h" -- "$2" 2>/dev/null || echo none',
      'sh',
      src,
      path,
    ],
    execOpts(ctx),
  );
  const [srcLine = 'none', pathLine = 'none'] = r.stdout.trim().split('\n');
  if (srcLine === 'none') return { kind: 'failed', result: failed('src does not exist', { data: { dest: path, src } }) };
  const [srcIno] = srcLine.split(' ');
  const [pathIno, links] = pathLine.split(' ');
  const refuse = (msg: string): Prediction<Plan> => ({ kind: 'failed', result: failed(msg, { data: { dest: path, src } }) });
  if (!raw.exists) return k.change('hard', `hard link ${path} → ${src}`, raw, 'absent', 'hard');
  if (raw.type === 'link')
    return raw.linkTarget === src
      ? k.attrsOnly(raw)
      : k.change('hard', `replace the symlink ${path} by a hard link to ${src}`, raw, 'link', 'hard');
  if (pathIno === srcIno) return k.attrsOnly(raw);
  if (raw.type === 'directory') return refuse('Cannot link: different hard link exists at destination');
  const prev = Number(links) > 1 ? 'hard' : 'file';
  if (!force)
    return refuse(prev === 'hard' ? 'Cannot link, different hard link exists at destination' : 'Cannot link, file exists at destination');
  return k.change('hard', `replace ${path} by a hard link to ${src}`, raw, prev, 'hard');
}

const fileModule: Module<FileArgs, Plan> = {
  name: 'file',
  async check(ctx, args): Promise<Prediction<Plan>> {
    const se = await selinuxArgs(ctx, args);
    if (se) return { kind: 'failed', result: failed(se) };
    const path = args.path ?? args.dest ?? args.name;
    if (path === undefined || path === '') return { kind: 'failed', result: failed('path is required') };
    const read = readMode(args.mode);
    if (!read.ok) return read.failure;
    const { mode, symbolic } = read;
    const want: WantedAttrs = { mode, symbolic, owner: args.owner, group: args.group };
    const raw = await fileFacts(ctx, path, { follow: false });
    const given = str(args.state);
    if (given !== undefined && !STATES.includes(given as State))
      return { kind: 'failed', result: failed(`state must be one of ${STATES.join(', ')} (got '${given}')`) };
    const state: State =
      (given as State | undefined) ??
      (!raw.exists ? 'file' : raw.type === 'directory' ? 'directory' : raw.type === 'link' ? 'link' : 'file');
    const src = args.src;
    if (!args.follow && raw.type === 'link' && state !== 'link' && state !== 'absent')
      return {
        kind: 'failed',
        result: failed(`follow: false on the symlink ${path}: not implemented by runbook (mode and owner would apply to the link itself)`),
      };
    const recurse = args.recurse;
    if (recurse && state !== 'directory') return { kind: 'failed', result: failed('recurse option requires state to be directory') };
    const preserveTimes = str(args.modification_time) === 'preserve' && str(args.access_time) === 'preserve';
    const change = (op: Op, summary: string, facts: FileFacts, before: string, after: string): Prediction<Plan> => {
      const diff: FileDiff[] | undefined =
        ctx.diffMode && before !== after ? [{ path, before: `state: ${before}\n`, after: `state: ${after}\n` }] : undefined;
      return {
        kind: 'change',
        summary,
        ...(diff ? { diff } : {}),
        plan: { path, state, op, ...(src !== undefined ? { src } : {}), want, facts, preserveTimes, ...(recurse ? { recurse } : {}) },
      };
    };
    const attrsOnly = (f: FileFacts): Prediction<Plan> => {
      const diffs = attrChanges(f, state === 'link' ? { ...want, mode: undefined } : want);
      if (diffs.length === 0) return { kind: 'unchanged', result: ok({ data: result(path, state, f) }) };
      return change('attrs', `set ${diffs.join(', ')} on ${path}`, f, describe(f), describe(f));
    };

    switch (state) {
      case 'absent':
        if (!raw.exists) return { kind: 'unchanged', result: ok({ data: { path, state: 'absent' } }) };
        return change('rm', `remove ${path}${raw.type === 'directory' ? ' (recursively)' : ''}`, raw, describe(raw), 'absent');
      case 'file': {
        if (!raw.exists)
          return { kind: 'failed', result: failed(`file (${path}) is absent, cannot continue`, { data: { path, state: 'absent' } }) };
        const f = raw.type === 'link' ? await fileFacts(ctx, path, { follow: true }) : raw;
        if (f.type === 'directory') return { kind: 'failed', result: failed(`${path} is a directory, not a file`) };
        return attrsOnly(f);
      }
      case 'directory': {
        if (!raw.exists) return change('mkdir', `create directory ${path}`, raw, 'absent', 'directory');
        const f = raw.type === 'link' ? await fileFacts(ctx, path, { follow: true }) : raw;
        if (f.type !== 'directory') return { kind: 'failed', result: failed(`${path} already exists as a ${describe(f)}`) };
        const top = attrsOnly(f);
        if (top.kind !== 'unchanged' || !recurse || !(await recurseDiffers(ctx, path, want))) return top;
        return change('attrs', `set owner/group/mode under ${path} (recursively)`, f, 'directory', 'directory');
      }
      case 'touch':
        if (!raw.exists) return change('touch', `create ${path}`, raw, 'absent', 'file');
        if (preserveTimes) return attrsOnly(raw);
        return change('touch', `touch ${path}`, raw, describe(raw), describe(raw));
      case 'link': {
        if (src === undefined || src === '') return { kind: 'failed', result: failed('src is required for state=link') };
        const force = args.force;
        if (raw.exists && raw.type === 'link' && raw.linkTarget === src) return attrsOnly(raw);
        if (raw.exists && raw.type === 'directory')
          return { kind: 'failed', result: failed(`refusing to convert from directory to symlink for ${path}`) };
        if (raw.exists && raw.type !== 'link' && !force)
          return { kind: 'failed', result: failed(`refusing to convert from ${describe(raw)} to symlink for ${path} (use force: true)`) };
        if (!force) {
          const target = await fileFacts(ctx, resolve(dirname(path), src), { follow: false });
          if (!target.exists)
            return {
              kind: 'failed',
              result: failed(
                `src file does not exist, use "force=yes" if you really want to create the link: ${resolve(dirname(path), src)}`,
              ),
            };
        }
        return change(
          'link',
          raw.exists ? `point ${path} at ${src} (was ${raw.linkTarget ?? describe(raw)})` : `link ${path} → ${src}`,
          raw,
          raw.type === 'link' ? `link → ${raw.linkTarget ?? '?'}` : describe(raw),
          `link → ${src}`,
        );
      }
      case 'hard':
        return hardLink(ctx, path, src, raw, args.force, { change, attrsOnly });
    }
  },
  async apply(ctx, _args, prediction) {
    const p = prediction.plan;
    const run = async (argv: string[]): Promise<string | undefined> => {
      const r = await ctx.conn.exec(argv, execOpts(ctx));
      return r.rc === 0 ? undefined : `${argv[0]} failed on ${p.path}: ${(r.stderr || r.stdout).trim()}`;
    };
    const withAttrs = async (noFollow = false): Promise<ReturnType<typeof changed>> => {
      const f = await fileFacts(ctx, p.path, { follow: !noFollow });
      const err = await setAttrs(ctx, p.path, f, noFollow ? { ...p.want, mode: undefined } : p.want, { noFollow });
      if (err) return failed(err);
      const after = await fileFacts(ctx, p.path, { follow: !noFollow });
      return changed({
        ...(prediction.kind === 'change' && prediction.diff ? { diff: prediction.diff } : {}),
        data: result(p.path, p.state, after, p.src !== undefined ? { src: p.src } : {}),
      });
    };
    let err: string | undefined;
    switch (p.op) {
      case 'rm':
        err = await run(['rm', '-rf', '--', p.path]);
        return err
          ? failed(err)
          : changed({
              ...(prediction.kind === 'change' && prediction.diff ? { diff: prediction.diff } : {}),
              data: { path: p.path, state: 'absent' },
            });
      case 'mkdir': {
        // as Ansible: every directory created on the way gets the mode/owner/group, not only the last
        const own =
          p.want.owner !== undefined || p.want.group !== undefined
            ? `${p.want.owner ?? ''}${p.want.group !== undefined ? ':' + p.want.group : ''}`
            : '';
        const mode = p.want.mode !== undefined ? p.want.mode.toString(8) : '';
        const r = await ctx.conn.exec(['/bin/sh', '-c', MKDIRS, 'sh', mode, own, ...ancestors(p.path)], execOpts(ctx));
        return r.rc !== 0 ? failed(`There was an issue creating ${p.path} as requested: ${(r.stderr || r.stdout).trim()}`) : withAttrs();
      }
      case 'attrs':
        if (p.recurse) {
          err = await applyRecurse(ctx, p.path, p.want);
          if (err) return failed(err);
        }
        return withAttrs(p.state === 'link');
      case 'touch':
        err = await run(['touch', '--', p.path]);
        return err ? failed(err) : withAttrs();
      case 'link':
        err = await run(['ln', '-sfn', '--', p.src!, p.path]);
        return err ? failed(err) : withAttrs(true);
      case 'hard':
        // -n: a symlink at path is replaced, never followed into a directory
        err = await run(['ln', '-fn', '--', p.src!, p.path]);
        return err ? failed(err.replace(/^ln failed on [^:]*: /, 'Error while linking: ')) : withAttrs();
    }
  },
};

export default fileModule;
