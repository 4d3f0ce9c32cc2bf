// Opens the connection for one host from its (templated) variables: the inventory's
// connection variables become connection settings; the command line adds what only the
// operator knows (timeouts, accept-new, the key's passphrase).
import { CONNECTION_KINDS, connectionSettings } from '../inventory/index.js';
import type { Connection } from '../connection/types.js';
import type { ConnectionDefaults, RunOptions } from '../executor/options.js';
import { resolve } from 'node:path';
import { UsageError, type Options } from './args.js';

/** a warning about one host, said through the run's event bus (the live view, the journal) */
export type HostWarning = (host: string, message: string) => void;

export async function openHostConnection(
  host: string,
  vars: Readonly<Record<string, unknown>>,
  options: RunOptions,
  warn: HostWarning,
): Promise<Connection> {
  const s = connectionSettings(vars, host);
  // settings runbook cannot honour are said, never silently dropped
  for (const i of s.ignored) warn(host, `${i.name} is ignored: ${i.reason}`);
  const { openConnection } = await import('../connection/open.js');
  if (s.kind === 'local') return openConnection({ kind: 'local', host });
  return openConnection({
    kind: 'ssh',
    host,
    // only what the inventory says: ~/.ssh/config's HostName/Port apply otherwise
    ...(s.address !== host ? { address: s.address } : {}),
    ...(s.port !== undefined ? { port: s.port } : {}),
    ...(s.user !== undefined ? { user: s.user } : {}),
    ...(s.privateKeyFile !== undefined ? { privateKeyFile: s.privateKeyFile } : {}),
    ...(options.sshPassphrase !== undefined ? { passphrase: options.sshPassphrase } : {}),
    ...(s.knownHostsFile !== undefined ? { knownHostsFile: s.knownHostsFile } : {}),
    acceptNewHostKeys: options.acceptNewHostKeys,
    connectTimeoutMs: options.connectTimeoutMs,
  });
}

/** ansible-playbook's -u, -c, -b, --become-user, --become-method, --private-key: the lowest level (executor/reach.ts), as RunOptions' `defaults`. */
export function connectionDefaults(opts: Options, cwd: string): { defaults?: ConnectionDefaults } {
  if (opts['ask-pass']) throw new UsageError('-k/--ask-pass: password logins are not supported: use a key (--private-key) or an ssh agent');
  const method = opts['become-method'];
  if (method !== undefined && method !== 'sudo') throw new UsageError(`--become-method ${method}: become always runs sudo`);
  const conn = opts.connection;
  if (conn !== undefined && !CONNECTION_KINDS[conn]) throw new UsageError(`-c/--connection ${conn}: runbook connects with ssh or local`);
  const key = opts['private-key'] ?? opts['key-file'];
  const out: { -readonly [K in keyof ConnectionDefaults]: ConnectionDefaults[K] } = {
    ...(opts.user ? { remoteUser: opts.user } : {}),
    ...(opts.connection ? { connection: opts.connection } : {}),
    ...(opts.become ? { become: true } : {}),
    ...(opts['become-user'] ? { becomeUser: opts['become-user'] } : {}),
    ...(key ? { privateKeyFile: resolve(cwd, key) } : {}),
  };
  return Object.keys(out).length ? { defaults: out } : {};
}

/** --connect-timeout (ansible-playbook's -T/--timeout): seconds, default 10. */
export function connectTimeoutMs(opts: Options): number {
  const given = opts['connect-timeout'] ?? opts.timeout;
  const seconds = given === undefined ? 10 : Number(given);
  if (!(seconds > 0)) throw new UsageError(`--connect-timeout / -T must be a number of seconds, got '${given}'`);
  return seconds * 1000;
}
