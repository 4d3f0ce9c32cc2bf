// The facts of facts/system-extra.ts put together from the script's sections and `kv` lines,
// as parseFacts (parse.ts) adds them: ids, apparmor, is_chroot, userspace_*, lsb, dns,
// cmdline, loadavg, processor, DMI, local facts; and default_ipv4/default_ipv6 completed from
// their interface as Ansible does.
import { cmdlineFacts, dmiFacts, dnsFacts, loadavgFacts, localFact, lsbFacts, processorList } from './system-extra.js';

type Facts = Record<string, unknown>;

const int = (v: string | undefined): number | undefined => (v !== undefined && /^\d+$/.test(v.trim()) ? Number(v) : undefined);

/** /proc/1/root is / (both `dev:inode`), or when it cannot be read, / is its file system's root inode (Ansible's is_chroot). */
function isChroot(kv: Record<string, string>): boolean | undefined {
  if (kv['debian_chroot']) return true;
  const roots = (kv['roots'] ?? '').trim().split(/\s+/).filter(Boolean);
  if (roots.length === 2) return roots[0] !== roots[1];
  const ino = Number((roots[0] ?? '').split(':')[1]);
  if (!Number.isFinite(ino)) return undefined;
  const fs = kv['root_fs'] ?? '';
  return ino !== (fs.includes('btrfs') ? 256 : fs.includes('xfs') ? 128 : 2);
}

/** Ansible's local facts: {} without /etc/ansible/facts.d, else each `<name>.fact` (its output when executable) read as JSON or INI. */
function localFacts(text: string): Facts | undefined {
  if (!text.startsWith('present')) return {};
  const out: Facts = {};
  const parts = text.split('\n@@runbook-fact ').slice(1);
  for (const part of parts) {
    const nl = part.indexOf('\n');
    const name = nl < 0 ? part : part.slice(0, nl);
    out[name] = localFact(`/etc/ansible/facts.d/${name}.fact`, nl < 0 ? '' : part.slice(nl + 1));
  }
  return out;
}

/** ssh_host_key_<type>_public and _keytype from the host's /etc/ssh/ssh_host_<type>_key.pub (`type keytype blob` lines). */
function sshHostKeys(text: string): Facts {
  const out: Facts = {};
  for (const line of text.split('\n')) {
    const [t, keytype, blob] = line.trim().split(/\s+/);
    if (t && keytype && blob) Object.assign(out, { [`ssh_host_key_${t}_public`]: blob, [`ssh_host_key_${t}_public_keytype`]: keytype });
  }
  return out;
}

/** hostnqn, iscsi_iqn, fibre_channel_wwn, lvm (N/A without LVM's tools), system_capabilities (capsh's Current: line). */
function storageFacts(kv: Record<string, string>, text: string): Facts {
  const caps = kv['caps'];
  return {
    hostnqn: kv['hostnqn'] ?? '',
    iscsi_iqn: kv['iscsi_iqn'] ?? '',
    // port_name without its 0x
    fibre_channel_wwn: [...text.matchAll(/^wwn=0x(.*)$/gm)].map((m) => m[1]!.trim()),
    ...(kv['lvm'] ? { lvm: kv['lvm'] } : {}),
    system_capabilities_enforced: caps === undefined ? 'N/A' : caps.trim() === '=ep' ? 'False' : 'True',
    system_capabilities:
      caps === undefined ? 'N/A' : caps.trim() === '=ep' ? [] : (caps.split('=').slice(1, 2)[0] ?? '').split(',').map((c) => c.trim()),
  };
}

/** `storage`: the storage section's key=value lines (parse.ts parseKv) */
export function systemFacts(sec: ReadonlyMap<string, string>, kv: Record<string, string>, storage: Record<string, string>): Facts {
  const bits = kv['userspace_bits'];
  const machine = kv['machine'] ?? '';
  const chroot = isChroot(kv);
  const processor = processorList(sec.get('cpuinfo') ?? '');
  return {
    ...(int(kv['uid']) !== undefined ? { effective_user_id: int(kv['uid']), effective_group_id: int(kv['gid']) } : {}),
    ...(int(kv['ruid']) !== undefined ? { real_user_id: int(kv['ruid']), real_group_id: int(kv['rgid']) } : {}),
    apparmor: { status: kv['apparmor'] === 'yes' ? 'enabled' : 'disabled' },
    ...(chroot !== undefined ? { is_chroot: chroot } : {}),
    ...(bits ? { userspace_bits: bits } : {}),
    ...(machine === 'x86_64' && (bits === '64' || bits === '32') ? { userspace_architecture: bits === '64' ? 'x86_64' : 'i386' } : {}),
    ...(kv['selinux_python'] ? { selinux_python_present: kv['selinux_python'] === 'True' } : {}),
    lsb: lsbFacts(sec.get('lsb-bin') ?? '', sec.get('lsb-file') ?? ''),
    dns: dnsFacts(sec.get('resolv') ?? ''),
    ...cmdlineFacts(sec.get('cmdline') ?? ''),
    ...loadavgFacts(kv['loadavg'] || sec.get('loadavg') || ''),
    ...sshHostKeys(sec.get('ssh-keys') ?? ''),
    ...storageFacts(storage, sec.get('storage') ?? ''),
    ...(processor.length ? { processor } : {}),
    ...dmiFacts(sec.get('dmi') ?? ''),
    local: localFacts(sec.get('facts.d') ?? ''),
  };
}

/**
 * default_ipv4 / default_ipv6 completed from the interface holding their address, as
 * Ansible's get_interfaces_info does: type and alias (v4), prefix and scope (v6), macaddress, mtu.
 */
export function withInterface(def: Facts, ifaces: Facts): Facts {
  const name = def['interface'];
  const iface = typeof name === 'string' ? (ifaces[name.replace(/-/g, '_')] as Facts | undefined) : undefined;
  if (!iface || typeof def['address'] !== 'string') return def;
  const six = ((iface['ipv6'] as Facts[] | undefined) ?? []).find((a) => a['address'] === def['address']);
  const four = (iface['ipv4'] as Facts | undefined)?.['address'] === def['address'] || def['netmask'] !== undefined;
  if (!six && !four) return def;
  const link = { macaddress: iface['macaddress'] ?? '00:00:00:00:00:00', mtu: iface['mtu'], type: iface['type'] ?? 'unknown' };
  return six ? { ...def, prefix: six['prefix'], scope: six['scope'], ...link } : { ...def, ...link, alias: name };
}
