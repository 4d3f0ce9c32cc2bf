// ansible.builtin.find: the entries under some directories that match, as Ansible 2.14's find
// module reports them (files, matched, examined, msg, skipped_paths). Reads only: one host
// command lists and describes the whole tree (listing.ts), a second one greps or checksums
// the matches when contains/get_checksum ask for it; walk.ts walks the listing as os.walk.
import { failed, ok, type ModuleResult } from '../../../core/result.js';
import type { Module, ModuleContext } from '../../types.js';
import type { FindArgs } from '../../generated/args.js';
import { factOpts } from '../../support/exec.js';
import { CONTENT_SCRIPT, LIST_SCRIPT, parseContent, parseListing } from './listing.js';
import { statInfo, walkListing, type FindFilters } from './walk.js';

/** Ansible's `type='list'`: a list as is, text split at commas, anything else one item. */
function listArg(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.map((x) => String(x));
  return String(v).split(',');
}

const AGE_UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const SIZE_UNITS: Readonly<Record<string, number>> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** `4d` → seconds, `10k` → bytes, as find.py reads age and size; undefined: malformed. */
export function amount(v: string, units: Readonly<Record<string, number>>): number | undefined {
  const m = new RegExp(`^(-?\\d+)([${Object.keys(units).join('')}])?$`).exec(v.toLowerCase());
  if (!m) return undefined;
  return Number(m[1]) * (m[2] ? (units[m[2]] ?? 1) : 1);
}

/** The filters the arguments ask for, or find.py's failure for a malformed age or size. */
export function findFilters(args: FindArgs): FindFilters | ModuleResult {
  const useRegex = args.use_regex === true;
  const given = listArg(args.patterns ?? args.pattern);
  let age: number | undefined;
  if (args.age !== undefined && args.age !== null) {
    age = amount(String(args.age), AGE_UNITS);
    if (age === undefined) return failed('failed to process age', { data: { age: String(args.age) } });
  }
  let size: number | undefined;
  if (args.size !== undefined && args.size !== null) {
    size = amount(String(args.size), SIZE_UNITS);
    if (size === undefined) return failed('failed to process size', { data: { size: String(args.size) } });
  }
  const depth = args.depth === undefined || args.depth === null ? undefined : Number(args.depth);
  return {
    patterns: given.length ? given : [useRegex ? '.*' : '*'],
    excludes: listArg(args.excludes ?? args.exclude),
    useRegex,
    fileType: (args.file_type ?? 'file') as FindFilters['fileType'],
    age,
    ageStamp: (args.age_stamp ?? 'mtime') as FindFilters['ageStamp'],
    size,
    recurse: args.recurse === true,
    depth,
    hidden: args.hidden === true,
    follow: args.follow === true,
  };
}

/** find -maxdepth: what os.walk lists (one level below `depth`, counted in examined, not reported). */
function maxDepth(paths: readonly string[], f: FindFilters): string {
  if (!f.recurse) return '1';
  // find.py counts depth on the normalized path against the path as written: `./x` or `a//b`
  // make its count differ from find's, so list everything and let the walk cut
  const plain = paths.every((p) => !/(^|\/)\.\.?(\/|$)|\/\/|^~/.test(p));
  return f.depth && f.depth > 0 && plain ? String(f.depth + 1) : '1000000';
}

async function find(ctx: ModuleContext, args: FindArgs): Promise<ModuleResult> {
  const paths = listArg(args.paths ?? args.path ?? args.name);
  if (!paths.length) return failed('missing required arguments: paths');
  const filters = findFilters(args);
  if ('status' in filters) return filters;
  const opts = factOpts(ctx);
  const r = await ctx.conn.exec(
    ['/bin/sh', '-c', LIST_SCRIPT, 'sh', filters.follow ? '-L' : '-H', maxDepth(paths, filters), ...paths],
    opts,
  );
  if (r.rc !== 0) return failed(`find: listing failed: ${(r.stderr || r.stdout).trim()}`, { rc: r.rc });
  const { now, listings } = parseListing(r.stdout);
  let walk;
  try {
    walk = walkListing(listings, filters, now);
  } catch (e) {
    return failed(`find: ${(e as Error).message}`);
  }
  let candidates = walk.candidates;
  const contains = args.contains ?? undefined;
  const checksum = args.get_checksum === true;
  const contentFiles = contains !== undefined ? candidates.filter((c) => c.contentChecked).map((c) => c.path) : [];
  const sumFiles = checksum ? candidates.filter((c) => (c.stat.mode & 0o170000) === 0o100000).map((c) => c.path) : [];
  let sums = new Map<string, string>();
  if (contentFiles.length || sumFiles.length) {
    const files = [...new Set([...contentFiles, ...sumFiles])];
    const c = await ctx.conn.exec(
      // grep reads a newline in -e as two patterns (and -P refuses more than one): PCRE's \n is the same character
      [
        '/bin/sh',
        '-c',
        CONTENT_SCRIPT,
        'sh',
        (contains ?? '').replace(/\n/g, '\\n'),
        args.read_whole_file ? 'whole' : '',
        checksum ? 'sums' : '',
        ...files,
      ],
      opts,
    );
    if (c.rc !== 0) return failed(`find: ${(c.stderr || c.stdout).trim()}`, { rc: c.rc });
    const read = parseContent(c.stdout);
    sums = read.sums;
    if (contains !== undefined) candidates = candidates.filter((x) => !x.contentChecked || read.matched.has(x.path));
  }
  const files = candidates.map((c) => statInfo(c.path, c.stat, checksum ? sums.get(c.path) : undefined));
  const msg = walk.warnings.length ? 'Not all paths examined, check warnings for details' : 'All paths examined';
  return ok({
    msg,
    data: {
      files,
      matched: files.length,
      examined: walk.examined,
      skipped_paths: walk.skipped,
      ...(walk.warnings.length ? { warnings: walk.warnings } : {}),
    },
  });
}

const findModule: Module<FindArgs, never> = {
  name: 'find',
  readOnly: true,
  async check(ctx, args) {
    const result = await find(ctx, args);
    return result.status === 'failed' ? { kind: 'failed', result } : { kind: 'unchanged', result };
  },
  apply() {
    return Promise.resolve(ok());
  },
};

export default findModule;
