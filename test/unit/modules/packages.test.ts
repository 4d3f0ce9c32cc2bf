// The apt and package modules' pure parts: specs, dpkg-query and apt-cache policy output (as
// Debian 12's apt 2.6 prints them), the cache age, the commands, and the generic managers.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  aptInstallArgv,
  aptRemoveArgv,
  cacheUpdateDue,
  dpkgQueryArgv,
  policyArgv,
  parseAptSpec,
  parseCacheTime,
  parseDpkgQuery,
  parsePolicy,
  parseProviders,
  versionMatches,
} from '../../../src/modules/support/apt.js';
import { aptSettings } from '../../../src/modules/support/apt-ops.js';
import type { AptArgs } from '../../../src/modules/generated/args.js';
import {
  checkPackageName,
  genericPlan,
  managerArgv,
  managerFromUse,
  packageNames,
  packageState,
  parseInstalled,
} from '../../../src/modules/support/packages.js';

describe('apt package specs', () => {
  it('name, name:arch, name=version (with a * glob)', () => {
    expect(parseAptSpec('openssh-server')).toEqual({ spec: 'openssh-server', name: 'openssh-server', base: 'openssh-server' });
    expect(parseAptSpec('libc6:amd64')).toEqual({ spec: 'libc6:amd64', name: 'libc6:amd64', base: 'libc6' });
    expect(parseAptSpec('etcd-server=3.4.23-4+b6')).toEqual({
      spec: 'etcd-server=3.4.23-4+b6',
      name: 'etcd-server',
      base: 'etcd-server',
      version: '3.4.23-4+b6',
    });
    expect(parseAptSpec('nginx=1.22*')).toMatchObject({ name: 'nginx', version: '1.22*' });
  });

  it('refuses what would not be a name: options, wildcards, >=, two =', () => {
    expect(parseAptSpec('--allow-unauthenticated')).toEqual({ error: "invalid package name '--allow-unauthenticated'" });
    expect(parseAptSpec('etcd*')).toEqual({ error: "package name wildcards are not supported: 'etcd*' (name the packages)" });
    expect(parseAptSpec('etcd>=3.4')).toEqual({ error: "'>=' version constraints are not supported: 'etcd>=3.4' (give name=version)" });
    expect(parseAptSpec('a=1=2')).toEqual({ error: 'invalid package spec: a=1=2' });
    expect(parseAptSpec('two words')).toEqual({ error: "invalid package name 'two words'" });
  });

  it('matches versions exactly or by glob', () => {
    expect(versionMatches('1:9.2p1-2+deb12u10', '1:9.2p1-2+deb12u10')).toBe(true);
    expect(versionMatches('1.22.1-9', '1.22*')).toBe(true);
    expect(versionMatches('1.23.0-1', '1.22*')).toBe(false);
    expect(versionMatches('1.2.3', '1.2')).toBe(false);
  });
});

