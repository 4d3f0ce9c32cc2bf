// A throwaway OpenSSH server for the end-to-end tests and the benchmark: its own host key,
// its own authorized client key, listening on a loopback address. Needs root (sshd's
// privilege separation) and the openssh-server package.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateKey } from './keys.js';

const run = promisify(execFile);
export const SSHD = '/usr/sbin/sshd';

export interface SshdOptions {
  /** 127.0.0.0/8 address to listen on */
  readonly address: string;
  readonly port: number;
  /** working directory for keys, config and logs (created; its parents must be traversable by other login users) */
  readonly dir: string;
  /** extra sshd_config lines */
  readonly extraConfig?: readonly string[];
}

export interface Sshd {
  readonly address: string;
  readonly port: number;
  /** `[addr]:port ssh-ed25519 AAAA…` */
  readonly hostKeyLine: string;
  /** host public key blob (base64) */
  readonly hostKeyBase64: string;
  /** an unencrypted ed25519 key authorized for every user of this server */
  readonly clientKeyFile: string;
  /** known_hosts holding this server's key */
  readonly knownHostsFile: string;
  readonly authorizedKeysFile: string;
  /** what sshd printed (it runs with -e) */
  log(): string;
  stop(): Promise<void>;
}

/** Why a lab operation failed; the message is one line an operator can act on. */
export type LabErrorReason = 'failed' | 'already-up' | 'not-root' | 'missing-deps' | 'no-lab' | 'in-use' | 'unhealthy' | 'usage';

/** A lab failure: `message` is one line; `detail` (optional) is what helps next, e.g. a log tail. */
export class LabError extends Error {
  constructor(
    message: string,
    readonly reason: LabErrorReason = 'failed',
    readonly detail?: string,
  ) {
    super(message);
  }
}

export interface SshdConfigOptions {
  readonly address: string;
  readonly port: number;
  readonly hostKeyFile: string;
  readonly pidFile: string;
  readonly authorizedKeysFile: string;
  readonly extraConfig?: readonly string[];
}

/** sshd_config for a lab server: key logins only (root allowed), no PAM, sftp. */
export function sshdConfig(o: SshdConfigOptions): string {
  const lines = [
    `ListenAddress ${o.address}:${o.port}`,
    `HostKey ${o.hostKeyFile}`,
    `PidFile ${o.pidFile}`,
    `AuthorizedKeysFile ${o.authorizedKeysFile}`,
    'StrictModes no',
    'UsePAM no',
    'PermitRootLogin yes',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'AllowTcpForwarding yes',
    'MaxSessions 32',
    'MaxStartups 100:30:200',
    'PrintMotd no',
    'LogLevel ERROR',
    'Subsystem sftp internal-sftp',
    // A login shell that runs `pyenv init` (root's ~/.bashrc on the machines this lab runs on)
    // rehashes at every session and waits up to 60 s for pyenv's lock file, which a session
    // killed mid-login leaves behind: every later login then stalls for a minute. The lab's
    // sessions give up on that lock after 1 s (the rehash is only skipped; nothing else changes).
    'SetEnv PYENV_REHASH_TIMEOUT=1',
    ...(o.extraConfig ?? []),
  ];
  return lines.join('\n') + '\n';
}

export function waitForPort(address: string, port: number, child: Pick<ChildProcess, 'exitCode'>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      if (child.exitCode !== null) return reject(new LabError(`sshd exited with code ${child.exitCode}`));
      const sock = connect({ host: address, port });
      sock.once('connect', () => {
        sock.destroy();
        resolve();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new LabError(`sshd did not listen on ${address}:${port} within ${ms} ms`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

export async function startSshd(o: SshdOptions): Promise<Sshd> {
  if (!existsSync(SSHD)) {
    throw new LabError(`${SSHD} not found: install openssh-server (apt-get install openssh-server)`);
  }
  await mkdir(o.dir, { recursive: true });
  await chmod(o.dir, 0o755); // other users' sshd children read authorized_keys from here
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const hostKey = await generateKey(join(o.dir, 'host_ed25519'), { comment: 'lab-host' });
  const client = await generateKey(join(o.dir, 'client_ed25519'), { comment: 'lab-client' });
  const authorizedKeysFile = join(o.dir, 'authorized_keys');
  await writeFile(authorizedKeysFile, client.publicKey + '\n', { mode: 0o644 });
  const hostKeyBase64 = hostKey.publicKey.split(/\s+/)[1] ?? '';
  const hostKeyLine = `[${o.address}]:${o.port} ssh-ed25519 ${hostKeyBase64}`;
  const knownHostsFile = join(o.dir, 'known_hosts');
  await writeFile(knownHostsFile, hostKeyLine + '\n', { mode: 0o600 });
  const configFile = join(o.dir, 'sshd_config');
  const config = sshdConfig({
    address: o.address,
    port: o.port,
    hostKeyFile: hostKey.privateKeyFile,
    pidFile: join(o.dir, 'sshd.pid'),
    authorizedKeysFile,
    ...(o.extraConfig ? { extraConfig: o.extraConfig } : {}),
  });
  await writeFile(configFile, config);
  const child = spawn(SSHD, ['-D', '-e', '-f', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (b: Buffer) => {
    log += b.toString('utf8');
  });
  try {
    await waitForPort(o.address, o.port, child, 10_000);
  } catch (e) {
    child.kill('SIGKILL');
    throw new LabError(`${e instanceof Error ? e.message : String(e)}: ${log.trim()}`);
  }
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return {
    address: o.address,
    port: o.port,
    hostKeyLine,
    hostKeyBase64,
    clientKeyFile: client.privateKeyFile,
    knownHostsFile,
    authorizedKeysFile,
    log: () => log,
    stop,
  };
}

/** Create a local user with the given login shell when missing (password field `*`: not locked for sshd). */
export async function ensureUser(name: string, shell = '/bin/sh'): Promise<void> {
  const passwd = await readFile('/etc/passwd', 'utf8');
  if (!passwd.split('\n').some((l) => l.startsWith(`${name}:`))) {
    await run('useradd', ['-m', '-s', shell, name]);
  }
  await run('usermod', ['-p', '*', '-s', shell, name]);
}
