// Archives (unarchive), the pure part: which format a file is, the tar/unzip argv, and what
// their listings and `tar --diff` output mean. Every argv keeps each value one argument.
import type { WantedAttrs } from '../../support/files.js';

export type ArchiveFormat = 'tar' | 'tar.gz' | 'tar.bz2' | 'tar.xz' | 'tar.zst' | 'zip';

/** Ansible's handler class names, registered as `handler`. */
export const HANDLER: Readonly<Record<ArchiveFormat, string>> = {
  zip: 'ZipArchive',
  tar: 'TarArchive',
  'tar.gz': 'TgzArchive',
  'tar.bz2': 'TarBzipArchive',
  'tar.xz': 'TarXzArchive',
  'tar.zst': 'TarZstdArchive',
};

const SUFFIXES: readonly (readonly [RegExp, ArchiveFormat])[] = [
  [/\.(tar\.gz|tgz|taz)$/i, 'tar.gz'],
  [/\.(tar\.bz2|tbz2?|tb2)$/i, 'tar.bz2'],
  [/\.(tar\.xz|txz)$/i, 'tar.xz'],
  [/\.(tar\.zst|tzst)$/i, 'tar.zst'],
  [/\.tar$/i, 'tar'],
  [/\.zip$/i, 'zip'],
];

export function formatFromName(name: string): ArchiveFormat | undefined {
  return SUFFIXES.find(([re]) => re.test(name))?.[1];
}

/** The format from the first bytes (hex, at least 262 bytes for a plain tar's `ustar`). */
export function formatFromMagic(hex: string): ArchiveFormat | undefined {
  const h = hex.toLowerCase();
  if (h.startsWith('1f8b')) return 'tar.gz';
  if (h.startsWith('425a68')) return 'tar.bz2';
  if (h.startsWith('fd377a585a00')) return 'tar.xz';
  if (h.startsWith('28b52ffd')) return 'tar.zst';
  if (h.startsWith('504b0304') || h.startsWith('504b0506')) return 'zip';
  if (h.slice(257 * 2, 262 * 2) === '7573746172') return 'tar'; // "ustar" at offset 257
  return undefined;
}

/** What the bytes say first (a .tgz that is really a plain tar is a tar), then the name. */
export function detectFormat(name: string, magicHex: string): ArchiveFormat | undefined {
  return formatFromMagic(magicHex) ?? formatFromName(name);
}

export interface MemberOptions {
  readonly extraOpts: readonly string[];
  readonly exclude: readonly string[];
  readonly include: readonly string[];
}

const COMPRESS: Readonly<Record<Exclude<ArchiveFormat, 'zip'>, readonly string[]>> = {
  tar: [],
  'tar.gz': ['-z'],
  'tar.bz2': ['-j'],
  'tar.xz': ['-J'],
  'tar.zst': ['--use-compress-program=zstd'],
};

/** `tar --list|--diff|--extract` over src into dest, as Ansible's TgzArchive builds it. */
export function tarArgv(
  op: 'list' | 'diff' | 'extract',
  format: Exclude<ArchiveFormat, 'zip'>,
  src: string,
  dest: string,
  o: MemberOptions,
): string[] {
  return [
    'tar',
    `--${op}`,
    '-C',
    dest,
    ...COMPRESS[format],
    ...(o.extraOpts.length ? ['--show-transformed-names', ...o.extraOpts] : []),
    ...o.exclude.map((e) => `--exclude=${e.replace(/\/+$/, '')}`),
    '-f',
    src,
    ...o.include,
  ];
}

/** `unzip -o` of src into dir (quietly when checking into a temp directory). */
export function unzipArgv(src: string, dir: string, o: MemberOptions, quiet: boolean): string[] {
  return [
    'unzip',
    '-o',
    ...(quiet ? ['-qq'] : []),
    ...o.extraOpts,
    src,
    ...o.include,
    ...(o.exclude.length ? ['-x', ...o.exclude] : []),
    '-d',
    dir,
  ];
}

