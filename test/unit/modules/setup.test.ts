// setup's fact parser on captured script output (several distributions, hosts with and
// without `ip`), the filter, the Ansible-shaped result, and the script run on this machine.
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { cpus, hostname, totalmem } from 'node:os';
import setup, { filterFacts } from '../../../src/modules/builtin/setup.js';
import { collectorsOf, inSubset } from '../../../src/modules/facts/subset.js';
import { globToRegExp } from '../../../src/core/glob.js';
import { distributionFacts, parseOsRelease } from '../../../src/modules/facts/distribution.js';
import { hexToIp, networkFacts, parseRouteGet } from '../../../src/modules/facts/network.js';
import { dateTimeFacts, parseFacts } from '../../../src/modules/facts/parse.js';
import { factsScript } from '../../../src/modules/facts/script.js';
import { cleanup, makeCtx } from './context.js';
import { coercedArgs } from '../../../src/modules/arguments.js';

afterAll(cleanup);

const DEBIAN_12 = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
`;

const UBUNTU_2204 = `PRETTY_NAME="Ubuntu 22.04.3 LTS"
NAME="Ubuntu"
VERSION_ID="22.04"
VERSION="22.04.3 LTS (Jammy Jellyfish)"
VERSION_CODENAME=jammy
ID=ubuntu
ID_LIKE=debian
UBUNTU_CODENAME=jammy
`;

const ROCKY_93 = `NAME="Rocky Linux"
VERSION="9.3 (Blue Onyx)"
ID="rocky"
ID_LIKE="rhel centos fedora"
VERSION_ID="9.3"
PLATFORM_ID="platform:el9"
PRETTY_NAME="Rocky Linux 9.3 (Blue Onyx)"
`;

const RHEL_93 = `NAME="Red Hat Enterprise Linux"
VERSION="9.3 (Plow)"
ID="rhel"
ID_LIKE="fedora"
VERSION_ID="9.3"
PRETTY_NAME="Red Hat Enterprise Linux 9.3 (Plow)"
`;

const ALPINE_319 = `NAME="Alpine Linux"
ID=alpine
VERSION_ID=3.19.1
PRETTY_NAME="Alpine Linux v3.19"
HOME_URL="https://alpinelinux.org/"
`;

const MEMINFO = `MemTotal:        8039124 kB
MemFree:         1234567 kB
MemAvailable:    5000000 kB
Buffers:          102400 kB
Cached:          2048000 kB
SwapCached:            0 kB
SwapTotal:       2097148 kB
SwapFree:        2097148 kB`;

const PROC_ROUTE = `Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT
eth0	00000000	010200C0	0003	0	0	100	00000000	0	0	0
eth0	000200C0	00000000	0001	0	0	100	00FFFFFF	0	0	0
docker0	000011AC	00000000	0001	0	0	0	0000FFFF	0	0	0
`;

/** Script output as the host prints it: the kv section, then the others. */
function output(kv: Record<string, string>, sections: Record<string, string>): string {
  let out =
    '\n@@runbook-facts kv\n' +
    Object.entries(kv)
      .map(([k, v]) => `${k}=${v}\n`)
      .join('');
  for (const [name, text] of Object.entries(sections))
    out += `\n@@runbook-facts ${name}\n${text}${text.endsWith('\n') || text === '' ? '' : '\n'}`;
  return out + '\n@@runbook-facts end\n';
}

const BASE_KV = {
  system: 'Linux',
  kernel: '6.1.0-18-amd64',
  kernel_version: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1',
  machine: 'x86_64',
  nodename: 'db1.example.com',
  fqdn: 'db1.example.com',
  cpuinfo_processors: '8',
  cpuinfo_sockets: '1',
  cpuinfo_cores: ' 4',
  cpuinfo_siblings: ' 8',
  nproc: '8',
  date: '2024-03-05|14:07:09|1709647629|CET|+0100|2|Tuesday|09|123456789',
  tz_dst: 'CEST',
  uptime: '12345.67 40000.00',
  python_version: '3 11 2 final 0',
  python_executable: '/usr/bin/python3',
  python_sslcontext: 'True',
  python_type: 'cpython',
  uid: '1000',
  gid: '1000',
  user: 'deploy',
  passwd: 'deploy:x:1000:1000:Deploy User,,,:/home/deploy:/bin/bash',
  home: '/home/deploy',
  shell: '/bin/sh',
  systemd: 'yes',
  pid1: 'systemd',
  pkg: 'apt-get ',
  machine_id: '3d1219c7c4c5404aaa1f6d2a48adfda4',
  fips: '0',
  debian_version: '12.5',
  ip: 'yes',
};

const WITH_IP = {
  'route-get': '1.1.1.1 via 192.0.2.1 dev eth0 src 192.0.2.10 uid 1000 \n    cache ',
  addresses:
    '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever\n' +
    '2: eth0    inet 192.0.2.10/24 brd 192.0.2.255 scope global eth0\\       valid_lft forever preferred_lft forever\n' +
    '3: docker0    inet 172.17.0.1/16 brd 172.17.255.255 scope global docker0\\       valid_lft forever preferred_lft forever',
  'proc-route': PROC_ROUTE,
  'local-addresses': '',
  interfaces:
    '/sys/class/net/docker0 02:42:ac:11:00:01 1500\n/sys/class/net/eth0 52:54:00:12:34:56 1500\n/sys/class/net/lo 00:00:00:00:00:00 65536',
};

describe('setup: the parser', () => {
  it('reads a Debian 12 host with ip and systemd', () => {
    const f = parseFacts(output(BASE_KV, { 'os-release': DEBIAN_12, meminfo: MEMINFO, ...WITH_IP }));
    expect(f).toMatchObject({
      hostname: 'db1',
      nodename: 'db1.example.com',
      fqdn: 'db1.example.com',
      domain: 'example.com',
      system: 'Linux',
      kernel: '6.1.0-18-amd64',
      architecture: 'x86_64',
      distribution: 'Debian',
      distribution_version: '12.5',
      distribution_major_version: '12',
      distribution_release: 'bookworm',
      os_family: 'Debian',
      processor_vcpus: 8,
      processor_count: 1,
      processor_nproc: 8,
      processor_cores: 4,
      processor_threads_per_core: 2,
      memtotal_mb: 7850,
      memfree_mb: 1205,
      swaptotal_mb: 2047,
      swapfree_mb: 2047,
      default_ipv4: {
        address: '192.0.2.10',
        interface: 'eth0',
        gateway: '192.0.2.1',
        netmask: '255.255.255.0',
        network: '192.0.2.0',
        prefix: '24',
        broadcast: '192.0.2.255',
        macaddress: '52:54:00:12:34:56',
        mtu: 1500,
      },
      all_ipv4_addresses: ['192.0.2.10', '172.17.0.1'],
      interfaces: ['docker0', 'eth0', 'lo'],
      python: {
        executable: '/usr/bin/python3',
        has_sslcontext: true,
        type: 'cpython',
        version: { major: 3, minor: 11, micro: 2, releaselevel: 'final', serial: 0 },
        version_info: [3, 11, 2, 'final', 0],
      },
      python_version: '3.11.2',
      user_id: 'deploy',
      user_uid: 1000,
      user_gid: 1000,
      user_gecos: 'Deploy User,,,',
      user_dir: '/home/deploy',
      user_shell: '/bin/bash',
      service_mgr: 'systemd',
      pkg_mgr: 'apt',
      machine_id: '3d1219c7c4c5404aaa1f6d2a48adfda4',
      uptime_seconds: 12345,
      fips: false,
    });
    expect(f['memory_mb']).toEqual({
      real: { total: 7850, used: 6645, free: 1205 },
      nocache: { free: 3305, used: 4545 },
      swap: { total: 2047, free: 2047, used: 0, cached: 0 },
    });
    expect(f['date_time']).toEqual({
      year: '2024',
      month: '03',
      day: '05',
      hour: '14',
      minute: '07',
      second: '09',
      weekday: 'Tuesday',
      weekday_number: '2',
      weeknumber: '09',
      epoch: '1709647629',
      epoch_int: '1709647629',
      date: '2024-03-05',
      time: '14:07:09',
      iso8601_micro: '2024-03-05T14:07:09.123456Z',
      iso8601: '2024-03-05T14:07:09Z',
      iso8601_basic: '20240305T140709123456',
      iso8601_basic_short: '20240305T140709',
      tz: 'CET',
      tz_dst: 'CEST',
      tz_offset: '+0100',
    });
  });

  it('names distributions and families as Ansible does', () => {
    expect(distributionFacts(DEBIAN_12, 'Linux', '12.5')).toEqual({
      distribution: 'Debian',
      distribution_version: '12.5',
      distribution_major_version: '12',
      distribution_minor_version: '5',
      distribution_release: 'bookworm',
      os_family: 'Debian',
    });
    // Debian testing has no numeric debian_version and no VERSION_ID
    expect(distributionFacts(DEBIAN_12.replace(/VERSION_ID="12"\n/, ''), 'Linux', 'trixie/sid').distribution_version).toBe('NA');
    // Ubuntu's /etc/debian_version ("bookworm/sid") is not its version
    expect(distributionFacts(UBUNTU_2204, 'Linux', 'bookworm/sid')).toEqual({
      distribution: 'Ubuntu',
      distribution_version: '22.04',
      distribution_major_version: '22',
      distribution_release: 'jammy',
      os_family: 'Debian',
    });
    expect(distributionFacts(ROCKY_93, 'Linux')).toEqual({
      distribution: 'Rocky',
      distribution_version: '9.3',
      distribution_major_version: '9',
      distribution_release: 'Blue Onyx',
      os_family: 'RedHat',
    });
    expect(distributionFacts(RHEL_93, 'Linux')).toEqual({
      distribution: 'RedHat',
      distribution_version: '9.3',
      distribution_major_version: '9',
      distribution_release: 'Plow',
      os_family: 'RedHat',
    });
    expect(distributionFacts(ALPINE_319, 'Linux')).toEqual({
      distribution: 'Alpine',
      distribution_version: '3.19.1',
      distribution_major_version: '3',
      distribution_release: 'NA',
      os_family: 'Alpine',
    });
    expect(distributionFacts('ID=opensuse-leap\nVERSION_ID="15.5"\nID_LIKE="suse opensuse"\n', 'Linux')).toMatchObject({
      distribution: 'openSUSE Leap',
      os_family: 'Suse',
      distribution_major_version: '15',
    });
    expect(distributionFacts('NAME="Arch Linux"\nID=arch\nBUILD_ID=rolling\n', 'Linux')).toMatchObject({
      distribution: 'Archlinux',
      os_family: 'Archlinux',
      distribution_version: 'NA',
    });
    // an unknown derivative: capitalised ID, family from ID_LIKE
    expect(distributionFacts('ID=acmeos\nID_LIKE="ubuntu debian"\nVERSION_ID=3\n', 'Linux')).toMatchObject({
      distribution: 'Acmeos',
      os_family: 'Debian',
    });
    expect(distributionFacts('', 'Linux')).toMatchObject({ distribution: 'Linux', os_family: 'Linux', distribution_version: 'NA' });
    expect(parseOsRelease(`A="x \\"y\\""\nB='z'\n# comment\nC=plain\n`)).toEqual({ A: 'x "y"', B: 'z', C: 'plain' });
  });

  it('reads a RHEL-family host: dnf preferred over yum, the Rocky codename', () => {
    const f = parseFacts(
      output({ ...BASE_KV, pkg: 'dnf yum ', debian_version: '' }, { 'os-release': ROCKY_93, meminfo: MEMINFO, ...WITH_IP }),
    );
    expect(f).toMatchObject({ distribution: 'Rocky', os_family: 'RedHat', distribution_release: 'Blue Onyx', pkg_mgr: 'dnf' });
  });

  it('reads an Alpine host without ip: /proc/net/route and fib_trie addresses, openrc, apk, no python', () => {
    const { ip: _ip, systemd: _sd, ...kv } = BASE_KV;
    const f = parseFacts(
      output(
        {
          ...kv,
          pid1: 'init',
          openrc: 'yes',
          pkg: 'apk ',
          python_version: '',
          fqdn: '',
          nodename: 'alp',
          machine_id: '',
          debian_version: '',
        },
        {
          'os-release': ALPINE_319,
          meminfo: MEMINFO,
          'route-get': '',
          addresses: '',
          'proc-route': PROC_ROUTE,
          'local-addresses': '127.0.0.1\n172.17.0.1\n192.0.2.10',
          interfaces: '/sys/class/net/eth0 52:54:00:12:34:56 1500\n/sys/class/net/lo 00:00:00:00:00:00 65536',
        },
      ),
    );
    expect(f).toMatchObject({
      hostname: 'alp',
      fqdn: 'alp',
      domain: '',
      distribution: 'Alpine',
      os_family: 'Alpine',
      service_mgr: 'openrc',
      pkg_mgr: 'apk',
      python: { present: false },
      default_ipv4: {
        address: '192.0.2.10',
        interface: 'eth0',
        gateway: '192.0.2.1',
        netmask: '255.255.255.0',
        network: '192.0.2.0',
        prefix: '24',
        macaddress: '52:54:00:12:34:56',
        mtu: 1500,
      },
      all_ipv4_addresses: ['172.17.0.1', '192.0.2.10'],
    });
    expect(f['machine_id']).toBeUndefined();
  });

  it('parses /proc/net/route: little-endian hex, lowest-metric default, no default route', () => {
    expect(hexToIp('010200C0')).toBe('192.0.2.1');
    expect(hexToIp('0000FFFF')).toBe('255.255.0.0');
    const two = PROC_ROUTE + 'wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n';
    const f = networkFacts({ routeGet: '', addresses: '', procRoute: two, localAddresses: '', interfaces: '' });
    expect(f.default_ipv4).toEqual({ interface: 'eth0', gateway: '192.0.2.1' });
    const none = networkFacts({
      routeGet: '',
      addresses: '',
      procRoute: PROC_ROUTE.split('\n')
        .filter((l) => !l.includes('\t00000000\t0102'))
        .join('\n'),
      localAddresses: '',
      interfaces: '',
    });
    expect(none.default_ipv4).toEqual({});
    // a default route that is down is not the default
    const down = networkFacts({
      routeGet: '',
      addresses: '',
      procRoute: PROC_ROUTE.replace('\t0003\t', '\t0002\t'),
      localAddresses: '',
      interfaces: '',
    });
    expect(down.default_ipv4).toEqual({});
  });

  it('parses `ip route get` with and without a gateway', () => {
    expect(parseRouteGet('1.1.1.1 dev eth0 src 10.1.2.3 uid 0\n    cache')).toEqual({ interface: 'eth0', address: '10.1.2.3' });
    expect(parseRouteGet('')).toEqual({});
  });

  it('falls back: no cpuinfo processors (nproc), unknown PID 1, no package manager, fips on, bad date', () => {
    const f = parseFacts(
      output(
        {
          ...BASE_KV,
          cpuinfo_processors: '0',
          cpuinfo_sockets: '0',
          cpuinfo_cores: '',
          nproc: '3',
          systemd: '',
          pid1: 'tini',
          pkg: '',
          fips: '1',
          date: 'garbage',
        },
        {},
      ),
    );
    expect(f).toMatchObject({
      processor_vcpus: 3,
      processor_count: 3,
      processor_nproc: 3,
      service_mgr: 'tini',
      pkg_mgr: 'unknown',
      fips: true,
      date_time: {},
      default_ipv4: {},
      all_ipv4_addresses: [],
    });
    expect(f['processor_cores']).toBeUndefined();
    expect(dateTimeFacts('')).toEqual({});
  });
});

