// The user/group modules' pure parts: getent and id output, the wanted account from the
// arguments, and the useradd/usermod/userdel commands they lead to.
import { describe, expect, it } from 'vitest';
import {
  checkAccountName,
  isLocked,
  parseGroupLine,
  parseIdGroups,
  parsePasswdLine,
  parseShadowPassword,
} from '../../../src/modules/support/accounts.js';
import { useraddArgv, userdelArgv, usermodChanges, wantedUser, type WantedUser } from '../../../src/modules/builtin/user/plan.js';
import type { UserArgs } from '../../../src/modules/generated/args.js';
import { coercedArgs } from '../../../src/modules/arguments.js';

/** wantedUser of the arguments as a task writes them, coerced by the user schema as the executor does */
const wanted = (args: Record<string, unknown>): ReturnType<typeof wantedUser> => wantedUser(coercedArgs<UserArgs>('user', args));
const want = (args: Record<string, unknown> & { name: string }): WantedUser => {
  const w = wanted(args);
  if ('error' in w) throw new Error(w.error);
  return w;
};

describe('getent and id output', () => {
  it('parses group lines, with and without members', () => {
    expect(parseGroupLine('etcd:x:998:\n')).toEqual({ name: 'etcd', gid: 998, members: [] });
    expect(parseGroupLine('docker:x:999:alice,bob')).toEqual({ name: 'docker', gid: 999, members: ['alice', 'bob'] });
    expect(parseGroupLine('')).toBeUndefined();
    expect(parseGroupLine('broken:x:notanumber:')).toBeUndefined();
  });

  it('parses passwd lines: GECOS with commas and spaces, empty shell', () => {
    expect(parsePasswdLine('etcd:x:997:998:etcd user,,,:/var/lib/etcd:/usr/sbin/nologin\n')).toEqual({
      name: 'etcd',
      uid: 997,
      gid: 998,
      comment: 'etcd user,,,',
      home: '/var/lib/etcd',
      shell: '/usr/sbin/nologin',
    });
    expect(parsePasswdLine('sync:x:4:65534:sync:/bin:')).toMatchObject({ comment: 'sync', home: '/bin', shell: '' });
    expect(parsePasswdLine('root:x:0:0')).toBeUndefined();
  });

  it("reads the shadow password field and Ansible's lock test", () => {
    expect(parseShadowPassword('etcd:!:19700:0:99999:7:::')).toBe('!');
    expect(parseShadowPassword('alice:$y$j9T$abc:19700:0:99999:7:::')).toBe('$y$j9T$abc');
    expect(isLocked('!')).toBe(true);
    expect(isLocked('!$y$j9T$abc')).toBe(true);
    expect(isLocked('*')).toBe(false);
    expect(isLocked('$y$j9T$abc')).toBe(false);
  });

  it('splits id -Gn output', () => {
    expect(parseIdGroups('etcd ssl-cert docker\n')).toEqual(['etcd', 'ssl-cert', 'docker']);
    expect(parseIdGroups('\n')).toEqual([]);
  });

  it('refuses names that would read as options or break the files', () => {
    expect(checkAccountName('user', 'etcd')).toBeUndefined();
    expect(checkAccountName('user', '-r')).toBe("invalid user name '-r'");
    expect(checkAccountName('group', 'a:b')).toBe("invalid group name 'a:b'");
    expect(checkAccountName('group', '')).toBe('group name must not be empty');
  });
});

describe('the wanted account', () => {
  it('takes Ansible spellings: createhome, groups as a string, yes/no', () => {
    const w = want({ name: 'etcd', createhome: 'no', groups: 'ssl-cert, docker', append: 'yes', system: true, uid: '990' });
    expect(w).toMatchObject({ createHome: false, groups: ['ssl-cert', 'docker'], append: true, system: true, uid: 990, state: 'present' });
    expect(want({ name: 'etcd', groups: '' }).groups).toEqual([]);
    expect(want({ name: 'etcd', groups: [] }).groups).toEqual([]);
    expect(want({ name: 'etcd' }).groups).toBeUndefined();
  });

  it('says what is wrong with the arguments', () => {
    expect(wanted({ name: 'etcd', state: 'gone' })).toEqual({ error: "state must be present or absent (got 'gone')" });
    expect(wanted({ name: 'etcd', non_unique: true })).toEqual({ error: 'non_unique needs uid' });
    expect(wanted({ name: 'etcd', uid: '-1' })).toEqual({ error: "uid must be a whole number (got '-1')" });
    expect(wanted({ name: 'etcd', groups: ['ok', '--evil'] })).toEqual({ error: "invalid group name '--evil'" });
  });
});

