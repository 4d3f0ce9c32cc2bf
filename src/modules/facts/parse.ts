// The output of FACTS_SCRIPT (script.ts) → Ansible's facts, without the `ansible_` prefix.
// Pure: unit-tested with captured output of many distributions.
import { distributionFacts } from './distribution.js';
import { networkFacts } from './network.js';
import { allIpv6, interfaceFacts, mountFacts, selinuxFacts, virtualizationFacts } from './linux-extra.js';
import { IPV6_TARGET, SECTION_MARK } from './script.js';
import { defaultIpv6, fqdnOf } from './system-extra.js';
import { systemFacts, withInterface } from './system-facts.js';

export type Facts = Record<string, unknown>;

/** Section name → its text (lines joined, the blank separator line removed). */
export function splitSections(stdout: string): Map<string, string> {
  const out = new Map<string, string[]>();
  let cur: string[] | undefined;
  for (const line of stdout.split('\n')) {
    if (line.startsWith(SECTION_MARK)) {
      cur = [];
      out.set(line.slice(SECTION_MARK.length).trim(), cur);
    } else cur?.push(line);
  }
  return new Map([...out].map(([k, lines]) => [k, lines.join('\n').replace(/\n+$/, '')]));
}

/** `key=value` lines; the first `=` splits, values keep their own `=`. */
export function parseKv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
}

function int(v: string | undefined): number | undefined {
  if (v === undefined || !/^\s*\d+\s*$/.test(v)) return undefined;
  return Number(v);
}

/** /proc/meminfo in MB (whole MiB, rounded down, as Ansible). */
function memoryFacts(text: string): Facts {
  const kb: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^(\w+):\s+(\d+)/.exec(line);
    if (m) kb[m[1]!] = Number(m[2]);
  }
  if (kb['MemTotal'] === undefined) return {};
  const mb = (k: string): number => Math.floor((kb[k] ?? 0) / 1024);
  const total = mb('MemTotal');
  const free = mb('MemFree');
  const nocacheFree = free + mb('Buffers') + mb('Cached');
  const swapTotal = mb('SwapTotal');
  const swapFree = mb('SwapFree');
  return {
    memtotal_mb: total,
    memfree_mb: free,
    swaptotal_mb: swapTotal,
    swapfree_mb: swapFree,
    memory_mb: {
      real: { total, used: total - free, free },
      nocache: { free: nocacheFree, used: total - nocacheFree },
      swap: { total: swapTotal, free: swapFree, used: swapTotal - swapFree, cached: mb('SwapCached') },
    },
  };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `date '+%Y-%m-%d|%H:%M:%S|%s|%Z|%z|%w|%A|%W|%N'` → Ansible's date_time (all strings); `dst`: time.tzname[1] (else the zone's name). */
export function dateTimeFacts(line: string, dst?: string): Facts {
  const [date = '', time = '', epoch = '', tz = '', offset = '', wday = '', weekday = '', week = '', nanos = ''] = line.split('|');
  const m = /^(\d+)-(\d+)-(\d+)$/.exec(date);
  const t = /^(\d+):(\d+):(\d+)$/.exec(time);
  if (!m || !t || !/^\d+$/.test(epoch)) return {};
  const utc = new Date(Number(epoch) * 1000);
  const iso = `${utc.getUTCFullYear()}-${pad(utc.getUTCMonth() + 1)}-${pad(utc.getUTCDate())}T${pad(utc.getUTCHours())}:${pad(utc.getUTCMinutes())}:${pad(utc.getUTCSeconds())}`;
  const micro = /^\d{9}$/.test(nanos) ? nanos.slice(0, 6) : '000000'; // (%N is GNU's: busybox's date prints no fraction)
  const basic = `${m[1]}${m[2]}${m[3]}T${t[1]}${t[2]}${t[3]}`;
  return {
    year: m[1],
    month: m[2],
    day: m[3],
    hour: t[1],
    minute: t[2],
    second: t[3],
    weekday,
    weekday_number: wday,
    weeknumber: week,
    epoch,
    epoch_int: epoch,
    date,
    time,
    iso8601_micro: `${iso}.${micro}Z`,
    iso8601: `${iso}Z`,
    iso8601_basic: `${basic}${micro}`,
    iso8601_basic_short: basic,
    tz,
    tz_dst: dst || tz,
    tz_offset: offset,
  };
}

