// One authenticated ssh2 Client: host key checked against known_hosts before anything
// else, credentials offered in order, every failure turned into a typed ConnectError.
// ProxyJump chains are built by connecting each hop through the previous one's forwardOut.
import type { Client, ServerHostKeyAlgorithm } from 'ssh2';
import type { Duplex } from 'node:stream';
import { ConnectError, type ConnectFailure } from '../types.js';
import { classifyConnectError, connectError, describeConnectFailure, oneLine } from '../errors.js';
import {
  appendKnownHost,
  checkHostKey,
  entriesFor,
  fingerprint,
  hostKeyName,
  knownHostsLine,
  knownKeyTypes,
  readKnownHostsFile,
} from './known-hosts.js';
import { planAuth, type IdentityRef } from './auth.js';

type Ssh2 = typeof import('ssh2');

export interface HopTarget {
  /** inventory name, for messages */
  readonly host: string;
  readonly address: string;
  readonly port: number;
  readonly user: string;
  readonly identities: readonly IdentityRef[];
  readonly passphrase?: string;
  readonly agent?: string;
  readonly knownHostsFile: string;
  readonly acceptNewHostKeys: boolean;
  readonly connectTimeoutMs: number;
}

const HOST_KEY_ALGOS: readonly ServerHostKeyAlgorithm[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/** Put the algorithms of the key types already recorded for the host first. */
function hostKeyOrder(knownTypes: readonly string[]): ServerHostKeyAlgorithm[] {
  const preferred = HOST_KEY_ALGOS.filter((a) => knownTypes.some((t) => t === a || (t === 'ssh-rsa' && a.startsWith('rsa-sha2'))));
  return [...preferred, ...HOST_KEY_ALGOS.filter((a) => !preferred.includes(a))];
}

/** The host key each client's server proved it holds (checked or newly accepted), for an external ssh to pin. */
const verifiedKeys = new WeakMap<Client, Buffer>();

export function verifiedHostKey(c: Client): Buffer | undefined {
  return verifiedKeys.get(c);
}

export function targetLabel(t: { address: string; port: number }): string {
  return `${t.address}:${t.port}`;
}

export async function connectHop(ssh2: Ssh2, t: HopTarget, sock?: Duplex): Promise<Client> {
  const auth = await planAuth(ssh2, {
    host: t.host,
    user: t.user,
    identities: t.identities,
    ...(t.passphrase !== undefined ? { passphrase: t.passphrase } : {}),
    ...(t.agent !== undefined ? { agent: t.agent } : {}),
  });
  const name = hostKeyName(t.address, t.port);
  const entries = entriesFor(readKnownHostsFile(t.knownHostsFile), [name]);
  const address = targetLabel(t);
  let hostFailure: ConnectFailure | undefined;
  let accepted: Buffer | undefined;

  const hostVerifier = (key: Buffer): boolean => {
    const v = checkHostKey(entries, [name], key);
    const offered = fingerprint(key);
    switch (v.status) {
      case 'ok':
        accepted = key;
        return true;
      case 'unknown':
        if (t.acceptNewHostKeys) {
          appendKnownHost(t.knownHostsFile, knownHostsLine(name, key));
          accepted = key;
          return true;
        }
        hostFailure = { reason: 'host-key-unknown', host: t.host, address, offered, knownHostsFile: t.knownHostsFile };
        return false;
      case 'mismatch':
        hostFailure = {
          reason: 'host-key-mismatch',
          host: t.host,
          address,
          expected: v.expected,
          offered,
          knownHostsFile: `${t.knownHostsFile} line ${v.line}`,
        };
        return false;
      case 'revoked':
        hostFailure = {
          reason: 'other',
          host: t.host,
          detail: `${address}: host key ${offered} is marked @revoked in ${t.knownHostsFile} line ${v.line}`,
        };
        return false;
    }
  };

  const client = new ssh2.Client();
  return new Promise<Client>((resolve, reject) => {
    let settled = false;
    const fail = (f: ConnectFailure): void => {
      if (settled) return;
      settled = true;
      client.end();
      reject(connectError(f));
    };
    client.once('ready', () => {
      settled = true;
      if (accepted) verifiedKeys.set(client, accepted);
      resolve(client);
    });
    client.on('error', (e: Error & { level?: string }) => {
      if (hostFailure) return fail(hostFailure);
      if (e.level === 'client-authentication') {
        const tried = auth.offered.length > 0 ? `tried ${auth.offered.join(', ')}` : 'no key file, ssh-agent or default identity to offer';
        return fail({ reason: 'auth', host: t.host, user: t.user, detail: `no credential was accepted (${tried})` });
      }
      fail(classifyConnectError(e, { host: t.host, address, timeoutMs: t.connectTimeoutMs }));
    });
    client.once('close', () => {
      if (hostFailure) return fail(hostFailure);
      fail({ reason: 'closed', host: t.host, detail: `${address} closed the connection during the handshake` });
    });
    client.connect({
      host: t.address,
      port: t.port,
      username: t.user,
      ...(sock ? { sock } : {}),
      readyTimeout: t.connectTimeoutMs,
      keepaliveInterval: 15_000,
      keepaliveCountMax: 3,
      hostVerifier,
      algorithms: { serverHostKey: hostKeyOrder(knownKeyTypes(entries, [name])) },
      authHandler: auth.methods,
    });
  });
}

function forward(via: Client, to: HopTarget): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    via.forwardOut('127.0.0.1', 0, to.address, to.port, (err, stream) => {
      if (err) reject(err);
      else resolve(stream);
    });
  });
}

/**
 * Connect `target` through `jumps` (in order). Returns every client opened, the target's
 * last; a failing jump host is reported as a `proxy` failure naming it.
 */
export async function connectChain(ssh2: Ssh2, jumps: readonly HopTarget[], target: HopTarget): Promise<Client[]> {
  const clients: Client[] = [];
  const closeAll = (): void => {
    for (const c of [...clients].reverse()) c.end();
  };
  const jumpName = (j: HopTarget): string => `${j.user}@${targetLabel(j)}`;
  for (let i = 0; i < jumps.length; i++) {
    const hop = jumps[i]!;
    let sock: Duplex | undefined;
    try {
      const prev = clients[clients.length - 1];
      sock = prev ? await forward(prev, hop) : undefined;
      clients.push(await connectHop(ssh2, hop, sock));
    } catch (e) {
      closeAll();
      const detail = e instanceof ConnectError ? describeConnectFailure(e.failure).replace(/^[^:]*: /, '') : oneLine(String(e));
      throw connectError({ reason: 'proxy', host: target.host, jump: jumpName(hop), detail });
    }
  }
  const last = clients[clients.length - 1];
  let sock: Duplex | undefined;
  if (last) {
    try {
      sock = await forward(last, target);
    } catch (e) {
      closeAll();
      const j = jumps[jumps.length - 1]!;
      const msg = oneLine(e instanceof Error ? e.message : String(e)).replace(/^\(SSH\) Channel open failure: /, '');
      throw connectError({ reason: 'proxy', host: target.host, jump: jumpName(j), detail: `cannot reach ${targetLabel(target)}: ${msg}` });
    }
  }
  try {
    clients.push(await connectHop(ssh2, target, sock));
  } catch (e) {
    closeAll();
    throw e;
  }
  return clients;
}
