// The extra facts' parsers (pure): what hosts unlike this one print. Compared with Ansible's
// setup on this machine in test/e2e/compat/facts.test.ts.
import { describe, expect, it } from 'vitest';
import { allIpv6, interfaceFacts, mountFacts, selinuxFacts, virtualizationFacts } from '../../../src/modules/facts/linux-extra.js';

describe('extra facts', () => {
  it('per-interface facts: bridges, secondaries, dashes as underscores, loopback without a MAC', () => {
    const f = interfaceFacts(
      'lo 772 0x9 - 00:00:00:00:00:00 65536\nbr-lan 1 0x1003 bridge aa:bb:cc:dd:ee:ff 1500\neth1 1 0x1002 - 11:22:33:44:55:66 9000\n',
      '1: lo    inet 127.0.0.1/8 scope host lo\n5: br-lan    inet 10.0.0.1/24 brd 10.0.0.255 scope global br-lan\n5: br-lan    inet 10.0.0.2/24 brd 10.0.0.255 scope global secondary br-lan\n',
      '5: br-lan    inet6 fe80::1/64 scope link \\ valid_lft forever\n',
    );
    expect(f['lo']).toEqual({
      device: 'lo',
      active: true,
      type: 'loopback',
      promisc: false,
      mtu: 65536,
      ipv4: { address: '127.0.0.1', broadcast: '', netmask: '255.0.0.0', network: '127.0.0.0', prefix: '8' },
    });
    expect(f['br_lan']).toMatchObject({
      device: 'br-lan',
      type: 'bridge',
      macaddress: 'aa:bb:cc:dd:ee:ff',
      ipv4: { address: '10.0.0.1' },
      ipv4_secondaries: [{ address: '10.0.0.2' }],
      ipv6: [{ address: 'fe80::1', prefix: '64', scope: 'link' }],
    });
    expect(f['eth1']).toMatchObject({ active: false, mtu: 9000 });
    expect(allIpv6('1: lo    inet6 ::1/128 scope host\n2: eth0    inet6 fd00::2/64 scope global\n')).toEqual(['fd00::2']);
  });

  it('mounts: real devices only, escaped mount points, sizes and UUIDs', () => {
    const m = mountFacts(
      '/dev/sda1 / ext4 rw 0 0\nproc /proc proc rw 0 0\nnas:/vol /mnt/my\\040share nfs4 rw 0 0\n',
      '4096 100 40 30 1000 900 /',
      'abcd-1234 /dev/sda1\n',
    );
    expect(m).toEqual([
      {
        mount: '/',
        device: '/dev/sda1',
        fstype: 'ext4',
        options: 'rw',
        size_total: 409600,
        size_available: 122880,
        block_size: 4096,
        block_total: 100,
        block_available: 30,
        block_used: 70,
        inode_total: 1000,
        inode_available: 900,
        inode_used: 100,
        uuid: 'abcd-1234',
      },
      { mount: '/mnt/my share', device: 'nas:/vol', fstype: 'nfs4', options: 'rw', uuid: 'N/A' },
    ]);
  });

  it('selinux and virtualization', () => {
    expect(selinuxFacts('')).toEqual({ status: 'disabled' });
    expect(selinuxFacts('enforce=1\npolicyvers=33\nSELINUX=enforcing\nSELINUXTYPE=targeted\n')).toEqual({
      status: 'enabled',
      mode: 'enforcing',
      config_mode: 'enforcing',
      type: 'targeted',
      policyvers: 33,
    });
    expect(virtualizationFacts('dockerenv=yes\n')).toEqual({ virtualization_type: 'docker', virtualization_role: 'guest' });
    expect(virtualizationFacts('cgroup1=0::/ \ncontainer=\nproduct=KVM\n')).toEqual({
      virtualization_type: 'kvm',
      virtualization_role: 'guest',
    });
    expect(virtualizationFacts('cgroup1=0::/ \ncontainer=\nproduct=\ndetect=none\n')).toEqual({
      virtualization_type: 'NA',
      virtualization_role: 'NA',
    });
  });
});