function cpuFacts(kv: Record<string, string>): Facts {
  const nproc = int(kv['nproc']);
  const vcpus = int(kv['cpuinfo_processors']) || nproc;
  if (vcpus === undefined) return {};
  const sockets = int(kv['cpuinfo_sockets']) || undefined;
  const cores = int(kv['cpuinfo_cores']);
  const siblings = int(kv['cpuinfo_siblings']);
  return {
    processor_vcpus: vcpus,
    processor_count: sockets ?? vcpus,
    processor_nproc: nproc ?? vcpus,
    ...(cores ? { processor_cores: cores } : {}),
    ...(cores && siblings ? { processor_threads_per_core: Math.max(1, Math.floor(siblings / cores)) } : {}),
  };
}

function userFacts(kv: Record<string, string>): Facts {
  // passwd: name:x:uid:gid:gecos:dir:shell
  const pw = (kv['passwd'] ?? '').split(':');
  const field = (i: number): string | undefined => (pw.length >= 7 && pw[i] !== '' ? pw[i] : undefined);
  return {
    user_id: kv['user'] || field(0) || kv['uid'] || '',
    user_uid: int(kv['uid']) ?? -1,
    user_gid: int(kv['gid']) ?? -1,
    // pwd.getpwuid's pw_gecos, '' when the field is empty
    ...(pw.length >= 7 ? { user_gecos: pw[4] } : {}),
    user_dir: field(5) ?? kv['home'] ?? '',
    user_shell: field(6) ?? kv['shell'] ?? '',
  };
}

/** systemd when /run/systemd/system exists, else what PID 1 is (Ansible's names for a few). */
function serviceMgr(kv: Record<string, string>): string {
  if (kv['systemd'] === 'yes') return 'systemd';
  const pid1 = kv['pid1'] ?? '';
  const known: Record<string, string> = { 'openrc-init': 'openrc', 'runit-init': 'runit', procd: 'openwrt_init', svscan: 'svc' };
  if (known[pid1]) return known[pid1];
  if (pid1 === 'init' || pid1 === '') return kv['openrc'] === 'yes' ? 'openrc' : pid1 === 'init' ? 'sysvinit' : 'service';
  return pid1;
}

const FAMILY_PKG: Readonly<Record<string, readonly string[]>> = {
  Debian: ['apt-get'],
  RedHat: ['dnf5', 'dnf', 'yum'],
  Suse: ['zypper'],
  Alpine: ['apk'],
  Archlinux: ['pacman'],
};

/** The family's own manager when present, else the first one found; 'unknown' when none. */
function pkgMgr(found: string, family: string): string {
  const have = found.split(/\s+/).filter(Boolean);
  const pick = (FAMILY_PKG[family] ?? []).find((p) => have.includes(p)) ?? have[0];
  if (!pick) return 'unknown';
  return pick === 'apt-get' ? 'apt' : pick;
}

