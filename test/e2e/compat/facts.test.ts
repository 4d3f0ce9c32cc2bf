// Facts gathered in the one setup round trip, side by side with ansible-playbook 2.14's setup
// on this machine (local connection): every top-level fact real roles read (the `ansible_*`
// names of the public roles in compat-src*, ranked by use) and the rest of what 2.14 gathers
// here, each asserted equal; the ones that move between two runs (date_time, memory, loadavg,
// uptime) by their keys and fixed parts. Also all_ipv6_addresses, per-interface ansible_<iface>
// (speed/pciid/features, which runbook does not gather, left out), ansible_facts.<iface>,
// mounts (free space left out), python_version, env (without what each controller adds: Ansible's
// ANSIBLE_* settings, Python's LC_CTYPE, `_`). The interface is the default route's (lo in a
// network namespace without one), so the test runs on any machine.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleMessages, runbookMessages } from './side-by-side.js';

/** what 2.14 gathers here that runbook must gather the same: the roles' top 40 first, by use */
const STABLE = [
  'os_family', 'distribution_major_version', 'distribution', 'system', 'distribution_version', 'distribution_release',
  'service_mgr', 'architecture', 'selinux', 'pkg_mgr', 'default_ipv4', 'hostname', 'fqdn', 'virtualization_type', 'python',
  'user_id', 'default_ipv6', 'python_version', 'lsb', 'user_dir', 'memtotal_mb', 'kernel', 'all_ipv4_addresses',
  'all_ipv6_addresses', 'processor_vcpus', 'nodename', 'processor_count', 'swaptotal_mb', 'userspace_bits', 'domain',
  'machine', 'local', 'fips', 'distribution_minor_version', 'user_shell', 'user_uid', 'user_gid', 'user_gecos',
  'processor_cores', 'processor_threads_per_core', 'processor_nproc', 'processor', 'cmdline', 'proc_cmdline', 'apparmor',
  'virtualization_role', 'kernel_version', 'machine_id', 'userspace_architecture', 'dns', 'is_chroot', 'effective_user_id',
  'real_user_id', 'effective_group_id', 'real_group_id', 'selinux_python_present', 'swapfree_mb', 'hostnqn', 'iscsi_iqn',
  'fibre_channel_wwn', 'lvm', 'system_capabilities', 'system_capabilities_enforced', 'bios_date', 'bios_vendor',
  'bios_version', 'board_asset_tag', 'board_name', 'board_serial', 'board_vendor', 'board_version', 'chassis_asset_tag',
  'chassis_serial', 'chassis_vendor', 'chassis_version', 'form_factor', 'product_name', 'product_serial', 'product_uuid',
  'product_version', 'system_vendor', 'ssh_host_key_rsa_public', 'ssh_host_key_ecdsa_public', 'ssh_host_key_ed25519_public',
  'ssh_host_key_rsa_public_keytype', 'ssh_host_key_ecdsa_public_keytype', 'ssh_host_key_ed25519_public_keytype',
  'gather_subset', 'module_setup', 'discovered_interpreter_python',
]; // prettier-ignore
// what each controller adds to the module's environment: bash's `_`, Python's LC_CTYPE, the test's NO_COLOR for runbook
const CONTROLLER_ENV = ['_', 'LC_CTYPE', 'NO_COLOR'];

