// find's listing, read back as Ansible's find module sees the tree: the host's GNU find lists
// each path's entries (readdir order, as Python's os.scandir) and stat describes each (lstat);
// walkListing() then walks it as os.walk does (a directory's non-directories, then its
// directories, then into each directory in turn) and applies find.py's filters. Pure.
import { basename } from 'node:path';
import { compilePyRegex } from '../../../template/regex.js';
import { globToRegExp } from '../../../core/glob.js';

/** One entry find printed: its path as find wrote it and its type following symlinks (%Y). */
export interface Entry {
  readonly path: string;
  /** find's %Y: d for a directory (also through a symlink), f, l (dangling: N), ... */
  readonly followedType: string;
}

/** lstat of one entry, as GNU stat prints it. */
export interface EntryStat {
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly inode: number;
  readonly dev: number;
  readonly nlink: number;
  readonly atime: number;
  readonly mtime: number;
  readonly ctime: number;
  readonly owner: string;
  readonly group: string;
}

/** What the host printed for one of the task's paths. */
export type PathListing =
  | { readonly kind: 'not-dir'; readonly path: string }
  | {
      readonly kind: 'dir';
      readonly path: string;
      readonly entries: readonly Entry[];
      readonly stats: ReadonlyMap<string, EntryStat>;
      /** directories find could not read: path → the error's text (Permission denied...) */
      readonly unreadable: ReadonlyMap<string, string>;
    };

export interface FindFilters {
  readonly patterns: readonly string[];
  readonly excludes: readonly string[];
  readonly useRegex: boolean;
  readonly fileType: 'any' | 'directory' | 'file' | 'link';
  /** seconds; negative: at most this old */
  readonly age?: number | undefined;
  readonly ageStamp: 'atime' | 'ctime' | 'mtime';
  /** bytes; negative: at most this size */
  readonly size?: number | undefined;
  readonly recurse: boolean;
  /** 0 or undefined: no limit */
  readonly depth?: number | undefined;
  readonly hidden: boolean;
  readonly follow: boolean;
}

/** A match before its content and checksum are looked at. */
export interface Candidate {
  readonly path: string;
  readonly stat: EntryStat;
  /** contains applies to it (file_type file) */
  readonly contentChecked: boolean;
}

export interface WalkResult {
  readonly candidates: Candidate[];
  readonly examined: number;
  readonly skipped: Record<string, string>;
  readonly warnings: string[];
}

const S_IFMT = 0o170000;
const isDir = (m: number): boolean => (m & S_IFMT) === 0o040000;
const isReg = (m: number): boolean => (m & S_IFMT) === 0o100000;
const isLnk = (m: number): boolean => (m & S_IFMT) === 0o120000;

/** Python's posixpath.normpath. */
export function normpath(p: string): string {
  if (p === '') return '.';
  const initial = p.startsWith('//') && !p.startsWith('///') ? 2 : p.startsWith('/') ? 1 : 0;
  const out: string[] = [];
  for (const c of p.split('/')) {
    if (c === '' || c === '.') continue;
    if (c !== '..' || (!initial && !out.length) || out[out.length - 1] === '..') out.push(c);
    else if (out.length) out.pop();
  }
  const joined = '/'.repeat(initial) + out.join('/');
  return joined || '.';
}

const count = (s: string, c: string): number => s.split(c).length - 1;

/** Python's repr of a str, for messages (single quotes unless the text holds one). */
function pyRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  return q + s.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), `\\${q}`) + q;
}

const ERRNO: Readonly<Record<string, number>> = {
  'Permission denied': 13,
  'No such file or directory': 2,
  'Not a directory': 20,
  'Too many levels of symbolic links': 40,
};

/** An OSError's text as Python prints it: `[Errno 13] Permission denied: '/x'`. */
export function osErrorText(message: string, path: string): string {
  const errno = ERRNO[message];
  return errno !== undefined ? `[Errno ${errno}] ${message}: ${pyRepr(path)}` : `${message}: ${pyRepr(path)}`;
}

/** The name filter of find.py (pfilter): a pattern matches and no exclude does. Throws on a bad regex. */
export function nameFilter(patterns: readonly string[], excludes: readonly string[], useRegex: boolean): (name: string) => boolean {
  const compile = (p: string): RegExp => (useRegex ? compilePyRegex(p, {}, 'y') : globToRegExp(p));
  const pats = patterns.map(compile);
  const excl = excludes.map(compile);
  const test = (re: RegExp, name: string): boolean => {
    re.lastIndex = 0;
    return re.test(name);
  };
  return (name) => {
    if (!pats.length && !excl.length) return true;
    if (!pats.some((re) => test(re, name))) return false;
    return !excl.some((re) => test(re, name));
  };
}

function ageOk(st: EntryStat, now: number, f: FindFilters): boolean {
  if (f.age === undefined) return true;
  const d = now - st[f.ageStamp];
  return f.age >= 0 ? d >= Math.abs(f.age) : d <= Math.abs(f.age);
}

