// Facts beyond the basics, read from the same single script run (facts/script.ts):
// all_ipv6_addresses, per-interface `ansible_<iface>`, mounts, selinux, virtualization_type /
// virtualization_role, shaped as Ansible 2.14's setup returns them. Pure: text in, facts out.
import { parseIpAddr } from './network.js';

type Facts = Record<string, unknown>;

interface Addr6 {
  readonly iface: string;
  readonly address: string;
  readonly prefix: string;
  readonly scope: string;
}

/** `ip -6 -o addr show`: `4: eth0    inet6 fe80::1/64 scope link \ ...` */
export function parseIp6(text: string): Addr6[] {
  const out: Addr6[] = [];
  for (const line of text.split('\n')) {
    const w = line.trim().split(/\s+/);
    const at = w.indexOf('inet6');
    if (at < 0 || !w[at + 1]) continue;
    const [address = '', prefix = '128'] = w[at + 1]!.split('/');
    const s = w.indexOf('scope');
    out.push({ iface: (w[1] ?? '').replace(/:$/, '').replace(/@.*$/, ''), address, prefix, scope: s > 0 ? (w[s + 1] ?? '') : '' });
  }
  return out;
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}
const num = (ip: string): number => ip.split('.').reduce((n, p) => ((n << 8) | (Number(p) & 255)) >>> 0, 0);
const ip4 = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

/**
 * `ansible_<iface>` for every interface: `links` lines are `name type flags kind mac mtu`
 * (from /sys/class/net; kind is bridge, bonding or -). Fact names have '-' as '_', as Ansible.
 */
export function interfaceFacts(links: string, addresses4: string, addresses6: string): Facts {
  const v4 = parseIpAddr(addresses4);
  const v6 = parseIp6(addresses6);
  const out: Facts = {};
  for (const line of links.split('\n')) {
    const [name, type = '', flags = '0', kind = '-', mac = '', mtu = ''] = line.trim().split(/\s+/);
    if (!name) continue;
    const f = parseInt(flags, 16) || 0;
    const iftype = kind !== '-' ? kind : type === '772' ? 'loopback' : type === '1' ? 'ether' : 'unknown';
    const fact: Facts = { device: name, active: (f & 0x1) !== 0, type: iftype, promisc: (f & 0x100) !== 0 };
    if (/^\d+$/.test(mtu)) fact['mtu'] = Number(mtu);
    if (mac && iftype !== 'loopback' && mac !== '00:00:00:00:00:00') fact['macaddress'] = mac;
    const mine = v4
      .filter((a) => a.iface === name)
      .map((a) => {
        const m = mask(a.prefix);
        return {
          address: a.address,
          broadcast: a.broadcast ?? '',
          netmask: ip4(m),
          network: ip4((num(a.address) & m) >>> 0),
          prefix: String(a.prefix),
        };
      });
    if (mine[0]) fact['ipv4'] = mine[0];
    if (mine.length > 1) fact['ipv4_secondaries'] = mine.slice(1);
    const six = v6.filter((a) => a.iface === name).map((a) => ({ address: a.address, prefix: a.prefix, scope: a.scope }));
    if (six.length) fact['ipv6'] = six;
    out[name.replace(/-/g, '_')] = fact;
  }
  return out;
}

export function allIpv6(addresses6: string): string[] {
  return [...new Set(parseIp6(addresses6).map((a) => a.address))].filter((a) => a !== '::1');
}

/** /proc/mounts escapes spaces and friends as octal (\040) */
const unescape = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/**
 * Ansible's mounts: real devices (a path, or host:/path) from /proc/mounts, with `stat -f`
 * sizes (`stats` lines: `bsize blocks bfree bavail files ffree mountpoint`) and UUIDs from
 * /dev/disk/by-uuid (`uuid device` lines).
 */
