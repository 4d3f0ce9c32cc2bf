// group, user, apt and package end to end, the way etcd deploy roles use them: the built CLI
// (`runbook apply ... --yes --output json`) over real SSH to one sshd "host" on 127.0.67.1,
// which is this machine (run as root). Each test checks the real effect (getent, id, dpkg),
// that a second apply changes nothing and that --check changes nothing.
//
// Accounts: rb-test-etcd (user and its group), rb-test-etcd-peers and rb-test-etcd-ops;
// afterAll removes them whatever happened.
//
// Packages, offline and without touching the machine's apt configuration: a package built
// here with dpkg-deb (runbook-test-pkg 1.0, later 1.1) is published as a flat repository in a
// temp directory, and the plays set APT_CONFIG to an apt.conf that points apt at that
// repository only (Dir::Etc::sourcelist, an empty Dir::Etc::sourceparts) and keeps its lists,
// caches and extended_states in the temp directory. So `update_cache: yes` runs a real
// `apt-get update` that reads one local file and no network, and the module runs unchanged
// (it passes ctx.env to every command). Only dpkg's database sees the package; afterAll purges it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, type CliResult } from '../../helpers/cli.js';
import { startSshHosts, type SshHosts } from '../../helpers/ssh-hosts.js';

const USER = 'rb-test-etcd';
const PEERS = 'rb-test-etcd-peers';
const OPS = 'rb-test-etcd-ops';
const PKG = 'runbook-test-pkg';

let h: SshHosts;
let inv: string;
let n = 0;
let apt: string;