const PLAYBOOK = `- hosts: localhost
  gather_facts: true
  vars:
    stable: ${JSON.stringify(STABLE)}
    controller_env: ${JSON.stringify(CONTROLLER_ENV)}
  tasks:
    - debug: { msg: "{{ ansible_facts | dict2items | selectattr('key', 'in', stable) | items2dict }}" }
    - debug: { msg: "{{ stable | reject('in', ansible_facts) | list }} {{ ansible_local }} {{ ansible_facts.ansible_local }} {{ 'local' in ansible_facts }}" }
    - debug: { msg: "{{ ansible_os_family }} {{ ansible_distribution }} {{ ansible_fqdn }} {{ ansible_lsb }} {{ ansible_default_ipv6 }} {{ module_setup }} {{ gather_subset }}" }
    - debug: { msg: "{{ ansible_date_time.keys() | sort }} {{ ansible_date_time.tz }} {{ ansible_date_time.tz_offset }} {{ ansible_date_time.tz_dst }} {{ ansible_date_time.iso8601_micro | length }} {{ ansible_date_time.iso8601_basic | length }}" }
    - debug: { msg: "{{ ansible_memory_mb.keys() | sort }} {{ ansible_memory_mb.real.total }} {{ ansible_memory_mb.swap.total }} {{ ansible_loadavg.keys() | sort }} {{ ansible_uptime_seconds is number }} {{ ansible_memfree_mb is number }}" }
    - debug: { msg: "{{ ansible_interfaces | sort }}" }
    - debug: { msg: "{{ ansible_all_ipv6_addresses }}" }
    - debug: { msg: "{{ ansible_facts[ansible_default_ipv4.interface | default('lo')] | dict2items | rejectattr('key', 'in', ['pciid', 'speed', 'features', 'timestamping', 'hw_timestamp_filters']) | items2dict }}" }
    - debug: { msg: "{{ ansible_lo }}" }
    - debug: { msg: "{{ hostvars[inventory_hostname]['ansible_' + (ansible_default_ipv4.interface | default('lo'))].ipv4.address }}" }
    - debug: { msg: "{{ ansible_mounts | map(attribute='mount') | list }}" }
    - debug: { msg: "{{ ansible_mounts | map('dict2items') | map('rejectattr', 'key', 'in', ['options', 'block_available', 'block_used', 'size_available', 'inode_available', 'inode_used']) | map('items2dict') | list }}" }
    - debug: { msg: "{{ ansible_virtualization_type }} {{ ansible_virtualization_role }}" }
    - debug: { msg: "{{ ansible_facts.lo.ipv4.network }}" }
    - debug: { msg: "{{ ansible_python_version == ansible_python.version.major ~ '.' ~ ansible_python.version.minor ~ '.' ~ ansible_python.version.micro }}" }
    - debug: { msg: "{{ ansible_env | dict2items | rejectattr('key', 'in', controller_env) | rejectattr('key', 'match', 'ANSIBLE_') | items2dict }}" }
    - debug: { msg: "{{ ansible_facts.env == ansible_env }}" }
`;

const SUBSETS = [
  { gather_subset: ['!all', '!min', 'network'] },
  { gather_subset: ['!all'] },
  { gather_subset: ['!all', '!min'] },
  { gather_subset: ['!all', '!min', 'env', 'python'] },
  { gather_subset: ['!all', '!min', 'os_family', 'user_id'] },
  { gather_subset: ['all', '!hardware', '!virtual'] },
  { filter: 'ansible_lo' },
  { filter: ['distribution*', 'module_*'] },
  { gather_subset: ['!all', '!min', 'network'], filter: 'ansible_default*' },
];
// (distribution_file_* are not gathered by runbook: docs/ansible-compatibility.md#facts)
const KEYS = "reject('match', '(ansible_)?distribution_file_|_ansible_facts_gathered') | sort"; // (and Ansible's own marker)
const SUBSET_PLAYBOOK = `- hosts: localhost
  gather_facts: true
  gather_subset: ['!all', '!min', 'network']
  tasks:
    - debug: { msg: "{{ ansible_facts.keys() | ${KEYS} }}" }
    - debug: { msg: "{{ ansible_facts.gather_subset }}" }
- hosts: localhost
  gather_facts: false
  tasks:
${SUBSETS.map((a) => `    - setup: ${JSON.stringify(a)}\n      register: r\n    - debug: { msg: "{{ r.ansible_facts.keys() | ${KEYS} }} {{ r.ansible_facts.gather_subset | default('-') }}" }\n`).join('')}
    - setup: { gather_subset: [bogus] }
      ignore_errors: true
      register: r
    - debug: { msg: "{{ r.msg }}" }
`;

describe('facts: the same as ansible-playbook 2.14', () => {
  it('gather_subset and filter pick the same facts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-compat-subset-'));
    writeFileSync(join(dir, 'inv.ini'), '[all]\nlocalhost ansible_connection=local\n');
    writeFileSync(join(dir, 'pb.yml'), SUBSET_PLAYBOOK);
    // the play's gathering and its two debugs, then each setup task and its debug: the debugs' messages
    const debugs = (ms: unknown[]): unknown[] => [...ms.slice(1, 3), ...ms.slice(3).filter((_, i) => i % 2 === 1)];
    const want = debugs(await ansibleMessages(dir, 'pb.yml', 'inv.ini', 'localhost'));
    const got = debugs(await runbookMessages(dir, 'pb.yml', 'inv.ini', 'localhost'));
    expect(want).toHaveLength(SUBSETS.length + 3);
    expect(got).toEqual(want);
  });

  it('every task says the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-compat-facts-'));
    writeFileSync(join(dir, 'inv.ini'), '[all]\nlocalhost ansible_connection=local\n');
    writeFileSync(join(dir, 'pb.yml'), PLAYBOOK);
    const want = (await ansibleMessages(dir, 'pb.yml', 'inv.ini', 'localhost')).slice(1); // without Gathering Facts
    const got = (await runbookMessages(dir, 'pb.yml', 'inv.ini', 'localhost')).slice(-want.length);
    expect(want.length).toBe(17);
    // the roles' facts are all there (2.14 gathers each of them on this machine)
    expect(Object.keys(want[0] as object).length).toBeGreaterThan(60);
    expect(got).toEqual(want);
  });
});
