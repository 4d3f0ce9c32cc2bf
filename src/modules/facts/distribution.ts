// distribution, distribution_version/_major_version/_release and os_family from
// /etc/os-release, with the names and families Ansible reports (its facts/system/distribution.py
// tables, for the distributions people run servers on).
import { table } from '../../core/table.js';

/** `KEY=value` lines of an os-release file, shell quoting removed. */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*?)\s*$/.exec(line);
    if (!m) continue;
    out[m[1]!] = unquote(m[2]!);
  }
  return out;
}

function unquote(v: string): string {
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1);
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1).replace(/\\(["\\$`])/g, '$1');
  return v;
}

/** os-release ID → Ansible's ansible_distribution. Unknown IDs are capitalised, as Ansible does. */
const NAMES: Readonly<Record<string, string>> = table({
  debian: 'Debian',
  ubuntu: 'Ubuntu',
  raspbian: 'Debian',
  linuxmint: 'Linux Mint',
  kali: 'Kali',
  devuan: 'Devuan',
  pop: 'Pop!_OS',
  neon: 'KDE neon',
  rhel: 'RedHat',
  centos: 'CentOS',
  rocky: 'Rocky',
  almalinux: 'AlmaLinux',
  ol: 'OracleLinux',
  fedora: 'Fedora',
  amzn: 'Amazon',
  cloudlinux: 'CloudLinux',
  euleros: 'EulerOS',
  openEuler: 'openEuler',
  sles: 'SLES',
  sles_sap: 'SLES_SAP',
  sled: 'SLED',
  'opensuse-leap': 'openSUSE Leap',
  'opensuse-tumbleweed': 'openSUSE Tumbleweed',
  opensuse: 'openSUSE',
  alpine: 'Alpine',
  arch: 'Archlinux',
  archarm: 'Archlinux',
  manjaro: 'Manjaro',
  gentoo: 'Gentoo',
  'clear-linux-os': 'Clear Linux OS',
});

/** ansible_distribution → ansible_os_family (a subset of Ansible's OS_FAMILY_MAP). */
const FAMILIES: Readonly<Record<string, readonly string[]>> = {
  RedHat: [
    'RedHat',
    'Fedora',
    'CentOS',
    'Scientific',
    'OracleLinux',
    'Amazon',
    'CloudLinux',
    'Virtuozzo',
    'XenServer',
    'EulerOS',
    'openEuler',
    'AlmaLinux',
    'Rocky',
    'TencentOS',
    'EuroLinux',
  ],
  Debian: [
    'Debian',
    'Ubuntu',
    'Raspbian',
    'KDE neon',
    'Linux Mint',
    'SteamOS',
    'Devuan',
    'Kali',
    'Cumulus Linux',
    'Pop!_OS',
    'Parrot',
    'Deepin',
  ],
  Suse: ['SuSE', 'SLES', 'SLED', 'openSUSE', 'openSUSE Tumbleweed', 'SLES_SAP', 'openSUSE Leap'],
  Archlinux: ['Archlinux', 'Antergos', 'Manjaro'],
  Gentoo: ['Gentoo', 'Funtoo'],
  Alpine: ['Alpine'],
  ClearLinux: ['Clear Linux OS'],
};

/** ID_LIKE words → family, for derivatives the table above does not name. */
const LIKE: Readonly<Record<string, string>> = table({
  debian: 'Debian',
  ubuntu: 'Debian',
  rhel: 'RedHat',
  fedora: 'RedHat',
  centos: 'RedHat',
  suse: 'Suse',
  opensuse: 'Suse',
  arch: 'Archlinux',
  alpine: 'Alpine',
  gentoo: 'Gentoo',
});

export interface DistributionFacts {
  readonly distribution: string;
  readonly distribution_version: string;
  readonly distribution_major_version: string;
  readonly distribution_minor_version?: string;
  readonly distribution_release: string;
  readonly os_family: string;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
}

function familyOf(distribution: string, idLike: string): string {
  for (const [family, members] of Object.entries(FAMILIES)) if (members.includes(distribution)) return family;
  for (const word of idLike.split(/\s+/)) {
    const f = LIKE[word.toLowerCase()];
    if (f) return f;
  }
  return distribution;
}

/** The codename: VERSION_CODENAME, else UBUNTU_CODENAME, else the "(Name)" in VERSION (RHEL, Rocky). */
function releaseOf(id: string, os: Record<string, string>): string {
  const code = os['VERSION_CODENAME'] || os['UBUNTU_CODENAME'];
  if (code) return code;
  if (id === 'fedora') return 'NA'; // "(Server Edition)" is not a codename
  const paren = /\(([^)]+)\)/.exec(os['VERSION'] ?? '');
  return paren ? paren[1]!.trim() : 'NA';
}

/**
 * Facts from os-release text (empty when the host has none) and /etc/debian_version (Debian
 * reports its point release from there, as Ansible does: "12.5", not "12").
 */
export function distributionFacts(osRelease: string, system: string, debianVersion = ''): DistributionFacts {
  const os = parseOsRelease(osRelease);
  const id = (os['ID'] ?? '').trim();
  if (!id) {
    const name = system || 'NA';
    return {
      distribution: name,
      distribution_version: 'NA',
      distribution_major_version: 'NA',
      distribution_release: 'NA',
      os_family: name,
    };
  }
  const distribution = NAMES[id] ?? NAMES[id.toLowerCase()] ?? capitalize(id);
  let version = os['VERSION_ID'] ?? '';
  if (id === 'debian' && /^\d+(\.\d+)*$/.test(debianVersion.trim())) version = debianVersion.trim();
  if (!version) version = 'NA';
  const major = version === 'NA' ? 'NA' : (version.split('.')[0] ?? version);
  // Ansible reads a minor version from /etc/debian_version on Debian only (`12.11` → `11`)
  const minor = distribution === 'Debian' ? /(\d+)\.(\d+)/.exec(debianVersion)?.[2] : undefined;
  return {
    distribution,
    distribution_version: version,
    distribution_major_version: major,
    ...(minor !== undefined ? { distribution_minor_version: minor } : {}),
    distribution_release: releaseOf(id, os),
    os_family: familyOf(distribution, os['ID_LIKE'] ?? ''),
  };
}