/** GNU tar's escapes in listings (`\\`, `\n`, `\t`, `\ooo` for other bytes) back to text. */
export function unescapeTarName(s: string): string {
  if (!s.includes('\\')) return s;
  const bytes: number[] = [];
  const simple: Record<string, number> = { '\\': 92, n: 10, t: 9, r: 13, f: 12, v: 11, b: 8, a: 7, '?': 127 };
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      const oct = /^[0-7]{3}/.exec(s.slice(i + 1));
      if (oct) {
        bytes.push(parseInt(oct[0], 8));
        i += 3;
        continue;
      }
      const e = simple[s[i + 1]!];
      if (e !== undefined) {
        bytes.push(e);
        i += 1;
        continue;
      }
    }
    bytes.push(...Buffer.from(c, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * The members a `tar --list` printed, relative to dest: leading `/` dropped (Ansible does),
 * and the empty names a --strip-components leaves behind skipped.
 */
export function parseTarList(stdout: string): string[] {
  const out: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const name = unescapeTarName(line).replace(/^\/+/, '');
    if (name !== '') out.push(name);
  }
  return out;
}

export interface DiffContext {
  /** the command ran as root: ownership differences count (tar restores them) */
  readonly root: boolean;
  /** mode/owner/group were given: their differences are fixed afterwards, not by unpacking */
  readonly mode: boolean;
  readonly owner: boolean;
  readonly group: boolean;
}

// the differences `tar --diff` reports that unpacking would fix (Ansible's list, plus file type)
const DIFFERS = [
  /: Mod time differs$/,
  /: Warning: Cannot stat: No such file or directory$/,
  /: Invalid owner$/,
  /: Invalid group$/,
  /: Symlink differs$/,
  /: Contents differ$/,
  /: Size differs$/,
  /: File type differs$/,
  /: Not a directory$/,
];

/** The `tar --diff` lines (stdout and stderr) that mean the archive is not unpacked yet. */
export function tarDifferences(stdout: string, stderr: string, c: DiffContext): string[] {
  const out: string[] = [];
  for (const line of [...stdout.split('\n'), ...stderr.split('\n')]) {
    if (line.trim() === '') continue;
    // the empty name a --strip-components leaves: not a member
    if (/: : Warning: Cannot stat: No such file or directory$/.test(line)) continue;
    if (
      (c.root && !c.owner && /: Uid differs$/.test(line)) ||
      (c.root && !c.group && /: Gid differs$/.test(line)) ||
      (!c.mode && /: Mode differs$/.test(line))
    ) {
      out.push(line);
      continue;
    }
    if (DIFFERS.some((re) => re.test(line))) out.push(line);
  }
  return out;
}

/** The zip comparison's output: `M\t<member>` for each unpacked path, `D\t<member>` for each that differs in dest. */
export function parseZipCompare(stdout: string): { members: string[]; differing: string[] } {
  const members: string[] = [];
  const differing: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith('M\t')) members.push(line.slice(2));
    else if (line.startsWith('D\t')) differing.push(line.slice(2));
  }
  return { members, differing: [...new Set(differing)] };
}

/** The paths whose attributes Ansible sets: every member (without a trailing /) and each top folder. */
export function attributePaths(members: readonly string[]): string[] {
  const out = new Set<string>();
  for (const m of members) {
    const p = m.replace(/\/+$/, '');
    if (p === '' || p === '.') continue;
    out.add(p);
    const slash = p.indexOf('/');
    if (slash > 0) out.add(p.slice(0, slash));
  }
  return [...out];
}

/**
 * From `stat --printf '%a\t%U\t%G\t%u\t%g\t%F\t%n\n'` lines: the paths to chmod (symbolic links
 * are left alone: chmod would follow them) and the paths to chown (-h).
 */
export function attrFixes(statOut: string, want: WantedAttrs): { chmod: string[]; chown: string[] } {
  const chmod: string[] = [];
  const chown: string[] = [];
  for (const line of statOut.split('\n')) {
    const f = line.split('\t');
    if (f.length < 7) continue;
    const [mode, user, group, uid, gid, type] = f as [string, string, string, string, string, string];
    const path = f.slice(6).join('\t');
    if (want.mode !== undefined && type !== 'symbolic link' && parseInt(mode, 8) !== want.mode) chmod.push(path);
    const ownerDiffers = want.owner !== undefined && want.owner !== user && want.owner !== uid;
    const groupDiffers = want.group !== undefined && want.group !== group && want.group !== gid;
    if (ownerDiffers || groupDiffers) chown.push(path);
  }
  return { chmod, chown };
}

export interface ArchiveProbe {
  /** the source's size, undefined when it does not exist */
  readonly size?: number;
  /** hex of its first 262 bytes */
  readonly magic: string;
  /** the first line of `tar --version` ('' without tar) */
  readonly tar: string;
  readonly unzip: boolean;
  /** the uid the commands run as (after become) */
  readonly uid: number;
}

export function parseProbe(stdout: string): ArchiveProbe {
  const kv: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) kv[line.slice(0, at)] = line.slice(at + 1).trim();
  }
  const size = kv['size'];
  return {
    ...(size !== undefined && /^\d+$/.test(size) ? { size: Number(size) } : {}),
    magic: kv['magic'] ?? '',
    tar: kv['tar'] ?? '',
    unzip: kv['unzip'] === 'yes',
    uid: Number(kv['uid'] ?? '-1'),
  };
}

/** Why tar cannot unpack: missing, or not GNU tar (Ansible's messages); undefined when fine. */
export function tarProblem(versionLine: string): string | undefined {
  if (versionLine === '') return "Unable to find required 'gtar' or 'tar' binary in the path";
  if (/GNU/.test(versionLine)) return undefined;
  const kind = versionLine.startsWith('bsdtar') ? 'bsd' : 'None';
  return `Command "tar" detected as tar type ${kind}. GNU tar required.`;
}
