// The pure parts of find and assemble: arguments as find.py reads them, the listing walked as
// os.walk walks it, and fragments joined as assemble_from_fragments joins them.
import { describe, expect, it } from 'vitest';
import { amount, findFilters } from '../../../src/modules/builtin/find/index.js';
import { parseContent, parseListing } from '../../../src/modules/builtin/find/listing.js';
import {
  nameFilter,
  normpath,
  osErrorText,
  walkListing,
  type EntryStat,
  type FindFilters,
} from '../../../src/modules/builtin/find/walk.js';
import { escapeDecode, joinFragments } from '../../../src/modules/builtin/assemble/fragments.js';
import type { FindArgs } from '../../../src/modules/generated/args.js';

const base = {
  paths: ['/x'],
  patterns: [],
  read_whole_file: false,
  recurse: false,
  hidden: false,
  follow: false,
  get_checksum: false,
  use_regex: false,
};

describe('find arguments', () => {
  it('reads age and size with their units as find.py, and refuses what it refuses', () => {
    const AGE = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
    expect(amount('4d', AGE)).toBe(345600);
    expect(amount('-2H', AGE)).toBe(-7200);
    expect(amount('30', AGE)).toBe(30);
    expect(amount('3x', AGE)).toBeUndefined();
    expect(amount('1.5d', AGE)).toBeUndefined();
    const f = findFilters({ ...base, size: '10k', age: '1w' } as FindArgs) as FindFilters;
    expect([f.size, f.age, f.patterns, f.fileType, f.ageStamp]).toEqual([10240, 604800, ['*'], 'file', 'mtime']);
    expect(findFilters({ ...base, size: '1q' } as FindArgs)).toMatchObject({
      status: 'failed',
      msg: 'failed to process size',
      data: { size: '1q' },
    });
    expect((findFilters({ ...base, use_regex: true } as FindArgs) as FindFilters).patterns).toEqual(['.*']);
  });

  it('matches names as pfilter: globs whole, regexes from the start, excludes only beside a pattern', () => {
    const glob = nameFilter(['*.txt', 'a?c'], ['secret*'], false);
    expect(['x.txt', 'abc', 'secret.txt', 'x.txt.bak', 'X.TXT'].map(glob)).toEqual([true, true, false, false, false]);
    const re = nameFilter(['ab', '(?P<n>\\d+)\\.log'], [], true);
    expect(['abc', 'xab', '12.log', '12.logx'].map(re)).toEqual([true, false, true, true]);
  });

  it('normalizes paths and words errors as Python', () => {
    expect(['/a//b/./c/', './x/../y', '//srv/x', '///srv', 'a/..', ''].map(normpath)).toEqual(['/a/b/c', 'y', '//srv/x', '/srv', '.', '.']);
    expect(osErrorText('Permission denied', "/d/it's")).toBe(`[Errno 13] Permission denied: "/d/it's"`);
  });
});

const st = (mode: number, extra: Partial<EntryStat> = {}): EntryStat => ({
  mode,
  uid: 0,
  gid: 0,
  size: 10,
  inode: 1,
  dev: 2,
  nlink: 1,
  atime: 100,
  mtime: 100,
  ctime: 100,
  owner: 'root',
  group: 'root',
  ...extra,
});
const FILE = 0o100644;
const DIR = 0o040755;
const LINK = 0o120777;

/** A host's listing as LIST_SCRIPT prints it (find's preorder, readdir order). */
function listing(root: string, entries: [string, string, EntryStat][]): string {
  const recs = ['T', '1000.5', 'P', root];
  for (const [p, y] of entries) recs.push(`Y${y}`, p);
  for (const [p, , s] of entries)
    recs.push(
      `S${s.mode.toString(16)} ${s.uid} ${s.gid} ${s.size} ${s.inode} ${s.dev} ${s.nlink} ${s.atime} ${s.mtime} ${s.ctime}`,
      `x.${'0'.repeat(9)}`,
      'x.250000000 +0000',
      'x',
      s.owner === '' ? 'UNKNOWN' : s.owner,
      s.group,
      p,
    );
  recs.push('E', '');
  return recs.join('\0') + '\0';
}

const filters = (f: Partial<FindFilters>): FindFilters => ({
  patterns: ['*'],
  excludes: [],
  useRegex: false,
  fileType: 'file',
  ageStamp: 'mtime',
  recurse: true,
  hidden: false,
  follow: false,
  ...f,
});

