// Which credentials to offer: the configured private key(s) first, then ssh-agent; the
// default identity files when nothing is configured. A configured key that cannot be used
// (unreadable, encrypted without passphrase, wrong passphrase) is a `key-file` failure.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AnyAuthMethod, ParsedKey } from 'ssh2';
import { connectError } from '../errors.js';

type Ssh2 = typeof import('ssh2');

export interface IdentityRef {
  readonly path: string;
  /**
   * settings: must be usable; config (IdentityFile): skipped when missing, else must be
   * usable; default (~/.ssh/id_*): skipped when missing or unusable
   */
  readonly source: 'settings' | 'config' | 'default';
}

export interface AuthPlan {
  readonly methods: AnyAuthMethod[];
  /** human description of what is offered, in order, for the auth failure message */
  readonly offered: string[];
}

export function defaultIdentities(home = homedir()): IdentityRef[] {
  return ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((n) => ({ path: join(home, '.ssh', n), source: 'default' as const }));
}

/**
 * Parsed keys by content and passphrase: a fleet shares one key file, parsed (and, encrypted,
 * decrypted) once a run instead of once a host. A ParsedKey is stateless: sign() per use.
 */
const parsedKeys = new Map<string, ParsedKey | Error | undefined>();

function parseKeyOnce(ssh2: Ssh2, data: Buffer, passphrase: string | undefined): ParsedKey | Error | undefined {
  const id =
    createHash('sha256')
      .update(data)
      .update('\0')
      .update(passphrase ?? '')
      .digest('hex') + (passphrase === undefined ? '-' : '+');
  if (parsedKeys.has(id)) return parsedKeys.get(id);
  const parsed = ssh2.utils.parseKey(data, passphrase);
  const key = Array.isArray(parsed) ? (parsed[0] as ParsedKey | Error | undefined) : parsed;
  parsedKeys.set(id, key);
  return key;
}

/**
 * Key files read once a run (a fleet shares one: 500 hosts read it 500 times, open + fstat +
 * read + close each): by path, inode, size, mtime and ctime (which no program can set back), so
 * a file replaced or rewritten meanwhile is read again (one stat a host); a failed read is not kept (each host says why).
 */
const keyFiles = new Map<string, Promise<Buffer>>();

async function readKeyFile(path: string): Promise<Buffer> {
  const st = await stat(path);
  const id = `${path}\0${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  let p = keyFiles.get(id);
  if (!p) {
    p = readFile(path);
    keyFiles.set(id, p);
    p.catch(() => keyFiles.delete(id));
  }
  return p;
}

async function loadKey(ssh2: Ssh2, host: string, ref: IdentityRef, passphrase: string | undefined): Promise<ParsedKey | null> {
  let data: Buffer;
  try {
    data = await readKeyFile(ref.path);
  } catch (e) {
    if (ref.source !== 'settings') return null;
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    const detail = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(e);
    throw connectError({ reason: 'key-file', host, path: ref.path, detail });
  }
  const key = parseKeyOnce(ssh2, data, passphrase);
  if (key instanceof Error || key === undefined) {
    if (ref.source === 'default') return null;
    const msg = key instanceof Error ? key.message : 'no key found';
    let detail = `not a usable private key (${msg})`;
    if (/encrypted/i.test(msg) && /no passphrase/i.test(msg)) {
      detail = 'the key is encrypted and no passphrase was given (set RUNBOOK_SSH_PASSPHRASE)';
    } else if (passphrase !== undefined && /decrypt|passphrase|bad/i.test(msg)) {
      detail = 'wrong passphrase for the encrypted key';
    }
    throw connectError({ reason: 'key-file', host, path: ref.path, detail });
  }
  if (!key.isPrivateKey()) {
    if (ref.source === 'default') return null;
    throw connectError({ reason: 'key-file', host, path: ref.path, detail: 'this is a public key, not a private key' });
  }
  return key;
}

export async function planAuth(
  ssh2: Ssh2,
  o: { host: string; user: string; identities: readonly IdentityRef[]; passphrase?: string; agent?: string },
): Promise<AuthPlan> {
  const methods: AnyAuthMethod[] = [];
  const offered: string[] = [];
  const seen = new Set<string>();
  for (const ref of o.identities) {
    if (seen.has(ref.path)) continue;
    seen.add(ref.path);
    const key = await loadKey(ssh2, o.host, ref, o.passphrase);
    if (!key) continue;
    methods.push({ type: 'publickey', username: o.user, key });
    offered.push(`publickey ${ref.path}`);
  }
  if (o.agent) {
    methods.push({ type: 'agent', username: o.user, agent: o.agent });
    offered.push(`ssh-agent ${o.agent}`);
  }
  return { methods, offered };
}
