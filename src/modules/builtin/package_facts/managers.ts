// The package managers package_facts reads, each as a probe (is it on the host?), the sh that
// lists its packages, and the parser turning that output into Ansible's package dicts (the
// fields of ansible-core 2.14's package_facts: apt's name/version/arch/category/origin, rpm's
// name/version/release/epoch/arch, ...). Ansible reads apt and rpm through their Python
// bindings; here dpkg-query + apt-cache policy and `rpm -qa --qf` give the same values.
import { aptName, aptSections, parseAptPolicy } from './apt-policy.js';

export type PackageDetails = Record<string, unknown> & { name: string };

export interface ManagerSpec {
  /** sh condition: the manager is on the host */
  readonly probe: string;
  /** sh printing the listing parse() reads */
  readonly query: string;
  parse(out: string): PackageDetails[];
}

export const APT_ARCH = '@@rb-apt arch ';
export const APT_FILES = '@@rb-apt files';
export const APT_VERSIONS = '@@rb-apt versions';
export const APT_RECORDS = '@@rb-apt records';

const has = (cmd: string): string => `command -v ${cmd} >/dev/null 2>&1`;

// dpkg's "not-installed" and "config-files" have no current version in apt's cache
const INSTALLED = '{ n = split($1, s, " ") } s[n] != "not-installed" && s[n] != "config-files"';

/** Reads dpkg's rows, then the lists' records: each installed version's package, architecture and section, once. */
const SECTIONS = [
  `!body && $0 == "${APT_RECORDS}" { body = 1; next }`,
  `!body { n = split($1, st, " "); if (st[n] != "not-installed" && st[n] != "config-files") want[$2 " " $3 " " $4] = 1; next }`,
  '/^Package: / { p = substr($0, 10) }',
  '/^Version: / { v = substr($0, 10) }',
  '/^Architecture: / { a = substr($0, 15) }',
  '/^Section: / { sec = substr($0, 10) }',
  '/^$/ { k = p " " v " " a; if (k in want && !(k in seen)) { seen[k] = 1; print p "\\t" a "\\t" sec } p = v = a = sec = "" }',
].join('\n');

/** dpkg's installed packages, with the origin of the installed version as apt's cache has it (python-apt's origins[0].origin). */
const apt: ManagerSpec = {
  probe: `${has('dpkg-query')} && ${has('apt-cache')}`,
  query: [
    `printf '${APT_ARCH}%s\\n' "$(dpkg --print-architecture)"`,
    `q=$(dpkg-query -W -f='\${Status}\\t\${Package}\\t\${Version}\\t\${Architecture}\\t\${Section}\\t\${binary:Package}\\n') || exit 3`,
    `printf '%s\\n' "$q"`,
    // apt-cache builds apt's cache in memory each time when it keeps none on disk (Docker's images): then one
    // in a temporary directory, built by the first apt-cache and read by the second, removed after
    'set --',
    `eval "$(apt-config shell pkgcache Dir::Cache::pkgcache)"`,
    `if [ -z "$pkgcache" ] && t=$(mktemp -d 2>/dev/null); then trap 'rm -rf "$t"' EXIT; set -- -o "Dir::Cache::pkgcache=$t/pkgcache.bin" -o Dir::Cache::srcpkgcache=; fi`,
    `echo '${APT_FILES}'`,
    'apt-cache "$@" policy',
    `echo '${APT_VERSIONS}'`,
    `printf '%s\\n' "$q" | awk -F '\\t' '${INSTALLED} { print $6 }' | xargs -r apt-cache "$@" policy`,
    // the section of an installed version as apt's cache holds it: a repository's record, else dpkg's (the
    // repositories' lists read once, each through apt-helper for its compression; apt-cache show, one seek a package, is ten times slower)
    `echo '${APT_RECORDS}'`,
    `eval "$(apt-config shell lists Dir::State::lists/d)"`,
    `{ printf '%s\\n' "$q"; echo '${APT_RECORDS}'; for f in "\${lists:-/var/lib/apt/lists/}"*_Packages*; do case "$f" in *.diff*) continue ;; esac; [ -f "$f" ] || continue; if [ -x /usr/lib/apt/apt-helper ]; then /usr/lib/apt/apt-helper cat-file "$f"; else cat "$f"; fi; echo; done; } | awk -F '\\t' '${SECTIONS}'`,
  ].join('\n'),
  parse(out) {
    const arch = out
      .slice(out.indexOf(APT_ARCH) + APT_ARCH.length)
      .split('\n', 1)[0]!
      .trim();
    const rows = between(out, '\n', APT_FILES).split('\n');
    const origins = parseAptPolicy(between(out, APT_FILES, APT_VERSIONS), between(out, APT_VERSIONS, APT_RECORDS));
    const sections = aptSections(after(out, APT_RECORDS), arch);
    const pkgs: PackageDetails[] = [];
    for (const row of rows) {
      const [status = '', pkg = '', version = '', a = '', section = ''] = row.split('\t');
      const state = status.split(' ').pop();
      if (pkg === '' || state === 'not-installed' || state === 'config-files') continue;
      const name = aptName(pkg, a, arch);
      pkgs.push({
        name,
        version,
        arch: a,
        category: sections.has(name) ? sections.get(name) : section === '' ? null : section,
        origin: origins.get(name) ?? '',
      });
    }
    return pkgs;
  },
};