describe('find walk', () => {
  const tree = listing('/t', [
    ['/t/d', 'd', st(DIR)],
    ['/t/d/inner', 'f', st(FILE)],
    ['/t/.h', 'd', st(DIR)],
    ['/t/.h/x', 'f', st(FILE, { owner: '' })],
    ['/t/lnk', 'd', st(LINK)],
    ['/t/z', 'f', st(FILE, { size: 5000 })],
  ]);

  it("reports a directory's files, then its directories, then each directory's content (os.walk), and counts every entry", () => {
    const { now, listings } = parseListing(tree);
    expect(now).toBe(1000.5);
    const w = walkListing(listings, filters({ fileType: 'any', hidden: true }), now);
    expect(w.candidates.map((c) => c.path)).toEqual(['/t/z', '/t/d', '/t/.h', '/t/lnk', '/t/d/inner', '/t/.h/x']);
    expect(w.examined).toBe(6);
    expect(w.candidates[5]?.stat.owner).toBe('');
    expect(w.candidates[0]?.stat.mtime).toBe(100.25);
  });

  it('hidden names are left out but hidden directories still searched; depth and recurse stop the walk', () => {
    const { now, listings } = parseListing(tree);
    expect(walkListing(listings, filters({}), now).candidates.map((c) => c.path)).toEqual(['/t/z', '/t/d/inner', '/t/.h/x']);
    expect(walkListing(listings, filters({ depth: 1 }), now).candidates.map((c) => c.path)).toEqual(['/t/z']);
    const flat = walkListing(listings, filters({ recurse: false }), now);
    expect([flat.candidates.length, flat.examined]).toEqual([1, 4]);
    expect(walkListing(listings, filters({ size: -100 }), now).candidates.map((c) => c.path)).toEqual(['/t/d/inner', '/t/.h/x']);
    expect(walkListing(listings, filters({ age: 1000 }), now).candidates).toEqual([]);
  });

  it("a path that is not a directory and a directory find could not read are skipped with Ansible's words", () => {
    const text = [
      'T',
      '5',
      'N',
      '/nope',
      'P',
      '/t',
      'Yd',
      '/t/locked',
      `S${DIR.toString(16)} 0 0 1 1 1 1 1 1 1`,
      'a',
      'b',
      'c',
      'root',
      'root',
      '/t/locked',
      'E',
      "find: '/t/locked': Permission denied",
    ].join('\0');
    const w = walkListing(parseListing(text).listings, filters({}), 5);
    expect(w.skipped).toEqual({ '/nope': "'/nope' is not a directory", '/t': "[Errno 13] Permission denied: '/t/locked'" });
    expect(w.warnings[0]).toBe("Skipped '/nope' path due to this access issue: '/nope' is not a directory\n");
  });

  it("reads grep's matches and sha1sum's lines apart, whatever the names", () => {
    const sum = 'a'.repeat(40);
    const r = parseContent(`G\0/t/a b\0/t/new\nline\0\0${sum}  /t/a b\0${sum}  /t/new\nline\0`);
    expect([...r.matched]).toEqual(['/t/a b', '/t/new\nline']);
    expect(r.sums.get('/t/new\nline')).toBe(sum);
    expect([...parseContent(`G\0\0${sum}  /x\0`).matched]).toEqual([]);
  });
});

describe('assemble fragments', () => {
  const b = (s: string): Buffer => Buffer.from(s);
  it('joins as assemble_from_fragments: a newline after a fragment without one, the delimiter between', () => {
    expect(joinFragments([b('one\n'), b('two'), b('three')], undefined, false).toString()).toBe('one\ntwo\nthree');
    expect(joinFragments([b('a'), b('b\n')], '--', false).toString()).toBe('a\n--\nb\n');
    expect(joinFragments([b('a'), b('b')], '--\\n', false).toString()).toBe('a\n--\nb');
    // the action plugin (remote_src false) always adds the newline after the delimiter
    expect(joinFragments([b('a'), b('b')], '--\\n', true).toString()).toBe('a\n--\n\nb');
    expect(joinFragments([], '--', false).length).toBe(0);
  });

  it('decodes the delimiter as codecs.escape_decode', () => {
    expect(escapeDecode(b('a\\tb\\x41\\101\\u0041\\q')).toString('latin1')).toBe('a\tbAA\\u0041\\q');
  });
});