/** Every fact, unprefixed (`hostname`, `distribution`...), from the script's output. */
export function parseFacts(stdout: string): Facts {
  const sec = splitSections(stdout);
  const kv = parseKv(sec.get('kv') ?? '');
  const nodename = kv['nodename'] ?? '';
  const hostname = nodename.split('.')[0] ?? nodename;
  const fqdn = fqdnOf(nodename, kv['fqdn_reverse'] ?? '');
  const system = kv['system'] ?? '';
  const ifaces = interfaceFacts(sec.get('links') ?? '', sec.get('addresses') ?? '', sec.get('addresses6') ?? '');
  const dist = distributionFacts(sec.get('os-release') ?? '', system, kv['debian_version'] ?? '');
  const net = networkFacts({
    routeGet: sec.get('route-get') ?? '',
    addresses: sec.get('addresses') ?? '',
    procRoute: sec.get('proc-route') ?? '',
    localAddresses: sec.get('local-addresses') ?? '',
    interfaces: sec.get('interfaces') ?? '',
  });
  const uptime = Number((kv['uptime'] ?? '').split(/\s+/)[0]);
  return {
    hostname,
    nodename,
    fqdn,
    domain: fqdn.startsWith(`${hostname}.`) ? fqdn.slice(hostname.length + 1) : '',
    system,
    kernel: kv['kernel'] ?? '',
    kernel_version: kv['kernel_version'] ?? '',
    architecture: kv['machine'] ?? '',
    machine: kv['machine'] ?? '',
    ...dist,
    ...cpuFacts(kv),
    ...memoryFacts(sec.get('meminfo') ?? ''),
    default_ipv4: withInterface({ ...net.default_ipv4 }, ifaces),
    default_ipv6: withInterface(defaultIpv6(sec.get('route6-get') ?? '', IPV6_TARGET), ifaces),
    all_ipv4_addresses: net.all_ipv4_addresses,
    interfaces: net.interfaces,
    date_time: dateTimeFacts(kv['date'] ?? '', kv['tz_dst']),
    python: pythonFacts(kv),
    // (the path that found it: setup's discovered_interpreter_python, not a fact of its own)
    ...(kv['python_found'] ? { python_found: kv['python_found'] } : {}),
    ...pythonVersionText(kv['python_version'] ?? ''),
    env: envFacts(sec.get('env') ?? ''),
    ...userFacts(kv),
    service_mgr: serviceMgr(kv),
    pkg_mgr: pkgMgr(kv['pkg'] ?? '', dist.os_family),
    ...(kv['machine_id'] ? { machine_id: kv['machine_id'] } : {}),
    ...(Number.isFinite(uptime) && kv['uptime'] ? { uptime_seconds: Math.floor(uptime) } : {}),
    fips: kv['fips'] === '1',
    all_ipv6_addresses: allIpv6(sec.get('addresses6') ?? ''),
    mounts: mountFacts(sec.get('mounts') ?? '', sec.get('mount-stats') ?? '', sec.get('uuids') ?? ''),
    selinux: selinuxFacts(sec.get('selinux') ?? ''),
    ...virtualizationFacts(sec.get('virt') ?? ''),
    ...systemFacts(sec, kv, parseKv(sec.get('storage') ?? '')),
    // per-interface facts last: an interface never hides one of the facts above
    ...Object.fromEntries(Object.entries(ifaces).filter(([k]) => !FACT_NAMES.has(k))),
  };
}

const FACT_NAMES = new Set([
  'hostname',
  'nodename',
  'fqdn',
  'domain',
  'system',
  'kernel',
  'python',
  'env',
  'interfaces',
  'mounts',
  'selinux',
  'date_time',
  'machine',
]);

/** ansible_python_version: platform.python_version() of the host's python ('3.11.2', '3.13.0rc1') */
function pythonVersionText(text: string): { python_version?: string } {
  const w = text.trim().split(/\s+/);
  if (w.length !== 5) return {};
  const tag: Readonly<Record<string, string>> = { alpha: 'a', beta: 'b', candidate: 'rc' };
  return { python_version: `${w[0]}.${w[1]}.${w[2]}${w[3] === 'final' ? '' : `${tag[w[3]!] ?? w[3]}${w[4]}`}` };
}

/** ansible_env: the environment the facts script started in, one `NAME=value` line each (`%` and newlines as %25 and %0A) */
export function envFacts(text: string): Record<string, string> {
  const pairs: [string, string][] = [];
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) pairs.push([line.slice(0, i), line.slice(i + 1).replace(/%(25|0A)/g, (_, c: string) => (c === '25' ? '%' : '\n'))]);
  }
  return Object.fromEntries(pairs); // (fromEntries: a variable named __proto__ stays a key)
}

/** ansible_python as Ansible's (the host's python's sys.version_info, executable...); `{present: false}` when none ran */
function pythonFacts(kv: Record<string, string>): Facts {
  const w = (kv['python_version'] ?? '').trim().split(/\s+/);
  if (w.length !== 5) return { present: false };
  const [major, minor, micro, releaselevel, serial] = [Number(w[0]), Number(w[1]), Number(w[2]), w[3]!, Number(w[4])];
  return {
    executable: kv['python_executable'] ?? '',
    has_sslcontext: kv['python_sslcontext'] === 'True',
    type: kv['python_type'] || null,
    version: { major, minor, micro, releaselevel, serial },
    version_info: [major, minor, micro, releaselevel, serial],
  };
}
