// setup's gather_subset as Ansible 2.14 reads it (module_utils/facts/collector.py
// get_collector_names): 'min' is always there unless '!min', 'all' adds every collector, '!x'
// excludes x unless x is also asked for, a fact name (mounts, os_family...) stands for its
// collector, and each collector brings the facts it needs (network: distribution and platform).
// The script still reads everything in its one round trip; the subset picks which facts are set.

const DIST = ['distribution', 'distribution_file_parsed', 'distribution_file_path', 'distribution_file_variety',
  'distribution_major_version', 'distribution_minor_version', 'distribution_release', 'distribution_version', 'os_family']; // prettier-ignore
const PLATFORM = ['architecture', 'domain', 'fqdn', 'hostname', 'kernel', 'kernel_version', 'machine', 'machine_id', 'nodename',
  'python_version', 'system', 'userspace_architecture', 'userspace_bits']; // prettier-ignore
const SSH_KEYS = ['dsa', 'rsa', 'ecdsa', 'ed25519'].flatMap((t) => [`ssh_host_key_${t}_public`, `ssh_host_key_${t}_public_keytype`]);

/** Each collector and the facts it sets on Linux, with those of the collectors it requires (observed with 2.14's '!all,!min,NAME'). */
const COLLECTORS: Readonly<Record<string, readonly string[]>> = {
  apparmor: ['apparmor'],
  caps: ['system_capabilities', 'system_capabilities_enforced'],
  chroot: ['is_chroot'],
  cmdline: ['cmdline', 'proc_cmdline'],
  date_time: ['date_time'],
  distribution: DIST,
  dns: ['dns'],
  env: ['env'],
  facter: [],
  fibre_channel_wwn: ['fibre_channel_wwn'],
  fips: ['fips'],
  hardware: [...PLATFORM, 'bios_date', 'bios_vendor', 'bios_version', 'board_asset_tag', 'board_name', 'board_serial', 'board_vendor',
    'board_version', 'chassis_asset_tag', 'chassis_serial', 'chassis_vendor', 'chassis_version', 'device_links', 'devices',
    'form_factor', 'lvm', 'memfree_mb', 'memory_mb', 'memtotal_mb', 'mounts', 'processor', 'processor_cores', 'processor_count',
    'processor_nproc', 'processor_threads_per_core', 'processor_vcpus', 'product_name', 'product_serial', 'product_uuid',
    'product_version', 'swapfree_mb', 'swaptotal_mb', 'system_vendor', 'uptime_seconds'], // prettier-ignore
  iscsi: ['iscsi_iqn'],
  loadavg: ['loadavg'],
  local: ['local'],
  lsb: ['lsb'],
  // and every per-interface ansible_<iface> (a fact no collector names)
  network: [...DIST, ...PLATFORM, 'all_ipv4_addresses', 'all_ipv6_addresses', 'default_ipv4', 'default_ipv6', 'interfaces'],
  nvme: ['hostnqn'],
  ohai: [],
  pkg_mgr: [...DIST, 'pkg_mgr'],
  platform: PLATFORM,
  python: ['python'],
  selinux: ['selinux', 'selinux_python_present'],
  service_mgr: [...DIST, ...PLATFORM, 'service_mgr'],
  ssh_pub_keys: SSH_KEYS,
  user: ['effective_group_id', 'effective_user_id', 'real_group_id', 'real_user_id', 'user_dir', 'user_gecos', 'user_gid', 'user_id',
    'user_shell', 'user_uid'], // prettier-ignore
  virtual: ['virtualization_role', 'virtualization_tech_guest', 'virtualization_tech_host', 'virtualization_type'],
};

const MIN = ['apparmor', 'caps', 'cmdline', 'date_time', 'distribution', 'dns', 'env', 'fips', 'local', 'lsb', 'pkg_mgr', 'platform',
  'python', 'selinux', 'service_mgr', 'ssh_pub_keys', 'user']; // prettier-ignore

