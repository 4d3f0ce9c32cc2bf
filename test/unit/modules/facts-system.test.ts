// The small-file facts of facts/system-extra.ts, read as Ansible 2.14's collectors read them.
import { describe, expect, it } from 'vitest';
import {
  cmdlineFacts,
  defaultIpv6,
  dmiFacts,
  dnsFacts,
  fqdnOf,
  localFact,
  lsbFacts,
  processorList,
} from '../../../src/modules/facts/system-extra.js';

describe('facts from small files', () => {
  it('cmdline keeps the last of a repeated key, proc_cmdline every value; quotes stay (shlex posix=False)', () => {
    expect(cmdlineFacts('BOOT_IMAGE=/vmlinuz root=UUID=ab ro quiet console=tty0 console=ttyS0 x="a b"\n')).toEqual({
      cmdline: { BOOT_IMAGE: '/vmlinuz', root: 'UUID=ab', ro: true, quiet: true, console: 'ttyS0', x: '"a b"' },
      proc_cmdline: { BOOT_IMAGE: '/vmlinuz', root: 'UUID=ab', ro: true, quiet: true, console: ['tty0', 'ttyS0'], x: '"a b"' },
    });
    expect(cmdlineFacts('')).toEqual({});
  });

  it('lsb from lsb_release -a, else /etc/lsb-release, quotes stripped, major_release', () => {
    const bin =
      'No LSB modules are available.\nDistributor ID:\tUbuntu\nDescription:\tUbuntu 22.04.4 LTS\nRelease:\t22.04\nCodename:\tjammy\n';
    expect(lsbFacts(bin, '')).toEqual({
      id: 'Ubuntu',
      description: 'Ubuntu 22.04.4 LTS',
      release: '22.04',
      codename: 'jammy',
      major_release: '22',
    });
    const file = 'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_CODENAME=jammy\nDISTRIB_DESCRIPTION="Ubuntu 22.04.4 LTS"\n';
    expect(lsbFacts('', file)).toEqual({
      id: 'Ubuntu',
      description: 'Ubuntu 22.04.4 LTS',
      release: '22.04',
      codename: 'jammy',
      major_release: '22',
    });
    expect(lsbFacts('', '')).toEqual({});
  });

  it('dns from resolv.conf', () => {
    expect(
      dnsFacts('# c\nnameserver 10.0.0.2\nnameserver ::1\nsearch a.example b.example\noptions ndots:2 rotate\ndomain a.example\n'),
    ).toEqual({
      nameservers: ['10.0.0.2', '::1'],
      search: ['a.example', 'b.example'],
      options: { ndots: '2', rotate: true },
      domain: 'a.example',
    });
  });

  it('processor values in order, DMI with NA and the chassis type named', () => {
    expect(processorList('processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Xeon\nprocessor\t: 1\n')).toEqual([
      '0',
      'GenuineIntel',
      'Xeon',
      '1',
    ]);
    const dmi = dmiFacts('sys_vendor=QEMU\nchassis_type=1\nproduct_serial=\n');
    expect(dmi).toMatchObject({ system_vendor: 'QEMU', form_factor: 'Other', product_serial: 'NA', bios_date: 'NA' });
    expect(dmiFacts('')['form_factor']).toBe('NA');
  });

  it('fqdn as socket.getfqdn: the first dotted name of the reverse lookup, else its canonical name, else the node name', () => {
    expect(fqdnOf('db1', '10.0.0.5      db1.example.com db1')).toBe('db1.example.com');
    expect(fqdnOf('db1', '10.0.0.5      db1 db1.example.com')).toBe('db1.example.com');
    expect(fqdnOf('vm', '127.0.0.1       localhost')).toBe('localhost');
    expect(fqdnOf('vm', '')).toBe('vm');
  });

  it('default_ipv6 from ip -6 route get', () => {
    const t = '2404:6800:400a:800::1012';
    expect(defaultIpv6(`${t} from :: via fd00::1 dev eth0 proto static src fd00::2 metric 1024 pref medium`, t)).toEqual({
      gateway: 'fd00::1',
      interface: 'eth0',
      address: 'fd00::2',
    });
    expect(defaultIpv6('RTNETLINK answers: Network is unreachable', t)).toEqual({});
  });

  it('a local fact as JSON, else INI, else the error Ansible gives', () => {
    expect(localFact('/f', '{"a": [1]}')).toEqual({ a: [1] });
    expect(localFact('/f', '[general]\nAsdf = 1\nb: 2\n')).toEqual({ general: { asdf: '1', b: '2' } });
    expect(localFact('/f', 'not ini')).toMatch(/^error loading facts as JSON or ini/);
  });
});