/** a command's stdout, or null when it fails */
function sh(...argv: string[]): string | null {
  try {
    return execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}
const getent = (db: string, key: string): string[] | null => sh('getent', db, key)?.trim().split(':') ?? null;
const dpkgStatus = (): string => sh('dpkg-query', '-W', '-f', '${Status} ${Version}', PKG) ?? 'not known';
const why = (r: CliResult): string => `exit ${r.code}\n${r.stderr}\n${r.stdout}`;

function cleanup(): void {
  sh('userdel', '-r', '-f', USER);
  for (const g of [PEERS, OPS, USER]) sh('groupdel', g);
  if (sh('dpkg-query', '-W', PKG) !== null) sh('dpkg', '--purge', PKG);
}

function playbook(tasks: string, opts: { apt?: boolean } = {}): string {
  const p = join(h.dir, `pb${++n}.yml`);
  const env = opts.apt ? `  environment:\n    APT_CONFIG: ${join(apt, 'apt.conf')}\n` : '';
  writeFileSync(p, `- hosts: nodes\n${env}  tasks:\n${tasks.replace(/^/gm, '    ')}\n`);
  return p;
}

const apply = (pb: string, ...extra: string[]): Promise<CliResult> =>
  runCli(['apply', pb, '-i', inv, '--yes', '--output', 'json', ...extra]);
const check = (pb: string): Promise<CliResult> => runCli(['apply', pb, '-i', inv, '--check', '--output', 'json']);

async function expectChanged(pb: string, changed: number, mode: 'apply' | 'check' = 'apply'): Promise<CliResult> {
  const r = mode === 'apply' ? await apply(pb) : await check(pb);
  expect(r.code, why(r)).toBe(0);
  expect(r.recap()['node1'], why(r)).toMatchObject({ changed, failed: 0 });
  return r;
}

/** runbook-test-pkg VERSION as a .deb in the repository, and the repository's Packages index */
function publish(version: string): void {
  const root = join(apt, `build-${version}`);
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  mkdirSync(join(root, 'usr/share', PKG), { recursive: true });
  writeFileSync(join(root, 'usr/share', PKG, 'version'), `${version}\n`);
  const control = `Package: ${PKG}\nVersion: ${version}\nArchitecture: all\nMaintainer: runbook tests <root@localhost>\nDescription: runbook test package\n`;
  writeFileSync(join(root, 'DEBIAN/control'), control);
  const deb = `${PKG}_${version}_all.deb`;
  execFileSync('dpkg-deb', ['--build', '--root-owner-group', root, join(apt, 'repo', deb)], { stdio: 'ignore' });
  // the index written by hand (no dpkg-dev needed): the control fields plus where and what the file is
  const data = readFileSync(join(apt, 'repo', deb));
  const entry = `${control.replace(/\nDescription:/, `\nFilename: ./${deb}\nSize: ${statSync(join(apt, 'repo', deb)).size}\nSHA256: ${createHash('sha256').update(data).digest('hex')}\nDescription:`)}\n`;
  const index = join(apt, 'repo', 'Packages');
  writeFileSync(index, (existsSync(index) ? readFileSync(index, 'utf8') : '') + entry);
}

beforeAll(async () => {
  cleanup(); // what a killed earlier run may have left
  h = await startSshHosts(1, 67);
  inv = h.inventory();
  mkdirSync(join(h.dir, 'home'), { recursive: true });
  apt = mkdtempSync('/tmp/rb-apt-');
  chmodSync(apt, 0o755); // apt downloads as _apt
  for (const d of ['repo', 'sources.list.d', 'lists/partial', 'cache/archives/partial']) mkdirSync(join(apt, d), { recursive: true });
  writeFileSync(join(apt, 'sources.list'), `deb [trusted=yes] file:${join(apt, 'repo')} ./\n`);
  writeFileSync(
    join(apt, 'apt.conf'),
    [
      `Dir::Etc::sourcelist "${join(apt, 'sources.list')}";`,
      `Dir::Etc::sourceparts "${join(apt, 'sources.list.d')}";`,
      `Dir::State::lists "${join(apt, 'lists')}/";`,
      `Dir::State::extended_states "${join(apt, 'extended_states')}";`,
      `Dir::Cache "${join(apt, 'cache')}/";`,
      '',
    ].join('\n'),
  );
  publish('1.0');
});

afterAll(async () => {
  cleanup();
  if (apt) rmSync(apt, { recursive: true, force: true });
  await h?.stop();
});

describe('group and user', () => {
  const home = (): string => join(h.dir, 'home', USER);
  const account = (shell: string, groups: string): string => `- name: etcd group
  group: { name: ${USER}, system: true }
- name: peers group
  group: { name: ${PEERS} }
- name: ops group
  group: { name: ${OPS} }
- name: etcd user
  user:
    name: ${USER}
    group: ${USER}
    system: yes
    home: ${home()}
    shell: ${shell}
    comment: etcd test user
${groups}`;

  it('creates a system group and user with its home and shell; --check first changes nothing; a second run is ok', async () => {
    const pb = playbook(account('/usr/sbin/nologin', ''));
    const dry = await expectChanged(pb, 4, 'check');
    expect(dry.results('etcd user')['node1']).toMatchObject({
      status: 'changed',
      predicted: `create system user ${USER} (home ${home()}, shell /usr/sbin/nologin); group ${USER} does not exist yet`,
    });
    expect(getent('passwd', USER)).toBeNull();
    expect(getent('group', USER)).toBeNull();

    const r = await expectChanged(pb, 4);
    const grp = getent('group', USER)!;
    const pw = getent('passwd', USER)!;
    expect(Number(grp[2])).toBeLessThan(1000);
    expect(pw).toEqual([USER, 'x', pw[2], grp[2], 'etcd test user', home(), '/usr/sbin/nologin']);
    expect(Number(pw[2])).toBeLessThan(1000);
    expect(statSync(home()).isDirectory()).toBe(true);
    expect(statSync(home()).uid).toBe(Number(pw[2]));
    expect(sh('id', '-Gn', USER)?.trim()).toBe(USER);
    expect(r.results('etcd user')['node1']?.['data']).toMatchObject({
      name: USER,
      state: 'present',
      uid: Number(pw[2]),
      group: Number(grp[2]),
      home: home(),
      shell: '/usr/sbin/nologin',
      system: true,
    });
    expect(r.results('etcd group')['node1']?.['data']).toEqual({ name: USER, state: 'present', gid: Number(grp[2]), system: true });

    await expectChanged(pb, 0);
  });

  it('changes the shell, a gid and supplementary groups (append keeps, no append replaces); --check predicts only', async () => {
    const used = new Set((sh('getent', 'group') ?? '').split('\n').map((l) => l.split(':')[2]));
    const gid = [...Array(100).keys()].map((i) => String(900 + i)).find((g) => !used.has(g))!;
    const before = { pw: getent('passwd', USER), groups: sh('id', '-Gn', USER) };
    const peers = playbook(
      account('/bin/bash', `    groups: [${PEERS}]\n    append: yes`).replace(`name: ${PEERS} }`, `name: ${PEERS}, gid: ${gid} }`),
    );
    const dry = await expectChanged(peers, 2, 'check');
    expect(dry.results('etcd user')['node1']?.['predicted']).toBe(`${USER}: shell /usr/sbin/nologin → /bin/bash; add to groups ${PEERS}`);
    expect(dry.results('peers group')['node1']?.['predicted']).toMatch(
      new RegExp(`^change the gid of group ${PEERS} from \\d+ to ${gid}$`),
    );
    expect({ pw: getent('passwd', USER), groups: sh('id', '-Gn', USER) }).toEqual(before);

    await expectChanged(peers, 2);
    expect(getent('passwd', USER)?.[6]).toBe('/bin/bash');
    expect(getent('group', PEERS)?.[2]).toBe(gid);
    expect(sh('id', '-Gn', USER)?.trim().split(' ')).toEqual([USER, PEERS]);
    await expectChanged(peers, 0);

    const ops = playbook(account('/bin/bash', `    groups: ${OPS}\n    append: true`));
    await expectChanged(ops, 1);
    expect(sh('id', '-Gn', USER)?.trim().split(' ').sort()).toEqual([USER, PEERS, OPS].sort());
    await expectChanged(ops, 0);

    const only = playbook(account('/bin/bash', `    groups: [${OPS}]`));
    await expectChanged(only, 1);
    expect(sh('id', '-Gn', USER)?.trim().split(' ')).toEqual([USER, OPS]);
    await expectChanged(only, 0);
  });

  it('refuses a primary group that does not exist, and changes nothing', async () => {
    const before = getent('passwd', USER);
    const r = await apply(playbook(`- name: wrong group\n  user: { name: ${USER}, group: rb-test-no-such-group }`));
    expect(r.code, why(r)).toBe(2);
    expect(r.results('wrong group')['node1']).toMatchObject({ status: 'failed', msg: 'Group rb-test-no-such-group does not exist' });
    expect(getent('passwd', USER)).toEqual(before);
  });

  it('removes the user with its home, and the groups; a second run is ok', async () => {
    const pb = playbook(`- name: remove user
  user: { name: ${USER}, state: absent, remove: yes }
- group: { name: ${PEERS}, state: absent }
- group: { name: ${OPS}, state: absent }
- group: { name: ${USER}, state: absent }`);
    await expectChanged(pb, 4, 'check');
    expect(getent('passwd', USER)).not.toBeNull();
    const r = await apply(pb);
    expect(r.code, why(r)).toBe(0);
    // userdel removes the user's own group already when login.defs says USERGROUPS_ENAB yes
    expect(r.recap()['node1']?.['changed']).toBeGreaterThanOrEqual(3);
    expect(r.results('remove user')['node1']).toMatchObject({
      status: 'changed',
      data: { name: USER, state: 'absent', remove: true, force: false },
    });
    expect(getent('passwd', USER)).toBeNull();
    for (const g of [USER, PEERS, OPS]) expect(getent('group', g), g).toBeNull();
    expect(existsSync(home())).toBe(false);
    await expectChanged(pb, 0);
  });
});

describe('apt and package', () => {
  it('an installed package is ok; removing a package that is not installed is ok', async () => {
    const pb = playbook(`- apt: { name: openssh-server, state: present }
- package: { name: [openssh-server], state: installed }
- apt: { name: runbook-test-not-installed, state: absent }
- package: { name: runbook-test-not-installed, state: removed }`);
    await expectChanged(pb, 0);
    await expectChanged(pb, 0, 'check');
  });

  it('installs from the local repository after updating the cache; --check predicts; converged runs are ok', async () => {
    const pb = playbook(
      `- name: install
  apt: { name: ${PKG}, update_cache: yes }`,
      { apt: true },
    );
    const dry = await expectChanged(pb, 1, 'check');
    expect(dry.results('install')['node1']?.['predicted']).toBe(`install ${PKG} (after updating the apt cache)`);
    expect(dpkgStatus()).toBe('not known');

    const r = await expectChanged(pb, 1);
    expect(r.results('install')['node1']?.['data']).toMatchObject({ cache_updated: true });
    expect(dpkgStatus()).toBe('install ok installed 1.0');
    expect(readFileSync(`/usr/share/${PKG}/version`, 'utf8')).toBe('1.0\n');
    // the lists are refreshed again, but with packages named that is not a change (as Ansible)
    await expectChanged(pb, 0);
    const fresh = await expectChanged(playbook(`- name: fresh\n  apt: { name: ${PKG}, cache_valid_time: 3600 }`, { apt: true }), 0);
    expect(fresh.results('fresh')['node1']).toMatchObject({ status: 'ok', data: { cache_updated: false } });
    await expectChanged(playbook(`- package: { name: ${PKG}, state: present }`, { apt: true }), 0);
  });

  it('latest upgrades to the candidate; a pinned version that is installed is ok', async () => {
    publish('1.1');
    await expectChanged(playbook('- apt: { update_cache: yes }', { apt: true }), 1);
    await expectChanged(playbook(`- apt: { name: "${PKG}=1.0" }`, { apt: true }), 0);
    const pb = playbook(`- name: latest\n  apt: { name: ${PKG}, state: latest }`, { apt: true });
    const dry = await expectChanged(pb, 1, 'check');
    expect(dry.results('latest')['node1']?.['predicted']).toBe(`install or upgrade ${PKG}`);
    expect(dpkgStatus()).toBe('install ok installed 1.0');
    await expectChanged(pb, 1);
    expect(dpkgStatus()).toBe('install ok installed 1.1');
    await expectChanged(pb, 0);
  });

  it('package state absent removes it; --check predicts; a second run is ok', async () => {
    const pb = playbook(`- name: remove\n  package: { name: ${PKG}, state: absent }`, { apt: true });
    const dry = await expectChanged(pb, 1, 'check');
    expect(dry.results('remove')['node1']?.['predicted']).toBe(`remove ${PKG}`);
    expect(dpkgStatus()).toBe('install ok installed 1.1');
    await expectChanged(pb, 1);
    expect(dpkgStatus()).not.toMatch(/ installed /);
    expect(existsSync(`/usr/share/${PKG}/version`)).toBe(false);
    await expectChanged(pb, 0);
  });

  it('a name apt does not know is a clear failure', async () => {
    const r = await apply(playbook('- name: typo\n  apt: { name: runbook-test-no-such-package }', { apt: true }));
    expect(r.code, why(r)).toBe(2);
    expect(r.results('typo')['node1']).toMatchObject({
      status: 'failed',
      msg: "No package matching 'runbook-test-no-such-package' is available",
    });
  });
});