const RPM_QF = ['NAME', 'VERSION', 'RELEASE', 'EPOCH', 'ARCH'].map((t) => `%{${t}}`).join('\\t');

/** python-rpm's header values: a missing tag (rpm prints "(none)") is None, the epoch an int. */
const rpm: ManagerSpec = {
  probe: has('rpm'),
  query: `rpm -qa --qf '${RPM_QF}\\n'`,
  parse(out) {
    const none = (v: string | undefined): string | null => (v === undefined || v === '(none)' ? null : v);
    return lines(out).map((l) => {
      const [name = '', version, release, epoch, arch] = l.split('\t');
      const e = none(epoch);
      return { name, version: none(version), release: none(release), epoch: e === null ? null : Number(e), arch: none(arch) };
    });
  },
};

const pacman: ManagerSpec = {
  probe: has('pacman'),
  query: 'pacman -Qi',
  parse(out) {
    return out
      .split('\n\n')
      .slice(0, -1)
      .map((block) => {
        const raw: Record<string, string> = {};
        let last = '';
        for (const line of block.split('\n')) {
          const m = /^([\w ]*[\w]) +: (.*)/.exec(line);
          if (m) raw[(last = m[1]!)] = m[2]!;
          else raw[last] = `${raw[last] ?? ''}  ${line.trimStart()}`;
        }
        const provides = raw['Provides'] === 'None' ? null : (raw['Provides'] ?? '').split('  ').map((p) => p.split('=')[0]!);
        return { name: raw['Name'] ?? '', version: raw['Version'], arch: raw['Architecture'], provides };
      });
  },
};

const apk: ManagerSpec = {
  probe: has('apk'),
  query: 'apk info -v',
  parse(out) {
    return lines(out).map((p) => {
      const nvr = rsplit(p, '-', 2);
      return nvr.length === 3 ? { name: nvr[0]!, version: nvr[1], release: nvr[2] } : { name: p, version: '', release: '' };
    });
  },
};

const portage: ManagerSpec = {
  probe: has('qlist'),
  query: 'qlist -Iv | xargs -n 1024 qatom',
  parse(out) {
    const atoms = ['category', 'name', 'version', 'ebuild_revision', 'slots', 'prefixes', 'sufixes'];
    return lines(out).map(
      (l) =>
        Object.fromEntries(
          l
            .trim()
            .split(/\s+/)
            .map((v, i) => [atoms[i], v])
            .slice(0, atoms.length),
        ) as PackageDetails,
    );
  },
};

const PKG_ATOMS = ['name', 'version', 'origin', 'installed', 'automatic', 'arch', 'category', 'prefix', 'vital'];

const pkg: ManagerSpec = {
  probe: has('pkg'),
  query: `pkg query '%n\\t%v\\t%R\\t%t\\t%a\\t%q\\t%o\\t%p\\t%V'`,
  parse(out) {
    return lines(out).map((l) => {
      const p: Record<string, unknown> = Object.fromEntries(
        l
          .split('\t')
          .map((v, i) => [PKG_ATOMS[i], v])
          .slice(0, PKG_ATOMS.length),
      );
      if (typeof p['arch'] === 'string') p['arch'] = p['arch'].split(':')[2] ?? p['arch'];
      if (typeof p['automatic'] === 'string') p['automatic'] = Number(p['automatic']) !== 0;
      if (typeof p['category'] === 'string') p['category'] = p['category'].split('/')[0];
      if (typeof p['version'] === 'string') {
        const [v, portEpoch] = splitOnce(p['version'], ',');
        const [ver, revision] = splitOnce(v, '_');
        Object.assign(p, { version: ver, port_epoch: portEpoch ?? 0, revision: revision ?? '0' });
      }
      if (typeof p['vital'] === 'string') p['vital'] = Number(p['vital']) !== 0;
      return p as PackageDetails;
    });
  },
};

const pkgInfo: ManagerSpec = {
  probe: has('pkg_info'),
  query: 'pkg_info -a',
  parse(out) {
    return lines(out).map((l) => {
      const d = rsplit(l.trim().split(/\s+/, 1)[0]!, '-', 1);
      return d.length === 2 ? { name: d[0]!, version: d[1] } : { name: l, version: '' };
    });
  },
};

/** In the order `auto` tries them (Ansible's order comes from a Python set, so it is not fixed): the common Linux ones first. */
export const MANAGERS: Readonly<Record<string, ManagerSpec>> = { apt, rpm, pacman, apk, portage, pkg, pkg_info: pkgInfo };

function lines(out: string): string[] {
  return out.split('\n').filter((l) => l !== '');
}

function between(s: string, start: string, end: string): string {
  const i = s.indexOf(start);
  const j = s.indexOf(end, i + start.length);
  return i < 0 ? '' : s.slice(i + start.length, j < 0 ? undefined : j);
}

function after(s: string, start: string): string {
  const i = s.indexOf(start);
  return i < 0 ? '' : s.slice(i + start.length);
}

/** Python's str.rsplit(sep, max) */
function rsplit(s: string, sep: string, max: number): string[] {
  const parts = s.split(sep);
  return parts.length <= max + 1 ? parts : [parts.slice(0, parts.length - max).join(sep), ...parts.slice(parts.length - max)];
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + sep.length)];
}
