// package_facts' and service_facts' parsers on written output of each manager and init tool,
// the quirks of ansible-core 2.14's readers they keep, and the managers' order and messages.
// (The whole dicts against Ansible's own on this machine: test/e2e/compat/package-service-facts.)
import { describe, expect, it } from 'vitest';
import { byName, listings, managersToTry } from '../../../src/modules/builtin/package_facts/index.js';
import { MANAGERS } from '../../../src/modules/builtin/package_facts/managers.js';
import { aptName, installedFiles, parsePackageFiles } from '../../../src/modules/builtin/package_facts/apt-policy.js';
import { parseServices, systemdUnitFiles, systemdUnits, type Services } from '../../../src/modules/builtin/service_facts/parse.js';
import { MARK } from '../../../src/modules/builtin/service_facts/script.js';

describe('package_facts', () => {
  it('auto becomes every manager after the named ones; a name Ansible does not know is unsupported', () => {
    expect(managersToTry(['rpm', 'auto']).managers).toEqual(['rpm', 'apt', 'rpm', 'pacman', 'apk', 'portage', 'pkg', 'pkg_info']);
    expect(managersToTry(['APT', 'nope']).unsupported).toEqual(['nope']);
  });

  it("rpm -qa --qf: python-rpm's values (no epoch is None, an epoch an int)", () => {
    const out =
      'bash\t5.1.8\t6.el9\t(none)\tx86_64\nperl-Time-Local\t1.300\t7.el9\t2\tnoarch\ngpg-pubkey\tfd431d51\t4ae0493b\t(none)\t(none)\n';
    const into = {};
    byName('rpm', MANAGERS['rpm']!.parse(out), into);
    expect(into).toEqual({
      bash: [{ name: 'bash', version: '5.1.8', release: '6.el9', epoch: null, arch: 'x86_64', source: 'rpm' }],
      'perl-Time-Local': [{ name: 'perl-Time-Local', version: '1.300', release: '7.el9', epoch: 2, arch: 'noarch', source: 'rpm' }],
      'gpg-pubkey': [{ name: 'gpg-pubkey', version: 'fd431d51', release: '4ae0493b', epoch: null, arch: null, source: 'rpm' }],
    });
  });

  it('two installed versions of one name are one list (kernels)', () => {
    const into = {};
    byName('rpm', MANAGERS['rpm']!.parse('kernel\t5.14.0\t1\t(none)\tx86_64\nkernel\t5.14.0\t2\t(none)\tx86_64\n'), into);
    expect((into as Record<string, unknown[]>)['kernel']).toHaveLength(2);
  });

  it('apk info -v and pkg_info -a split as Ansible rsplits them', () => {
    expect(MANAGERS['apk']!.parse('musl-1.2.4-r2\nbusybox-binsh-1.36.1-r15\n')).toEqual([
      { name: 'musl', version: '1.2.4', release: 'r2' },
      { name: 'busybox-binsh', version: '1.36.1', release: 'r15' },
    ]);
    expect(MANAGERS['pkg_info']!.parse('bash-5.2.15         GNU Bourne Again Shell\n')).toEqual([{ name: 'bash', version: '5.2.15' }]);
  });

  it("apt-cache policy: the origin of the first file holding the installed version; dpkg's status alone has none", () => {
    const files = parsePackageFiles(
      'Package files:\n 100 /var/lib/dpkg/status\n     release a=now\n 500 http://deb.debian.org/debian bookworm/main amd64 Packages\n     release v=12.15,o=Debian,a=oldstable,n=bookworm,l=Debian,c=main,b=amd64\n     origin deb.debian.org\n',
    );
    expect(files.get('http://deb.debian.org/debian bookworm/main amd64 Packages')).toBe('Debian');
    expect(files.get('/var/lib/dpkg/status')).toBe('');
    const versions = installedFiles(
      'appstream:\n  Installed: 0.16.1-2\n  Candidate: 0.16.1-2+b1\n  Version table:\n     0.16.1-2+b1 500\n        500 http://deb.debian.org/debian bookworm/main amd64 Packages\n *** 0.16.1-2 100\n        100 /var/lib/dpkg/status\nadduser:\n  Installed: 3.134\n  Candidate: 3.134\n  Version table:\n *** 3.134 1000\n    1000 http://deb.debian.org/debian bookworm/main amd64 Packages\n        100 /var/lib/dpkg/status\n',
    );
    expect(Object.fromEntries(versions)).toEqual({
      appstream: '/var/lib/dpkg/status',
      adduser: 'http://deb.debian.org/debian bookworm/main amd64 Packages',
    });
    expect([aptName('libc6', 'i386', 'amd64'), aptName('libc6', 'amd64', 'amd64'), aptName('tzdata', 'all', 'amd64')]).toEqual([
      'libc6:i386',
      'libc6',
      'tzdata',
    ]);
  });

  it('the listings between markers, each with its exit status', () => {
    const out =
      'noise\n@@rb-package-facts begin rpm\na\nb\n@@rb-package-facts end rpm 0\n@@rb-package-facts begin apk\n@@rb-package-facts end apk 1\n';
    expect(listings(out)).toEqual([
      { manager: 'rpm', out: 'a\nb\n', rc: 0 },
      { manager: 'apk', out: '', rc: 1 },
    ]);
  });
});