/** The fact ids Ansible also accepts as a subset, each standing for its collector. */
const FACT_IDS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    ['all_ipv4_addresses', 'all_ipv6_addresses', 'default_ipv4', 'default_ipv6', 'interfaces'].map((f) => [f, 'network']),
  ),
  ...Object.fromEntries(
    ['architecture', 'kernel', 'kernel_version', 'machine', 'machine_id', 'python_version', 'system'].map((f) => [f, 'platform']),
  ),
  ...Object.fromEntries(
    ['distribution_major_version', 'distribution_release', 'distribution_version', 'os_family'].map((f) => [f, 'distribution']),
  ),
  ...Object.fromEntries(['devices', 'mounts', 'processor', 'processor_cores', 'processor_count'].map((f) => [f, 'hardware'])),
  ...Object.fromEntries(
    [
      'effective_group_ids',
      'effective_user_id',
      'real_user_id',
      'user_dir',
      'user_gecos',
      'user_gid',
      'user_id',
      'user_shell',
      'user_uid',
    ].map((f) => [f, 'user']),
  ),
  ...Object.fromEntries(
    ['virtualization_role', 'virtualization_tech_guest', 'virtualization_tech_host', 'virtualization_type'].map((f) => [f, 'virtual']),
  ),
  ...Object.fromEntries([...SSH_KEYS.filter((k) => !k.endsWith('_keytype')), 'ssh_host_pub_keys'].map((f) => [f, 'ssh_pub_keys'])),
  system_capabilities: 'caps',
  system_capabilities_enforced: 'caps',
  is_chroot: 'chroot',
};

/** a collector's fact ids (and hardware's 'dmi'), excluded with it: '!hardware' also drops 'mounts' that 'all' added */
const aliasesOf = (collector: string): string[] => [
  ...Object.keys(FACT_IDS).filter((f) => FACT_IDS[f] === collector),
  ...(collector === 'hardware' ? ['dmi'] : []),
];

const VALID = [...Object.keys(COLLECTORS), ...Object.keys(FACT_IDS)];

/** The collectors a gather_subset selects, or Ansible's message for a name it does not know. */
export function collectorsOf(gatherSubset: readonly string[]): Set<string> | { error: string } {
  const add = new Set<string>();
  const exclude = new Set<string>();
  const explicit = new Set<string>();
  for (const raw of ['min', ...(gatherSubset.length ? gatherSubset : ['all'])]) {
    const subset = raw.startsWith('!') ? raw.slice(1) : raw;
    if (raw === 'min') MIN.forEach((c) => add.add(c));
    else if (raw === 'all') VALID.forEach((c) => add.add(c));
    else if (raw === '!min') MIN.forEach((c) => exclude.add(c));
    else if (raw === '!all') VALID.filter((c) => !MIN.includes(c)).forEach((c) => exclude.add(c));
    else if (raw.startsWith('!')) [subset, ...aliasesOf(subset)].forEach((c) => exclude.add(c));
    else if (!VALID.includes(subset))
      return { error: `Bad subset '${subset}' given to Ansible. gather_subset options allowed: all, ${[...VALID].sort().join(', ')}` };
    else {
      explicit.add(subset);
      add.add(subset);
    }
  }
  for (const c of exclude) if (!explicit.has(c)) add.delete(c);
  return new Set([...add].map((c) => FACT_IDS[c] ?? c));
}

const NAMED = new Set(Object.values(COLLECTORS).flat());

/** The facts (unprefixed names) the collectors set: theirs, and with network every per-interface fact. */
export function inSubset(collectors: ReadonlySet<string>): (fact: string) => boolean {
  const facts = new Set([...collectors].flatMap((c) => COLLECTORS[c] ?? []));
  const network = collectors.has('network');
  return (fact) => facts.has(fact) || (network && !NAMED.has(fact));
}
