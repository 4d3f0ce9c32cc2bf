// ansible.builtin.stat: facts about a path, registered as `<var>.stat` like Ansible.
import { failed, ok } from '../../core/result.js';
import type { Module } from '../types.js';
import type { StatArgs } from '../generated/args.js';
import { modeText } from '../support/args.js';
import { CHECKSUM_ALGORITHMS, fileFacts, type FileFacts } from '../support/files.js';

/** Ansible's names of the ext attributes lsattr shows as letters */
const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  A: 'noatime',
  a: 'append',
  c: 'compressed',
  C: 'nocow',
  d: 'nodump',
  D: 'dirsync',
  e: 'extents',
  E: 'encrypted',
  h: 'blocksize',
  i: 'immutable',
  I: 'indexed',
  j: 'journalled',
  N: 'inline',
  s: 'zero',
  S: 'synchronous',
  t: 'notail',
  T: 'blockroot',
  u: 'undelete',
  X: 'compressedraw',
  Z: 'compresseddirty',
  F: 'casefold',
  P: 'projinherit',
  V: 'verity',
  x: 'dax',
};

/** `text/plain; charset=us-ascii` → mimetype, charset (stat get_mime) */
export function mimeFacts(line: string | undefined): Record<string, unknown> {
  if (!line) return {};
  const [type, ...rest] = line.split(';').map((x) => x.trim());
  const charset = rest.find((r) => r.startsWith('charset='))?.slice('charset='.length);
  return { mimetype: type ?? 'unknown', charset: charset ?? 'unknown' };
}

/** `1234 --------------e------- path` → version, attr_flags, attributes (stat get_attributes) */
export function attributeFacts(line: string | undefined): Record<string, unknown> {
  const m = line ? /^\s*(\S+)\s+(\S+)\s/.exec(line) : null;
  if (!m) return {};
  const flags = m[2]!.replace(/-/g, '');
  return { version: m[1], attr_flags: flags, attributes: [...flags].map((c) => ATTRIBUTE_NAMES[c] ?? c) };
}

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
    const path = args.path ?? args.dest ?? args.name;
    if (path === undefined || path === '') return { kind: 'failed', result: failed('path is required') };
    const algo = args.checksum_algorithm ?? 'sha1';
    if (!(CHECKSUM_ALGORITHMS as readonly string[]).includes(algo))
      return { kind: 'failed', result: failed(`checksum_algorithm '${algo}' is not supported (${CHECKSUM_ALGORITHMS.join(', ')})`) };
    const f = await fileFacts(ctx, path, {
      follow: args.follow,
      checksum: args.get_checksum ? (algo as (typeof CHECKSUM_ALGORITHMS)[number]) : false,
      mime: args.get_mime,
      attributes: args.get_attributes,
    });
    const dict = { ...statDict(path, f), ...(f.exists ? { ...mimeFacts(f.mimeLine), ...attributeFacts(f.attrLine) } : {}) };
    return { kind: 'unchanged', result: ok({ data: { stat: dict } }) };
  },
  apply() {
    return Promise.resolve(ok());
  },
};

export default stat;
