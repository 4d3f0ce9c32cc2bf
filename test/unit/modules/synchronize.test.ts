// synchronize's pure parts: the rsync command ansible.posix builds (its options in its order),
// rsync's paths, and what its itemized output says.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReport, rsyncArgv } from '../../../src/modules/builtin/synchronize/argv.js';
import { controllerPath, hostPath, rshArgv } from '../../../src/modules/builtin/synchronize/route.js';
import type { SynchronizeArgs } from '../../../src/modules/generated/args.js';

const defaults: SynchronizeArgs = {
  src: 's',
  dest: 'd',
  archive: true,
  checksum: false,
  compress: true,
  existing_only: false,
  delete: false,
  dirs: false,
  copy_links: false,
  rsync_timeout: 0,
  set_remote_user: true,
  ssh_connection_multiplexing: false,
  rsync_opts: [],
  partial: false,
  verify_host: false,
  delay_updates: true,
  use_ssh_args: false,
};
const argv = (a: Partial<SynchronizeArgs>, e: Partial<Parameters<typeof rsyncArgv>[1]> = {}): string[] => {
  const r = rsyncArgv(
    { ...defaults, ...a },
    { rsync: 'rsync', src: '/src/', dest: 'root@h:/dest', rsh: ['ssh', '-o', 'Port=22'], dryRun: false, ...e },
  );
  if ('error' in r) throw new Error(r.error);
  return r.argv;
};

describe('the rsync command', () => {
  it("is ansible.posix's, in its order", () => {
    expect(argv({})).toEqual([
      'rsync',
      '--delay-updates',
      '-F',
      '--compress',
      '--archive',
      '--rsh=ssh -o Port=22',
      '--out-format=<<CHANGED>>%i %n%L',
      '/src/',
      'root@h:/dest',
    ]);
    expect(
      argv(
        { delete: true, checksum: true, rsync_timeout: 5, recursive: false, rsync_opts: ['--exclude=.git'], partial: true },
        { dryRun: true, rsyncPath: 'sudo -u root rsync' },
      ),
    ).toEqual([
      'rsync',
      '--delay-updates',
      '-F',
      '--compress',
      '--timeout=5',
      '--dry-run',
      '--delete-after',
      '--checksum',
      '--archive',
      '--no-recursive',
      '--rsh=ssh -o Port=22',
      '--rsync-path=sudo -u root rsync',
      '--exclude=.git',
      '--partial',
      '--out-format=<<CHANGED>>%i %n%L',
      '/src/',
      'root@h:/dest',
    ]);
  });

  it('without archive names only what is turned on; no remote shell for local paths or the user’s own --rsh', () => {
    expect(argv({ archive: false, recursive: true, times: true, compress: false, delay_updates: false }, { dest: '/local' })).toEqual([
      'rsync',
      '--recursive',
      '--times',
      '--out-format=<<CHANGED>>%i %n%L',
      '/src/',
      '/local',
    ]);
    expect(argv({ rsync_opts: ['--rsh=ssh -p 2'] }).filter((a) => a.startsWith('--rsh'))).toEqual(['--rsh=ssh -p 2']);
  });

  it('refuses two rsync daemons and a hard-link target above dest', () => {
    expect(rsyncArgv(defaults, { rsync: 'rsync', src: 'rsync://a/x', dest: 'rsync://b/y', dryRun: false })).toEqual({
      error: 'either src or dest must be a localhost',
    });
    expect(
      rsyncArgv({ ...defaults, link_dest: ['/data'] }, { rsync: 'rsync', src: '/src/', dest: 'h:/data/new/x', dryRun: false }),
    ).toMatchObject({
      error: expect.stringMatching(/^Hardlinking into a subdirectory/),
    });
  });
});

describe("rsync's report", () => {
  it('is changed when an item is itemized, the markers taken out', () => {
    expect(readReport('<<CHANGED>><f+++++++++ a\n<<CHANGED>>cd+++++++++ sub/\n', false)).toEqual({
      changed: true,
      msg: '<f+++++++++ a\ncd+++++++++ sub/\n',
      lines: ['<f+++++++++ a', 'cd+++++++++ sub/'],
    });
    expect(readReport('', false)).toEqual({ changed: false, msg: '', lines: [] });
    // with link_dest (-vv), an item starting with '.' is an unchanged one, as Ansible reads it
    expect(readReport('<<CHANGED>>.f a\n', true).changed).toBe(false);
    expect(readReport('<<CHANGED>>hf a => b\n', true).changed).toBe(true);
  });
});

describe("rsync's paths", () => {
  it("names the host's side user@host:path, an IPv6 address bracketed, a path naming its own host kept", () => {
    expect(hostPath('10.0.0.5', '/srv/x', 'root')).toBe('root@10.0.0.5:/srv/x');
    expect(hostPath('10.0.0.5', '/srv/x', undefined)).toBe('10.0.0.5:/srv/x');
    expect(hostPath('::1', '/srv/x', 'root')).toBe('[root@::1]:/srv/x');
    expect(hostPath('10.0.0.5', 'other:/x', 'root')).toBe('root@other:/x');
    expect(hostPath('10.0.0.5', 'u@other:/x', 'root')).toBe('u@other:/x');
    expect(hostPath('10.0.0.5', 'rsync://d/m', 'root')).toBe('rsync://d/m');
  });

  it("looks for a relative controller path in the role's, then the playbook's files/, keeping a trailing slash", () => {
    const root = mkdtempSync(join(tmpdir(), 'rb-sync-'));
    mkdirSync(join(root, 'play', 'files', 'tree'), { recursive: true });
    mkdirSync(join(root, 'role', 'files'), { recursive: true });
    writeFileSync(join(root, 'role', 'files', 'conf'), '');
    const ctx = { playbookDir: join(root, 'play'), roleDir: join(root, 'role') };
    expect(controllerPath(ctx, 'tree/')).toBe(join(root, 'play', 'files', 'tree') + '/');
    expect(controllerPath(ctx, 'conf')).toBe(join(root, 'role', 'files', 'conf'));
    expect(controllerPath(ctx, 'missing')).toBe(join(root, 'play', 'missing'));
    expect(controllerPath(ctx, '/abs')).toBe('/abs');
    expect(controllerPath(ctx, '~/x', '/home/me')).toBe('/home/me/x');
  });

  it('puts the task’s private_key before the connection’s keys and the port last', () => {
    const ext = { argv: ['ssh', '-F', '/dev/null', '-i', '/k'], address: 'h', port: 22, user: 'u' };
    expect(rshArgv(ext, '/task/key', 2200)).toEqual(['ssh', '-i', '/task/key', '-F', '/dev/null', '-i', '/k', '-o', 'Port=2200']);
  });
});