describe('dpkg-query and apt-cache policy', () => {
  it('reads the state word of ${Status}; installed wins over another architecture', () => {
    const out =
      [
        'libc6\tinstall ok installed\t2.36-9+deb12u14',
        'openssh-server\tinstall ok installed\t1:9.2p1-2+deb12u10',
        'oldpkg\tdeinstall ok config-files\t1.0',
        'ghost\tunknown ok not-installed\t',
        'broken\tinstall reinstreq half-installed\t2.0',
        'multi\tinstall ok installed\t1.0',
        'multi\tdeinstall ok config-files\t1.0',
      ].join('\n') + '\n';
    const s = parseDpkgQuery(out);
    expect(s.get('openssh-server')).toEqual({ state: 'installed', version: '1:9.2p1-2+deb12u10' });
    expect(s.get('oldpkg')).toEqual({ state: 'config-files', version: '1.0' });
    expect(s.get('ghost')).toEqual({ state: 'not-installed', version: '' });
    expect(s.get('broken')).toEqual({ state: 'partial', version: '2.0' });
    expect(s.get('multi')?.state).toBe('installed');
    expect(s.has('nosuchpkg')).toBe(false);
  });

  it('reads Installed and Candidate per package; (none) is absent; unknown names are not listed', () => {
    const out =
      [
        'openssh-server:',
        '  Installed: 1:9.2p1-2+deb12u10',
        '  Candidate: 1:9.2p1-2+deb12u10',
        '  Version table:',
        ' *** 1:9.2p1-2+deb12u10 500',
        '        500 http://deb.debian.org/debian bookworm/main amd64 Packages',
        '        100 /var/lib/dpkg/status',
        'runbook-test-pkg:',
        '  Installed: 1.0',
        '  Candidate: 1.1',
        '  Version table:',
        '     1.1 500',
        '        500 file:/tmp/repo ./ Packages',
        ' *** 1.0 100',
        '        100 /var/lib/dpkg/status',
        'mail-transport-agent:',
        '  Installed: (none)',
        '  Candidate: (none)',
        '  Version table:',
      ].join('\n') + '\n';
    const p = parsePolicy(out);
    expect(p.get('openssh-server')).toEqual({ installed: '1:9.2p1-2+deb12u10', candidate: '1:9.2p1-2+deb12u10' });
    expect(p.get('runbook-test-pkg')).toEqual({ installed: '1.0', candidate: '1.1' });
    expect(p.get('mail-transport-agent')).toEqual({});
    expect(p.has('zzz-nope')).toBe(false);
    expect(parsePolicy('')).toEqual(new Map());
  });

  it("a virtual package's providers (apt-cache showpkg), and an empty name is a package apt does not have", () => {
    const showpkg =
      'Package: netcat\nVersions: \n\nReverse Depends: \n  foo,netcat\nDependencies: \nProvides: \nReverse Provides: \nnetcat-openbsd 1.219-1 (= )\nnetcat-traditional 1.10-47 (= )\nnetcat-openbsd 1.220-1 (= )\n';
    expect(parseProviders(showpkg)).toEqual(['netcat-openbsd', 'netcat-traditional']);
    expect(parseProviders('Package: bash\nReverse Provides: \n')).toEqual([]);
    const settings = (name: unknown) =>
      aptSettings({ state: 'present', update_cache: false, lock_timeout: 60, name } as unknown as AptArgs);
    expect(settings(['', 'bash'])).toEqual({ error: "No package matching '' is available" });
    expect(settings([])).not.toHaveProperty('error');
  });

  it('cache age: Ansible updates when mtime + cache_valid_time is before now', () => {
    expect(parseCacheTime('mtime=1700000000\nnow=1700003600\n')).toEqual({ mtime: 1700000000, now: 1700003600 });
    expect(parseCacheTime('mtime=0\nnow=5\n')).toEqual({ mtime: 0, now: 5 });
    expect(parseCacheTime('mtime=1700000000.123456789\nnow=1700000001\n').mtime).toBeCloseTo(1700000000.123, 3);
    const t = { mtime: 1000, now: 4600 };
    expect(cacheUpdateDue({ updateCache: false, validSeconds: 0, ...t })).toBe(false);
    expect(cacheUpdateDue({ updateCache: true, validSeconds: 0, ...t })).toBe(true);
    expect(cacheUpdateDue({ updateCache: true, validSeconds: 3600, ...t })).toBe(false);
    expect(cacheUpdateDue({ updateCache: false, validSeconds: 3599, ...t })).toBe(true);
  });

  it('apt-get commands: non-interactive options, then --, then the names', () => {
    const o = { lockTimeout: 60, purge: false };
    expect(aptInstallArgv(['etcd-server', 'etcd-client=3.4*'], { ...o, installRecommends: false })).toEqual([
      'apt-get',
      '-y',
      '-q',
      '-o',
      'DPkg::Lock::Timeout=60',
      '-o',
      'Dpkg::Options::=--force-confdef',
      '-o',
      'Dpkg::Options::=--force-confold',
      '-o',
      'APT::Install-Recommends=no',
      'install',
      '--',
      'etcd-server',
      'etcd-client=3.4*',
    ]);
    expect(aptRemoveArgv(['etcd-server'], { ...o, purge: true }).slice(-3)).toEqual(['purge', '--', 'etcd-server']);
    expect(dpkgQueryArgv(['a'])).toEqual(['dpkg-query', '-W', '-f', '${Package}\\t${Status}\\t${Version}\\n', '--', 'a']);
  });

  it('default_release (-t, and the candidate policy reads), allow_downgrade', () => {
    const o = { lockTimeout: 60, purge: false, defaultRelease: 'bookworm-backports', allowDowngrade: true };
    expect(aptInstallArgv(['nginx'], o).slice(-6)).toEqual(['-t', 'bookworm-backports', '--allow-downgrades', 'install', '--', 'nginx']);
    expect(policyArgv(['nginx'], o)).toEqual(['apt-cache', '-o', 'APT::Default-Release=bookworm-backports', 'policy', '--', 'nginx']);
    expect(policyArgv(['nginx'])).toEqual(['apt-cache', 'policy', '--', 'nginx']);
  });

  it('policy_rc_d: policy-rc.d exits N while apt-get runs, an existing one is put back (run for real on a temp path)', () => {
    const argv = aptRemoveArgv(['x'], { lockTimeout: 60, purge: false, policyRcD: 101 });
    expect(argv.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(argv.slice(3, 6)).toEqual(['sh', '101', 'apt-get']);
    const dir = mkdtempSync(join(tmpdir(), 'rb-rcd-'));
    const path = join(dir, 'policy-rc.d');
    const script = argv[2]!.replace('/usr/sbin/policy-rc.d', path).replace('/usr/sbin/.policy-rc.d', join(dir, '.policy-rc.d'));
    // the "apt-get" here runs the policy as a maintainer script would (invoke-rc.d), and prints its code
    const probe = `"${path}"; echo "rc=$?"; ls -l "${path}" | cut -c1-10`;
    expect(execFileSync('/bin/sh', ['-c', script, 'sh', '101', '/bin/sh', '-c', probe], { encoding: 'utf8' })).toBe('rc=101\n-rwxr-xr-x\n');
    expect(existsSync(path)).toBe(false);
    writeFileSync(path, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const r = spawnSync('/bin/sh', ['-c', script, 'sh', '101', '/bin/sh', '-c', `"${path}"; echo "rc=$?"; exit 3`], { encoding: 'utf8' });
    expect([r.status, r.stdout]).toEqual([3, 'rc=101\n']); // apt-get's own code is the result
    expect(readFileSync(path, 'utf8')).toBe('#!/bin/sh\nexit 0\n');
  });
});

describe('the package module: states, names, managers', () => {
  it('normalises the states and the name list', () => {
    expect(packageState(undefined)).toBe('present');
    expect(packageState('installed')).toBe('present');
    expect(packageState('removed')).toBe('absent');
    expect(packageState('latest')).toBe('latest');
    expect(packageState('build-dep')).toEqual({
      error: "state must be one of present, installed, latest, absent, removed (got 'build-dep')",
    });
    expect(packageNames('curl, jq,')).toEqual(['curl', 'jq']);
    expect(packageNames(['etcd', 3])).toEqual(['etcd', '3']);
  });

  it('names for the other managers: no options, paths, URLs or spaces', () => {
    expect(checkPackageName('etcd-3.5.0')).toBeUndefined();
    expect(checkPackageName('python3.11-pip')).toBeUndefined();
    expect(checkPackageName('-y')).toMatch(/invalid package name '-y'/);
    expect(checkPackageName('/tmp/x.rpm')).toMatch(/invalid/);
    expect(checkPackageName('https://x/y.rpm')).toMatch(/invalid/);
  });

  it('use: Ansible module names, dnf5 as dnf, others refused', () => {
    expect(managerFromUse('auto')).toBe('auto');
    expect(managerFromUse('ansible.builtin.dnf')).toBe('dnf');
    expect(managerFromUse('community.general.apk')).toBe('apk');
    expect(managerFromUse('dnf5')).toBe('dnf');
    expect(managerFromUse('portage')).toEqual({ error: "use must be auto or one of apt, dnf, yum, zypper, apk, pacman (got 'portage')" });
  });

  it('reads the query script output and plans install, upgrade, remove', () => {
    const inst = parseInstalled('curl\t8.5.0-2.fc40\njq\t-\napk-only\t\n', ['curl', 'jq', 'apk-only', 'unlisted']);
    expect([...inst]).toEqual([
      ['curl', '8.5.0-2.fc40'],
      ['jq', null],
      ['apk-only', ''],
      ['unlisted', null],
    ]);
    expect(genericPlan('present', ['curl', 'jq'], inst)).toEqual({ install: ['jq'], remove: [], maybeUpgrade: [] });
    expect(genericPlan('latest', ['curl', 'jq'], inst)).toEqual({ install: ['jq'], remove: [], maybeUpgrade: ['curl'] });
    expect(genericPlan('absent', ['curl', 'jq', 'apk-only'], inst)).toEqual({
      install: [],
      remove: ['curl', 'apk-only'],
      maybeUpgrade: [],
    });
  });

  it('builds non-interactive commands', () => {
    expect(managerArgv('dnf', 'install', ['etcd'])).toEqual(['dnf', '-y', 'install', '--', 'etcd']);
    expect(managerArgv('yum', 'remove', ['etcd'])).toEqual(['yum', '-y', 'remove', '--', 'etcd']);
    expect(managerArgv('zypper', 'upgrade', ['etcd'])).toEqual(['zypper', '--non-interactive', 'update', 'etcd']);
    expect(managerArgv('apk', 'upgrade', ['etcd'])).toEqual(['apk', 'add', '--upgrade', 'etcd']);
    expect(managerArgv('pacman', 'install', ['etcd'])).toEqual(['pacman', '-S', '--noconfirm', '--needed', '--', 'etcd']);
    expect(managerArgv('pacman', 'remove', ['etcd'])).toEqual(['pacman', '-R', '--noconfirm', '--', 'etcd']);
  });
});
