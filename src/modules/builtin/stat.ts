// ansible.builtin.stat: facts about a path, registered as `<var>.stat` like Ansible.
import { failed, ok } from '../../core/result.js';
import type { Module } from '../types.js';
import type { StatArgs } from '../generated/args.js';
import { bool, modeText, str } from '../support/args.js';
import { fileFacts, type FileFacts } from '../support/files.js';

/** Ansible's stat dictionary from our facts. */
export function statDict(path: string, f: FileFacts): Record<string, unknown> {
  if (!f.exists) return { exists: false };
  const mode = f.mode ?? 0;
  return {
    exists: true,
    path,
    isdir: f.type === 'directory',
    isreg: f.type === 'file',
    islnk: f.type === 'link',
    isfifo: f.typeText === 'fifo',
    issock: f.typeText === 'socket',
    ischr: f.typeText === 'character special file',
    isblk: f.typeText === 'block special file',
    mode: modeText(mode),
    uid: f.uid,
    gid: f.gid,
    pw_name: f.owner,
    gr_name: f.group,
    size: f.size,
    mtime: f.mtime,
    xusr: (mode & 0o100) !== 0,
    wusr: (mode & 0o200) !== 0,
    rusr: (mode & 0o400) !== 0,
    ...(f.checksum !== undefined ? { checksum: f.checksum } : {}),
    ...(f.linkTarget !== undefined ? { lnk_source: f.linkTarget, lnk_target: f.linkTarget } : {}),
  };
}

const stat: Module<StatArgs, never> = {
  name: 'stat',
  readOnly: true,
  async check(ctx, args) {
    const path = str(args.path ?? args.dest ?? args.name);
    if (path === undefined || path === '') return { kind: 'failed', result: failed('path is required') };
    const algo = str(args.checksum_algorithm) ?? 'sha1';
    if (algo !== 'sha1') return { kind: 'failed', result: failed(`checksum_algorithm '${algo}' is not supported (only sha1)`) };
    const f = await fileFacts(ctx, path, { follow: bool(args.follow, false), checksum: bool(args.get_checksum, true) });
    const dict = statDict(path, f);
    return { kind: 'unchanged', result: ok({ data: { stat: dict } }) };
  },
  apply() {
    return Promise.resolve(ok());
  },
};

export default stat;