describe('service_facts', () => {
  it("list-units: a bad state shifts the columns (the bullet), as Ansible's reader does", () => {
    const into: Services = {};
    systemdUnits(
      [
        '  UNIT LOAD ACTIVE SUB DESCRIPTION',
        '  cron.service loaded active running Regular background program processing daemon',
        '● nginx.service loaded failed failed A high performance web server',
        '  e2scrub_reap.service loaded inactive dead Remove Stale Online ext4 Metadata',
      ],
      into,
    );
    expect(into).toEqual({
      'cron.service': { name: 'cron.service', state: 'running', status: 'active', source: 'systemd' },
      'nginx.service': { name: 'nginx.service', state: 'stopped', status: 'failed', source: 'systemd' },
      'e2scrub_reap.service': { name: 'e2scrub_reap.service', state: 'stopped', status: 'inactive', source: 'systemd' },
    });
    // list-unit-files: the file's state for a listed unit not in a bad state; show's ActiveState for the others
    systemdUnitFiles(
      ['cron.service enabled enabled', 'nginx.service enabled enabled', 'rsync.service disabled enabled', 'getty@.service enabled enabled'],
      ['rsync.service 0 ActiveState=inactive', 'getty@.service 1 '],
      into,
    );
    expect(into['cron.service']!['status']).toBe('enabled');
    expect(into['nginx.service']!['status']).toBe('failed');
    expect(into['rsync.service']).toEqual({ name: 'rsync.service', state: 'inactive', status: 'disabled', source: 'systemd' });
    expect(into['getty@.service']!['state']).toBe('unknown');
  });

  it("sysv's [ + ]/[ - ] lines, merged under systemd's; the service tool's rc 4 without /etc/init.d is nothing", () => {
    const warnings: string[] = [];
    const out = `${MARK}sysv\n [ + ]  cron\n [ - ]  rsync\n${MARK}end 0 1\n${MARK}systemd-units\n  cron.service loaded active running x\n${MARK}end 0\n${MARK}done\n`;
    expect(parseServices(out, (m) => warnings.push(m))).toEqual({
      cron: { name: 'cron', state: 'running', source: 'sysv' },
      rsync: { name: 'rsync', state: 'stopped', source: 'sysv' },
      'cron.service': { name: 'cron.service', state: 'running', status: 'active', source: 'systemd' },
    });
    expect(parseServices(`${MARK}sysv\n [ + ]  cron\n${MARK}end 4 0\n${MARK}done\n`, (m) => warnings.push(m))).toEqual({});
    expect(warnings).toEqual([]);
  });
});
