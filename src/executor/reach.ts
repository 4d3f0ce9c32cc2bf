// How a task reaches its host when the host's variables do not say: the `remote_user` and
// `connection` keywords (play, block, role, task), else the command line's -u / -c /
// --private-key. Ansible's precedence: variables (ansible_user, ansible_connection,
// ansible_ssh_private_key_file…) > keywords > command line. The keywords become the
// variables' defaults, so inventory/connection-vars.ts stays the one reading of them, and the
// run keeps one connection per host and way of reaching it (executor/run.ts).
import { connectionSettings } from '../inventory/index.js';

/** The keyword / command-line defaults of one task on one host, rendered. */
export interface Reach {
  readonly remoteUser?: string;
  readonly connection?: string;
  readonly privateKeyFile?: string;
}

/** The host's variables with the defaults under them (a set variable wins). */
export function reachVars(vars: Readonly<Record<string, unknown>>, reach: Reach | undefined): Readonly<Record<string, unknown>> {
  if (!reach || (reach.remoteUser === undefined && reach.connection === undefined && reach.privateKeyFile === undefined)) return vars;
  const set = (name: string): boolean => vars[name] !== undefined && vars[name] !== null && vars[name] !== '';
  const under: Record<string, unknown> = {};
  if (reach.remoteUser !== undefined && !['ssh_user', 'ansible_user', 'ansible_ssh_user'].some(set))
    under['ansible_user'] = reach.remoteUser;
  if (reach.connection !== undefined && !['connection', 'ansible_connection'].some(set)) under['ansible_connection'] = reach.connection;
  if (reach.privateKeyFile !== undefined && !['ssh_private_key_file', 'ansible_ssh_private_key_file', 'ansible_private_key_file'].some(set))
    under['ansible_ssh_private_key_file'] = reach.privateKeyFile;
  // the same object when no default applies: the run's pool then keys the connection by host alone
  return Object.keys(under).length ? { ...vars, ...under } : vars;
}

/** The pool key of a host's connection: one per way of reaching it (kind, user, key). */
export function reachKey(host: string, vars: Readonly<Record<string, unknown>>): string {
  const s = connectionSettings(vars, host);
  return s.kind === 'local' ? `${host}\0local` : `${host}\0ssh\0${s.user ?? ''}\0${s.privateKeyFile ?? ''}`;
}