describe('setup: filter, gather_subset and result shape', () => {
  const facts = {
    ansible_hostname: 'h',
    ansible_distribution: 'Debian',
    ansible_distribution_version: '12',
    ansible_memtotal_mb: 1,
    module_setup: true,
  };

  it('globs the names with, or without, the ansible_ prefix, as Ansible', () => {
    expect(Object.keys(filterFacts(facts, ['ansible_distribution*']))).toEqual(['ansible_distribution', 'ansible_distribution_version']);
    expect(Object.keys(filterFacts(facts, ['mem*', 'hostname']))).toEqual(['ansible_hostname', 'ansible_memtotal_mb']);
    expect(Object.keys(filterFacts(facts, ['module_*']))).toEqual(['module_setup']);
    expect(filterFacts(facts, [])).toBe(facts);
    expect(filterFacts(facts, ['*'])).toBe(facts);
    expect(globToRegExp('eth[0-2]').test('eth1')).toBe(true);
    expect(globToRegExp('eth[!0-2]').test('eth1')).toBe(false);
    expect(globToRegExp('a.b?').test('a.bc')).toBe(true);
    expect(globToRegExp('a.b?').test('axbc')).toBe(false);
  });

  it('reads gather_subset as Ansible: min unless !min, a fact name for its collector, what a collector needs', () => {
    const facts = (subset: string[]): string[] => {
      const c = collectorsOf(subset);
      if ('error' in c) throw new Error(c.error);
      const keep = inSubset(c);
      return ['os_family', 'hostname', 'mounts', 'default_ipv4', 'eth0', 'env', 'virtualization_type'].filter(keep);
    };
    expect(facts(['all'])).toEqual(['os_family', 'hostname', 'mounts', 'default_ipv4', 'eth0', 'env', 'virtualization_type']);
    expect(facts(['!all'])).toEqual(['os_family', 'hostname', 'env']);
    expect(facts(['!all', '!min'])).toEqual([]);
    expect(facts(['!all', '!min', 'network'])).toEqual(['os_family', 'hostname', 'default_ipv4', 'eth0']);
    expect(facts(['!all', '!min', 'mounts'])).toEqual(['hostname', 'mounts']);
    expect(facts(['all', '!hardware'])).toEqual(['os_family', 'hostname', 'default_ipv4', 'eth0', 'env', 'virtualization_type']);
    expect(facts(['!hardware'])).toEqual(['os_family', 'hostname', 'env']);
    expect(collectorsOf(['bogus'])).toEqual({
      error: expect.stringMatching(/^Bad subset 'bogus' given to Ansible. gather_subset options allowed: all, all_ipv4/),
    });
  });
});