describe('useradd / usermod / userdel', () => {
  it('creates with every option before -- and the name after it', () => {
    const w = want({
      name: 'etcd',
      uid: 990,
      group: 'etcd',
      groups: ['ssl-cert'],
      comment: 'etcd user',
      home: '/var/lib/etcd',
      shell: '/usr/sbin/nologin',
      system: true,
    });
    expect(useraddArgv(w, true)).toEqual([
      'useradd',
      '-u',
      '990',
      '-g',
      'etcd',
      '-G',
      'ssl-cert',
      '-c',
      'etcd user',
      '-d',
      '/var/lib/etcd',
      '-s',
      '/usr/sbin/nologin',
      '-m',
      '-r',
      '--',
      'etcd',
    ]);
  });

  it('without group: -N only when a group named like the user exists (as Ansible)', () => {
    expect(useraddArgv(want({ name: 'etcd', create_home: false }), true)).toEqual(['useradd', '-N', '-M', '--', 'etcd']);
    expect(useraddArgv(want({ name: 'etcd' }), false)).toEqual(['useradd', '-m', '--', 'etcd']);
  });

  const entry = { name: 'etcd', uid: 990, gid: 990, comment: '', home: '/var/lib/etcd', shell: '/usr/sbin/nologin' };

  it('changes only what differs; a converged account needs no usermod', () => {
    const w = want({
      name: 'etcd',
      uid: 990,
      group: 'etcd',
      home: '/var/lib/etcd',
      shell: '/usr/sbin/nologin',
      comment: '',
      groups: ['ssl-cert'],
    });
    expect(
      usermodChanges(w, { entry, supplementary: ['ssl-cert'] }, { primaryGid: 990, primaryName: 'etcd', groupNames: ['ssl-cert'] }),
    ).toEqual({ options: [], changes: [] });
    const w2 = want({ name: 'etcd', shell: '/bin/bash', comment: 'etcd', home: '/srv/etcd', move_home: true });
    expect(usermodChanges(w2, { entry, supplementary: [] }, {})).toEqual({
      options: ['-c', 'etcd', '-d', '/srv/etcd', '-m', '-s', '/bin/bash'],
      changes: ["comment '' → 'etcd'", 'home /var/lib/etcd → /srv/etcd (moved)', 'shell /usr/sbin/nologin → /bin/bash'],
    });
  });

  it('append adds the missing groups; without append the list is exact; the primary group counts as held', () => {
    const now = { entry, supplementary: ['docker'] };
    const r = { primaryName: 'etcd', groupNames: ['etcd', 'ssl-cert'] };
    expect(usermodChanges(want({ name: 'etcd', groups: ['etcd', 'ssl-cert'], append: true }), now, r)).toEqual({
      options: ['-a', '-G', 'ssl-cert'],
      changes: ['add to groups ssl-cert'],
    });
    expect(usermodChanges(want({ name: 'etcd', groups: ['etcd', 'ssl-cert'] }), now, r)).toEqual({
      options: ['-G', 'ssl-cert'],
      changes: ['add to groups ssl-cert, remove from groups docker'],
    });
    expect(
      usermodChanges(want({ name: 'etcd', groups: ['docker'], append: true }), now, { primaryName: 'etcd', groupNames: ['docker'] })
        .options,
    ).toEqual([]);
    expect(usermodChanges(want({ name: 'etcd', groups: '' }), now, { primaryName: 'etcd', groupNames: [] }).options).toEqual(['-G', '']);
    expect(usermodChanges(want({ name: 'etcd', groups: '', append: true }), now, { primaryName: 'etcd', groupNames: [] }).options).toEqual(
      [],
    );
  });

  it('primary group by gid; a group that does not exist yet is still a predicted change', () => {
    expect(usermodChanges(want({ name: 'etcd', group: 'etcd' }), { entry, supplementary: [] }, { primaryGid: 990 }).options).toEqual([]);
    expect(usermodChanges(want({ name: 'etcd', group: 'kube' }), { entry, supplementary: [] }, { primaryGid: 1001 }).options).toEqual([
      '-g',
      'kube',
    ]);
    expect(usermodChanges(want({ name: 'etcd', group: 'new' }), { entry, supplementary: [] }, {}).changes).toEqual(['primary group → new']);
  });

  it('password_lock locks or unlocks only when the state differs', () => {
    const lock = want({ name: 'etcd', password_lock: true });
    expect(usermodChanges(lock, { entry, supplementary: [], password: '$y$abc' }, {}).options).toEqual(['-L']);
    expect(usermodChanges(lock, { entry, supplementary: [], password: '!$y$abc' }, {}).options).toEqual([]);
    expect(
      usermodChanges(want({ name: 'etcd', password_lock: false }), { entry, supplementary: [], password: '!$y$abc' }, {}).options,
    ).toEqual(['-U']);
  });

  it('uid with non_unique; userdel with remove and force', () => {
    expect(usermodChanges(want({ name: 'etcd', uid: 0, non_unique: true }), { entry, supplementary: [] }, {}).options).toEqual([
      '-u',
      '0',
      '-o',
    ]);
    expect(userdelArgv(want({ name: 'etcd', state: 'absent', remove: true, force: 'yes' }))).toEqual(['userdel', '-r', '-f', '--', 'etcd']);
    expect(userdelArgv(want({ name: 'etcd', state: 'absent' }))).toEqual(['userdel', '--', 'etcd']);
  });
});
