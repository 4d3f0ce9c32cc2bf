// The one entry point the executor uses to reach a host. ssh2 is loaded only here, and
// only when a host actually uses ssh (CLI cold start matters).
import type { Connection } from './types.js';
import { LocalConnection } from './local.js';
import { SshConnection } from './ssh/connection.js';
import { connectChain } from './ssh/client.js';
import { resolveSsh, type SshSettings } from './ssh/settings.js';

export type { SshSettings } from './ssh/settings.js';

export interface LocalSettings {
  host: string;
  kind: 'local';
}

export type ConnectionSettings = ({ kind: 'ssh' } & SshSettings) | LocalSettings;

type Ssh2 = typeof import('ssh2');

let ssh2Module: Promise<Ssh2> | undefined;

function loadSsh2(): Promise<Ssh2> {
  ssh2Module ??= import('ssh2').then((m) => ((m as { default?: Ssh2 }).default ?? m) as Ssh2);
  return ssh2Module;
}

/** Connect (ssh: host key verified and authenticated) or throw a ConnectError. */
export async function openConnection(s: ConnectionSettings): Promise<Connection> {
  if (s.kind === 'local') return new LocalConnection(s.host);
  const { target, jumps } = resolveSsh(s);
  const ssh2 = await loadSsh2();
  const clients = await connectChain(ssh2, jumps, target);
  return new SshConnection(s.host, clients, target.user, s.maxShells ?? 4, [...jumps, target]);
}
