// Facts Ansible 2.14's collectors read from small files, from the same single script run
// (facts/script.ts): cmdline / proc_cmdline, lsb, dns, loadavg, processor, the DMI facts,
// is_chroot, apparmor, the real/effective ids, userspace_bits, fqdn (socket.getfqdn's way),
// default_ipv6, local (facts.d). Shaped as Ansible's; pure: text in, facts out.
type Facts = Record<string, unknown>;

/** shlex.split(posix=False): words split on blanks, a quoted run kept with its quotes. */
function splitNonPosix(text: string): string[] {
  return text.match(/(?:[^\s"']+|"[^"]*"?|'[^']*'?)+/g) ?? [];
}

/** /proc/cmdline → Ansible's cmdline (a repeated key: the last value) and proc_cmdline (a repeated key: every value, a list). */
export function cmdlineFacts(text: string): Facts {
  if (!text.trim()) return {};
  const cmdline: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const proc: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const piece of splitNonPosix(text)) {
    const i = piece.indexOf('=');
    if (i < 0) {
      cmdline[piece] = proc[piece] = true;
      continue;
    }
    const [k, v] = [piece.slice(0, i), piece.slice(i + 1)];
    cmdline[k] = v;
    const had = proc[k];
    proc[k] = k in proc ? (Array.isArray(had) ? [...(had as unknown[]), v] : [had, v]) : v;
  }
  return { cmdline: { ...cmdline }, proc_cmdline: { ...proc } };
}

const strip = (v: string): string => v.replace(/^['"\\]+|['"\\]+$/g, '');

/** `lsb_release -a` when it printed anything, else /etc/lsb-release (DISTRIB_*); quotes stripped, major_release from release. */
export function lsbFacts(bin: string, file: string): Facts {
  const out: Record<string, string> = {};
  for (const line of bin.split('\n')) {
    const i = line.indexOf(':');
    if (i < 0) continue;
    const v = line.slice(i + 1).trim();
    if (line.includes('LSB Version:')) out['release'] = v;
    else if (line.includes('Distributor ID:')) out['id'] = v;
    else if (line.includes('Description:')) out['description'] = v;
    else if (line.includes('Release:')) out['release'] = v;
    else if (line.includes('Codename:')) out['codename'] = v;
  }
  if (Object.keys(out).length === 0)
    for (const line of file.split('\n')) {
      const v = line.split('=').slice(1).join('=').trim();
      if (line.includes('DISTRIB_ID')) out['id'] = v;
      else if (line.includes('DISTRIB_RELEASE')) out['release'] = v;
      else if (line.includes('DISTRIB_DESCRIPTION')) out['description'] = v;
      else if (line.includes('DISTRIB_CODENAME')) out['codename'] = v;
    }
  if (out['release'] !== undefined) out['major_release'] = out['release'].split('.')[0]!;
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v ? strip(v) : v]));
}

/** /etc/resolv.conf → Ansible's dns {nameservers, domain, search, sortlist, options}. */
export function dnsFacts(text: string): Facts {
  const dns: Record<string, unknown> = {};
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.startsWith(';') || line.trim() === '') continue;
    const [word, ...rest] = line.trim().split(/\s+/);
    if (word === 'nameserver') dns['nameservers'] = [...((dns['nameservers'] as string[] | undefined) ?? []), ...rest];
    else if (word === 'domain' && rest[0]) dns['domain'] = rest[0];
    else if (word === 'search' || word === 'sortlist') dns[word] = rest;
    else if (word === 'options')
      dns['options'] = Object.fromEntries(
        rest.map((o) => (o.includes(':') ? [o.slice(0, o.indexOf(':')), o.slice(o.indexOf(':') + 1) || true] : [o, true])),
      );
  }
  return dns;
}

/** /proc/loadavg → {1m, 5m, 15m} */
export function loadavgFacts(text: string): Facts {
  const w = text.trim().split(/\s+/).slice(0, 3).map(Number);
  return w.length === 3 && w.every(Number.isFinite) ? { loadavg: { '1m': w[0], '5m': w[1], '15m': w[2] } } : {};
}

