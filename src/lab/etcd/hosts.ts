// A lab member's "host": its own sshd on <address>:2222, daemonized (it outlives the process
// that started it; pid in ssh/sshd.pid, log in ssh/sshd.log), its own host key, and the
// lab's one client key authorized for root.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { LabMember } from './model.js';
import { exeOf, isAlive, readPid, stopPids, withDescendants } from './processes.js';
import { generateKey } from '../keys.js';
import { LabError, SSHD, sshdConfig } from '../sshd.js';

const run = promisify(execFile);

/** Host key (kept when it exists, so known_hosts stays right across restarts) and sshd_config. Returns the known_hosts line. */
export async function prepareHost(m: LabMember, authorizedKeysFile: string): Promise<string> {
  const dir = dirname(m.sshdConfigFile);
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const hostKeyFile = join(dir, 'host_ed25519');
  const publicKey = existsSync(hostKeyFile)
    ? (await readFile(`${hostKeyFile}.pub`, 'utf8')).trim()
    : (await generateKey(hostKeyFile, { comment: `${m.name}-host` })).publicKey;
  await writeFile(
    m.sshdConfigFile,
    sshdConfig({ address: m.address, port: m.sshPort, hostKeyFile, pidFile: m.sshdPidFile, authorizedKeysFile }),
  );
  return `[${m.address}]:${m.sshPort} ${publicKey.split(/\s+/).slice(0, 2).join(' ')}`;
}

/** Is something accepting TCP connections there (within ms)? */
export function tcpOpen(address: string, port: number, ms = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: address, port });
    const done = (v: boolean): void => {
      sock.destroy();
      resolve(v);
    };
    sock.setTimeout(ms, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

async function tail(file: string, lines = 5): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim().split('\n').slice(-lines).join(' | ');
  } catch {
    return '';
  }
}

/** Runs the member's sshd as a daemon and waits until it listens. Returns its pid. */
export async function startHostSshd(m: LabMember, timeoutMs = 10_000): Promise<number> {
  const running = await readPid(m.sshdPidFile);
  if (running && exeOf(running) === SSHD && (await tcpOpen(m.address, m.sshPort))) return running;
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 }); // privilege separation directory
  try {
    // without -D sshd forks into the background once its configuration and keys are read
    await run(SSHD, ['-f', m.sshdConfigFile, '-E', m.sshdLogFile]);
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new LabError(`${m.name}: sshd did not start: ${(err.stderr ?? err.message).trim().split('\n')[0]}`);
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pid = await readPid(m.sshdPidFile);
    if (pid && isAlive(pid) && (await tcpOpen(m.address, m.sshPort, 500))) return pid;
    if (Date.now() > deadline)
      throw new LabError(
        `${m.name}: sshd did not listen on ${m.address}:${m.sshPort} within ${timeoutMs} ms: ${await tail(m.sshdLogFile)}`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Stops the member's sshd and every session it started: the host no longer answers. */
export async function stopHostSshd(m: LabMember): Promise<number[]> {
  const pid = await readPid(m.sshdPidFile);
  return pid && exeOf(pid) === SSHD ? stopPids(withDescendants([pid]), 5_000) : [];
}
