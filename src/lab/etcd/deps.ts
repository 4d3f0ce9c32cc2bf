// What the lab needs from the machine: root, and the Debian packages providing etcd, etcdctl,
// sshd, ssh-keygen and (for --tls) openssl. Nothing is installed unless asked.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { promisify } from 'node:util';
import { LabError } from '../sshd.js';

const run = promisify(execFile);

interface Need {
  readonly program: string;
  readonly paths: readonly string[];
  readonly pkg: string;
}

const NEEDS: readonly Need[] = [
  { program: 'etcd', paths: ['/usr/bin/etcd'], pkg: 'etcd-server' },
  { program: 'etcdctl', paths: ['/usr/bin/etcdctl'], pkg: 'etcd-client' },
  { program: 'sshd', paths: ['/usr/sbin/sshd'], pkg: 'openssh-server' },
  { program: 'ssh-keygen', paths: ['/usr/bin/ssh-keygen'], pkg: 'openssh-client' },
  { program: 'setsid', paths: ['/usr/bin/setsid', '/bin/setsid'], pkg: 'util-linux' },
];
const TLS_NEEDS: readonly Need[] = [{ program: 'openssl', paths: ['/usr/bin/openssl'], pkg: 'openssl' }];

function present(n: Need): boolean {
  return n.paths.some((p) => {
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export function requireRoot(): void {
  if (process.getuid && process.getuid() !== 0) {
    throw new LabError(
      'the lab needs root (its sshd servers log in as root; it starts and stops daemons): run it as root, e.g. sudo runbook lab ...',
      'not-root',
    );
  }
}

/** Debian packages missing for this lab. */
export function missingPackages(o: { tls: boolean }): string[] {
  const needs = [...NEEDS, ...(o.tls ? TLS_NEEDS : [])];
  return [...new Set(needs.filter((n) => !present(n)).map((n) => n.pkg))];
}

export function installCommand(pkgs: readonly string[]): string {
  return `apt-get update && apt-get install -y ${pkgs.join(' ')}`;
}

/** Refuse with the apt-get line, or (installDeps) install them. Returns what was installed. */
export async function ensurePackages(o: { tls: boolean; installDeps: boolean }): Promise<string[]> {
  const missing = missingPackages(o);
  if (missing.length === 0) return [];
  if (!o.installDeps) {
    throw new LabError(
      `missing Debian packages: ${missing.join(' ')} (install them with: ${installCommand(missing)}, or run lab up --install-deps)`,
      'missing-deps',
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await run('apt-get', ['update', '-qq'], { env, maxBuffer: 64 << 20 });
    await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env, maxBuffer: 64 << 20 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    const last = (err.stderr ?? err.message).trim().split('\n').pop();
    throw new LabError(`apt-get install ${missing.join(' ')} failed: ${last}`, 'missing-deps');
  }
  const still = missingPackages(o);
  if (still.length) throw new LabError(`still missing after apt-get install: ${still.join(' ')}`, 'missing-deps');
  return missing;
}