/** The values of /proc/cpuinfo's processor, vendor_id, model name (cpu, Processor, Vendor) lines, in order: Ansible's `processor` list. */
export function processorList(lines: string): string[] {
  return lines
    .split('\n')
    .filter((l) => l.includes(':'))
    .map((l) => l.slice(l.indexOf(':') + 1).trim());
}

const FORM_FACTOR = [
  'Unknown', 'Other', 'Unknown', 'Desktop', 'Low Profile Desktop', 'Pizza Box', 'Mini Tower', 'Tower', 'Portable', 'Laptop',
  'Notebook', 'Hand Held', 'Docking Station', 'All In One', 'Sub Notebook', 'Space-saving', 'Lunch Box', 'Main Server Chassis',
  'Expansion Chassis', 'Sub Chassis', 'Bus Expansion Chassis', 'Peripheral Chassis', 'RAID Chassis', 'Rack Mount Chassis',
  'Sealed-case PC', 'Multi-system', 'CompactPCI', 'AdvancedTCA', 'Blade', 'Blade Enclosure', 'Tablet', 'Convertible', 'Detachable',
  'IoT Gateway', 'Embedded PC', 'Mini PC', 'Stick PC',
]; // prettier-ignore

/** The DMI files Ansible reads, each as a fact (`sys_vendor` as system_vendor, `chassis_type` as form_factor). */
export const DMI_FILES = [
  'bios_date', 'bios_vendor', 'bios_version', 'board_asset_tag', 'board_name', 'board_serial', 'board_vendor', 'board_version',
  'chassis_asset_tag', 'chassis_serial', 'chassis_vendor', 'chassis_version', 'chassis_type', 'product_name', 'product_serial',
  'product_uuid', 'product_version', 'sys_vendor',
] as const; // prettier-ignore

/** `file=content` lines of /sys/devices/virtual/dmi/id (an unreadable or empty file: NA, as Ansible's get_file_content). */
export function dmiFacts(text: string): Facts {
  const kv = new Map<string, string>();
  for (const line of text.split('\n'))
    if (line.includes('=')) kv.set(line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1).trim());
  const out: Facts = {};
  for (const f of DMI_FILES) {
    const v = kv.get(f) || 'NA';
    if (f === 'chassis_type') out['form_factor'] = v === 'NA' ? v : (FORM_FACTOR[Number(v)] ?? `unknown (${v})`);
    else out[f === 'sys_vendor' ? 'system_vendor' : f] = v;
  }
  return out;
}

/**
 * socket.getfqdn() as Python computes it: the name of the host's first address (getaddrinfo),
 * and of its reverse lookup (`getent hosts ADDR`: name aliases...) the first holding a dot,
 * else the canonical one; the node name when a lookup fails.
 */
export function fqdnOf(nodename: string, reverse: string): string {
  const names = reverse.trim().split(/\s+/).slice(1);
  if (names.length === 0) return nodename;
  return names.find((n) => n.includes('.')) ?? names[0]!;
}

/** `ip -6 route get ADDR` → default_ipv6 {interface, address, gateway} (Ansible's words). */
export function defaultIpv6(text: string, target: string): Record<string, string> {
  const w = (text.split('\n')[0] ?? '').trim().split(/\s+/);
  const out: Record<string, string> = {};
  if (w[0] !== target) return out;
  for (let i = 0; i < w.length - 1; i++) {
    if (w[i] === 'dev') out['interface'] = w[i + 1]!;
    else if (w[i] === 'src') out['address'] = w[i + 1]!;
    else if (w[i] === 'via' && w[i + 1] !== target) out['gateway'] = w[i + 1]!;
  }
  return out;
}

/** A facts.d file's text: JSON, else INI ([section] key=value), else Ansible's message. */
export function localFact(name: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const out: Record<string, Record<string, string>> = {};
    let section: Record<string, string> | undefined;
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (!line || line.startsWith('#') || line.startsWith(';')) continue;
      const s = /^\[(.+)\]$/.exec(line);
      if (s) out[s[1]!] = section = {};
      else if (section && /[=:]/.test(line)) {
        const i = line.search(/[=:]/);
        section[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      } else return `error loading facts as JSON or ini - please check content: ${name}`;
    }
    return out;
  }
}