describe('setup: the script on this machine', () => {
  it('gathers the facts of this machine, filtered, in agreement with node:os', async () => {
    const ctx = makeCtx({ checkMode: true });
    const p = await setup.check(ctx, coercedArgs('setup', { filter: 'ansible_hostname,processor_vcpus,memtotal_mb,distribution' }));
    expect(p.kind).toBe('unchanged');
    const r = p.kind === 'unchanged' ? p.result : undefined;
    expect(r?.status).toBe('ok');
    const af = r?.ansible_facts as Record<string, unknown>;
    expect(Object.keys(af).sort()).toEqual([
      'ansible_distribution',
      'ansible_hostname',
      'ansible_memtotal_mb',
      'ansible_processor_vcpus',
      'discovered_interpreter_python', // (the filter drops module_setup and gather_subset too, as Ansible's)
    ]);
    expect(af['ansible_hostname']).toBe(hostname().split('.')[0]);
    expect(af['ansible_processor_vcpus']).toBe(cpus().length);
    expect(Math.abs((af['ansible_memtotal_mb'] as number) - totalmem() / 1048576)).toBeLessThan(2);
  });

  it('parses as sh and prints every section', () => {
    execFileSync('/bin/sh', ['-n', '-c', factsScript()]);
    const out = execFileSync('/bin/sh', ['-c', factsScript()], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', LC_ALL: 'C' } });
    for (const s of ['kv', 'os-release', 'meminfo', 'route-get', 'addresses', 'proc-route', 'local-addresses', 'interfaces', 'end'])
      expect(out).toContain(`@@runbook-facts ${s}\n`);
    // sbin is added to PATH, so `ip` is found for a user whose PATH lacks it
    const f = parseFacts(out);
    expect(typeof f['system']).toBe('string');
  });

  it('records the environment it started in, values with newlines, % and = kept, before its own LC_ALL=C and PATH', () => {
    const env = { PATH: '/usr/bin:/bin', RB_ODD: 'a%0Ab\nc=d\\e%', RB_EMPTY: '' };
    const f = parseFacts(execFileSync('/bin/sh', ['-c', factsScript()], { encoding: 'utf8', env }));
    expect(f['env']).toMatchObject(env);
    expect(f['env']).not.toHaveProperty('LC_ALL');
  });

  it('reports the Python ansible_python_interpreter names, as sys.executable sees it', () => {
    const f = parseFacts(execFileSync('/bin/sh', ['-c', factsScript('/usr/bin/python3')], { encoding: 'utf8' }));
    expect(f['python']).toMatchObject({ executable: '/usr/bin/python3', type: 'cpython', has_sslcontext: true });
    expect(f['python_version']).toMatch(/^3\.\d+\.\d+/);
  });
});
