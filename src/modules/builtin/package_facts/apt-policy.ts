// `apt-cache policy` read for package_facts: the origin (the Release file's `o=`) of the first
// package file that holds each package's installed version — what python-apt's
// `Version.origins[0].origin` is, as Ansible reads it (apt-cache prints a version's files in the
// order of apt's cache, the order python-apt iterates). A version only in dpkg's status file
// has the origin "".

/** `apt-cache policy` without names: each package file's description → its Release origin. */
export function parsePackageFiles(text: string): Map<string, string> {
  const origins = new Map<string, string>();
  let current: string | undefined;
  for (const line of text.split('\n')) {
    const file = /^ *-?\d+ (\S.*)$/.exec(line);
    if (file) {
      current = file[1]!;
      origins.set(current, '');
      continue;
    }
    const release = /^\s+release (.*)$/.exec(line);
    if (release && current !== undefined) origins.set(current, /(?:^|,)o=([^,]*)/.exec(release[1]!)?.[1] ?? '');
  }
  return origins;
}

/**
 * `apt-cache policy NAME...`: each package → the description of the first file listing its
 * installed (`***`) version. A version line is ` *** VERSION PRIO` or five spaces before the
 * version; a file line is indented deeper, its priority right-aligned in four columns.
 */
export function installedFiles(text: string): Map<string, string> {
  const files = new Map<string, string>();
  let pkg: string | undefined;
  let inInstalled = false;
  for (const line of text.split('\n')) {
    const header = /^(\S+):$/.exec(line);
    if (header) {
      pkg = header[1]!;
      inInstalled = false;
      continue;
    }
    const version = /^ (\*\*\*| {3}) (\S+) -?\d+$/.exec(line);
    if (version) {
      inInstalled = version[1] === '***';
      continue;
    }
    const file = /^ {4} *-?\d+ (\S.*)$/.exec(line);
    if (file && inInstalled && pkg !== undefined && !files.has(pkg)) files.set(pkg, file[1]!);
  }
  return files;
}

/** Each installed package's origin, from the two policy listings. */
export function parseAptPolicy(packageFiles: string, versions: string): Map<string, string> {
  const origins = parsePackageFiles(packageFiles);
  const out = new Map<string, string>();
  for (const [pkg, file] of installedFiles(versions)) out.set(pkg, origins.get(file) ?? '');
  return out;
}

/** apt's pretty full name of a package: the architecture is shown only for a foreign one. */
export function aptName(pkg: string, arch: string, nativeArch: string): string {
  return arch === nativeArch || arch === 'all' || arch === 'none' || arch === '' ? pkg : `${pkg}:${arch}`;
}

/** The script's section lines (`PACKAGE\tARCH\tSECTION`): each package → its installed version's section, null when it has none. */
export function aptSections(lines: string, nativeArch: string): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const line of lines.split('\n')) {
    const [pkg = '', arch = '', section = ''] = line.split('\t');
    if (pkg === '') continue;
    out.set(aptName(pkg, arch, nativeArch), section === '' ? null : section);
  }
  return out;
}