function sizeOk(st: EntryStat, size: number | undefined): boolean {
  if (size === undefined) return true;
  return size >= 0 ? st.size >= Math.abs(size) : st.size <= Math.abs(size);
}

class WalkAborted extends Error {}

/** Walks every path's listing as find.py's os.walk loop does; `now` is the host's clock. */
export function walkListing(listings: readonly PathListing[], f: FindFilters, now: number): WalkResult {
  const matchName = nameFilter(f.patterns, f.excludes, f.useRegex);
  const candidates: Candidate[] = [];
  const skipped: Record<string, string> = {};
  const warnings: string[] = [];
  let examined = 0;
  for (const l of listings) {
    if (l.kind === 'not-dir') {
      skipped[l.path] = `'${l.path}' is not a directory`;
      warnings.push(`Skipped '${l.path}' path due to this access issue: ${skipped[l.path]}\n`);
      continue;
    }
    const children = new Map<string, Entry[]>();
    for (const e of l.entries) {
      const prefix = e.path.slice(0, e.path.lastIndexOf('/') + 1);
      const list = children.get(prefix);
      if (list) list.push(e);
      else children.set(prefix, [e]);
    }
    const wpath = l.path.replace(/\/+$/, '') + '/';
    const visit = (dir: string): void => {
      const why = l.unreadable.get(dir);
      if (why !== undefined) throw new WalkAborted(osErrorText(why, dir));
      const entries = children.get(dir.endsWith('/') ? dir : dir + '/') ?? [];
      examined += entries.length;
      const files = entries.filter((e) => e.followedType !== 'd');
      let dirs = entries.filter((e) => e.followedType === 'd');
      for (const e of [...files, ...dirs]) {
        const fsname = normpath(e.path);
        if (f.depth) {
          const depth = count(fsname, '/') - count(wpath, '/') + 1;
          if (depth > f.depth) {
            dirs = [];
            continue;
          }
        }
        if (basename(fsname).startsWith('.') && !f.hidden) continue;
        const st = l.stats.get(e.path);
        if (!st) {
          skipped[fsname] = osErrorText('No such file or directory', fsname);
          warnings.push(`Skipped entry '${fsname}' due to this access issue: ${skipped[fsname]}\n`);
          continue;
        }
        const name = e.path.slice(e.path.lastIndexOf('/') + 1);
        const take = (contentChecked = false): void => void candidates.push({ path: fsname, stat: st, contentChecked });
        if (f.fileType === 'any') {
          if (matchName(name) && ageOk(st, now, f) && (!isReg(st.mode) || sizeOk(st, f.size))) take();
        } else if (isDir(st.mode) && f.fileType === 'directory') {
          if (matchName(name) && ageOk(st, now, f)) take();
        } else if (isReg(st.mode) && f.fileType === 'file') {
          if (matchName(name) && ageOk(st, now, f) && sizeOk(st, f.size)) take(true);
        } else if (isLnk(st.mode) && f.fileType === 'link') {
          if (matchName(name) && ageOk(st, now, f)) take();
        }
      }
      if (!f.recurse) return;
      for (const d of dirs) {
        const st = l.stats.get(d.path);
        if (!f.follow && st && isLnk(st.mode)) continue;
        visit(d.path);
      }
    };
    try {
      visit(l.path);
    } catch (e) {
      if (!(e instanceof WalkAborted)) throw e;
      skipped[l.path] = e.message;
      warnings.push(`Skipped '${l.path}' path due to this access issue: ${e.message}\n`);
    }
  }
  return { candidates, examined, skipped, warnings };
}

/** find.py's statinfo(): the dictionary of one reported entry, in its key order. */
export function statInfo(path: string, st: EntryStat, checksum?: string): Record<string, unknown> {
  const m = st.mode;
  const t = m & S_IFMT;
  return {
    path,
    mode: (m & 0o7777).toString(8).padStart(4, '0'),
    isdir: t === 0o040000,
    ischr: t === 0o020000,
    isblk: t === 0o060000,
    isreg: t === 0o100000,
    isfifo: t === 0o010000,
    islnk: t === 0o120000,
    issock: t === 0o140000,
    uid: st.uid,
    gid: st.gid,
    size: st.size,
    inode: st.inode,
    dev: st.dev,
    nlink: st.nlink,
    atime: st.atime,
    mtime: st.mtime,
    ctime: st.ctime,
    gr_name: st.group,
    pw_name: st.owner,
    wusr: (m & 0o200) !== 0,
    rusr: (m & 0o400) !== 0,
    xusr: (m & 0o100) !== 0,
    wgrp: (m & 0o020) !== 0,
    rgrp: (m & 0o040) !== 0,
    xgrp: (m & 0o010) !== 0,
    woth: (m & 0o002) !== 0,
    roth: (m & 0o004) !== 0,
    xoth: (m & 0o001) !== 0,
    isuid: (m & 0o4000) !== 0,
    isgid: (m & 0o2000) !== 0,
    ...(checksum !== undefined ? { checksum } : {}),
  };
}
