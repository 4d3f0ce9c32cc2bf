// Key pairs for the test lab, made with ssh-keygen (OpenSSH format, as users have them).
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface KeyPair {
  /** private key file (0600) */
  readonly privateKeyFile: string;
  /** `ssh-ed25519 AAAA… comment` */
  readonly publicKey: string;
}

export async function generateKey(path: string, opts: { passphrase?: string; comment?: string } = {}): Promise<KeyPair> {
  await rm(path, { force: true });
  await rm(`${path}.pub`, { force: true });
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', opts.passphrase ?? '', '-C', opts.comment ?? 'runbook-lab', '-f', path]);
  const publicKey = (await readFile(`${path}.pub`, 'utf8')).trim();
  return { privateKeyFile: path, publicKey };
}