export function mountFacts(procMounts: string, stats: string, uuids: string): Facts[] {
  const byMount = new Map<string, number[]>();
  for (const line of stats.split('\n')) {
    const m = /^(\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (.+)$/.exec(line);
    if (m) byMount.set(m[7]!, m.slice(1, 7).map(Number));
  }
  const uuidOf = new Map<string, string>();
  for (const line of uuids.split('\n')) {
    const [uuid, dev] = line.trim().split(/\s+/);
    if (uuid && dev) uuidOf.set(dev, uuid);
  }
  const out: Facts[] = [];
  for (const line of procMounts.split('\n')) {
    const [rawDev, rawMnt, fstype, options] = line.trim().split(/\s+/);
    if (!rawDev || !rawMnt || !fstype) continue;
    const device = unescape(rawDev);
    if ((!device.startsWith('/') && !device.includes(':/')) || fstype === 'none') continue;
    const mount = unescape(rawMnt);
    const fact: Facts = { mount, device, fstype, options: options ?? '' };
    const s = byMount.get(mount);
    if (s) {
      const [bsize, blocks, , bavail, files, ffree] = s as [number, number, number, number, number, number];
      Object.assign(fact, {
        size_total: bsize * blocks,
        size_available: bsize * bavail,
        block_size: bsize,
        block_total: blocks,
        block_available: bavail,
        block_used: blocks - bavail, // (Ansible's: total - available, the root-reserved blocks counted as used)
        inode_total: files,
        inode_available: ffree,
        inode_used: files - ffree,
      });
    }
    fact['uuid'] = uuidOf.get(device) ?? 'N/A';
    out.push(fact);
  }
  return out;
}

/** `enforce=`, `policyvers=`, and /etc/selinux/config's SELINUX=/SELINUXTYPE= lines; empty when SELinux is absent. */
export function selinuxFacts(text: string): Facts {
  const kv = Object.fromEntries(
    text
      .split('\n')
      .map((l) => /^(\w+)=(.*)$/.exec(l.trim()))
      .filter((m) => m !== null)
      .map((m) => [m![1]!, m![2]!.trim()]),
  );
  if (kv['enforce'] === undefined) return { status: 'disabled' };
  return {
    status: 'enabled',
    mode: kv['enforce'] === '1' ? 'enforcing' : 'permissive',
    config_mode: kv['SELINUX'] ?? 'unknown',
    type: kv['SELINUXTYPE'] ?? 'unknown',
    ...(kv['policyvers'] ? { policyvers: Number(kv['policyvers']) } : {}),
  };
}

const PRODUCTS: readonly [RegExp, string][] = [
  [/KVM|Bochs|OpenStack|Standard PC|RHEV Hypervisor/, 'kvm'],
  [/VMware/, 'VMware'],
  [/VirtualBox/, 'virtualbox'],
  [/HVM domU/, 'xen'],
  [/Virtual Machine/, 'VirtualPC'],
  [/Parallels/, 'parallels'],
  [/Amazon EC2/, 'kvm'],
];

/**
 * virtualization_type / virtualization_role as Ansible's Linux probe decides them, from `kv`
 * lines: dockerenv, containerenv, cgroup1 (/proc/1/cgroup), container (PID 1's environment),
 * product (DMI product name), vendor, detect (systemd-detect-virt), xen, kvm_module.
 */
export function virtualizationFacts(text: string): { virtualization_type: string; virtualization_role: string } {
  const kv = Object.fromEntries(
    text
      .split('\n')
      .map((l) => /^(\w+)=(.*)$/.exec(l))
      .filter((m) => m !== null)
      .map((m) => [m![1]!, m![2]!]),
  );
  const guest = (t: string): { virtualization_type: string; virtualization_role: string } => ({
    virtualization_type: t,
    virtualization_role: 'guest',
  });
  const cg = kv['cgroup1'] ?? '';
  if (kv['dockerenv'] === 'yes' || /\/docker\//.test(cg)) return guest('docker');
  if (kv['containerenv'] === 'yes' || kv['container'] === 'podman') return guest('podman');
  if (/\/lxc\//.test(cg) || kv['container'] === 'lxc') return guest('lxc');
  if (kv['container'] === 'systemd-nspawn') return guest('systemd-nspawn');
  if (kv['container']) return guest('container');
  for (const [re, t] of PRODUCTS) if (re.test(kv['product'] ?? '')) return guest(t);
  if (/QEMU/.test(kv['vendor'] ?? '')) return guest('kvm');
  const d = kv['detect'] ?? '';
  if (d && d !== 'none') return guest(d === 'vmware' ? 'VMware' : d === 'oracle' ? 'virtualbox' : d);
  if (kv['xen'] === 'yes') return { virtualization_type: 'xen', virtualization_role: 'host' };
  if (kv['kvm_module'] === 'yes') return { virtualization_type: 'kvm', virtualization_role: 'host' };
  return { virtualization_type: 'NA', virtualization_role: 'NA' };
}
