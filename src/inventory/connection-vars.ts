// How to reach a host, read from its (already templated) variables. Our own names win over
// Ansible's when both are set, so an inventory can carry both during a migration:
//   address   ssh_host             > ansible_host > ansible_ssh_host      (default: the name)
//   user      ssh_user             > ansible_user > ansible_ssh_user
//   port      ssh_port             > ansible_port > ansible_ssh_port
//   key       ssh_private_key_file > ansible_ssh_private_key_file > ansible_private_key_file
//   known     ssh_known_hosts_file
//   kind      connection           > ansible_connection   ('ssh' | 'local'; 'smart' and
//             'paramiko' mean ssh here; a localhost name with neither set is local, like
//             Ansible's implicit localhost)
//   become    ansible_become, ansible_become_user,
//             become_password > ansible_become_password > ansible_become_pass
// Password logins and extra ssh arguments are not supported: they are listed in `ignored`
// so the caller can warn instead of silently connecting differently.
import { ansibleBoolean } from '../core/boolean.js';
import type { Inventory, InventoryHost } from './model.js';
import { IMPLICIT_LOCALHOST_VARS, LOCALHOST_NAMES } from './variables.js';
import { isPyFloat } from '../core/python-float.js';

/** What a host's variables say about reaching it (connection/open.ts's ConnectionSettings is what opening needs). */
export interface HostConnectionVars {
  /** the inventory name */
  readonly host: string;
  readonly kind: 'ssh' | 'local';
  /** what to connect to: ansible_host, or the inventory name */
  readonly address: string;
  readonly user?: string;
  readonly port?: number;
  readonly privateKeyFile?: string;
  readonly knownHostsFile?: string;
  readonly become?: boolean;
  readonly becomeUser?: string;
  /** never logged */
  readonly becomePassword?: string;
  /** set variables that runbook does not honour, with why */
  readonly ignored: readonly { readonly name: string; readonly reason: string }[];
}

/** A connection variable with a value runbook cannot use. */
export class ConnectionVarsError extends Error {
  constructor(
    readonly host: string,
    readonly variable: string,
    message: string,
  ) {
    super(`host '${host}': ${message}`);
  }
}

const UNSUPPORTED: Record<string, string> = {
  ansible_password: 'password logins are not supported: use a key (ansible_ssh_private_key_file) or an ssh agent',
  ansible_ssh_pass: 'password logins are not supported: use a key (ansible_ssh_private_key_file) or an ssh agent',
  ansible_ssh_password: 'password logins are not supported: use a key (ansible_ssh_private_key_file) or an ssh agent',
  ansible_ssh_common_args: 'extra ssh arguments are not supported (runbook does not run the ssh binary)',
  ansible_ssh_extra_args: 'extra ssh arguments are not supported (runbook does not run the ssh binary)',
  ansible_ssh_args: 'extra ssh arguments are not supported (runbook does not run the ssh binary)',
  ansible_become_exe: 'become always runs sudo',
  ansible_become_flags: 'become always runs sudo with its own flags',
};

/**
 * Every variable name this file reads about reaching a host (and the interpreter's, which is the
 * host's too): a delegated task reads these from the host it is delegated to, not from the host
 * it runs for (executor/host-keywords.ts). Not `runbook_lock_file`: a delegated connection is
 * locked at the path the task's host gives (a lab's or a test's own path; the implicit localhost
 * has none, so every run delegating to it would contend for the controller's /tmp/runbook.lock).
 */
export const CONNECTION_VARS: readonly string[] = [
  'ssh_host',
  'ansible_host',
  'ansible_ssh_host',
  'ssh_user',
  'ansible_user',
  'ansible_ssh_user',
  'ssh_port',
  'ansible_port',
  'ansible_ssh_port',
  'ssh_private_key_file',
  'ansible_ssh_private_key_file',
  'ansible_private_key_file',
  'ssh_known_hosts_file',
  'connection',
  'ansible_connection',
  'ansible_become',
  'ansible_become_user',
  'ansible_become_method',
  'become_password',
  'ansible_become_password',
  'ansible_become_pass',
  ...Object.keys(UNSUPPORTED),
  'ansible_python_interpreter',
];

export function connectionSettings(vars: Readonly<Record<string, unknown>>, host: string): HostConnectionVars {
  const { pick, text } = readers(vars, host);
  const ignored: { name: string; reason: string }[] = [];
  for (const [name, reason] of Object.entries(UNSUPPORTED)) if (pick(name)) ignored.push({ name, reason });
  const method = text('ansible_become_method');
  if (method !== undefined && method !== 'sudo')
    ignored.push({ name: 'ansible_become_method', reason: `become always runs sudo, not '${method}'` });

  const out: { -readonly [K in keyof HostConnectionVars]: HostConnectionVars[K] } = {
    host,
    kind: connectionKind(host, pick('connection', 'ansible_connection')),
    address: text('ssh_host', 'ansible_host', 'ansible_ssh_host') ?? host,
    ignored,
  };
  const user = text('ssh_user', 'ansible_user', 'ansible_ssh_user');
  if (user !== undefined) out.user = user;
  const port = pick('ssh_port', 'ansible_port', 'ansible_ssh_port');
  if (port) out.port = portNumber(host, port.name, port.value);
  const key = text('ssh_private_key_file', 'ansible_ssh_private_key_file', 'ansible_private_key_file');
  if (key !== undefined) out.privateKeyFile = key;
  const known = text('ssh_known_hosts_file');
  if (known !== undefined) out.knownHostsFile = known;
  return { ...out, ...becomeSettings(vars, host) };
}

/**
 * The host's become settings from its variables — the one derivation, used for the connection
 * and by the executor for every task (which passes `render` to template them in the task's
 * scope first). ansible_become, ansible_become_user, and the password from become_password >
 * ansible_become_password > ansible_become_pass.
 */
export function becomeSettings(
  vars: Readonly<Record<string, unknown>>,
  host: string,
  render: (v: unknown) => unknown = (v) => v,
): Pick<HostConnectionVars, 'become' | 'becomeUser' | 'becomePassword'> {
  const rendered = (name: string): unknown => (vars[name] === undefined ? undefined : render(vars[name]));
  const { pick, text } = readers(
    {
      ansible_become: rendered('ansible_become'),
      ansible_become_user: rendered('ansible_become_user'),
      become_password: rendered('become_password'),
      ansible_become_password: rendered('ansible_become_password'),
      ansible_become_pass: rendered('ansible_become_pass'),
    },
    host,
  );
  const out: { -readonly [K in 'become' | 'becomeUser' | 'becomePassword']?: HostConnectionVars[K] } = {};
  const become = pick('ansible_become');
  if (become) out.become = boolean(host, become.name, become.value);
  const becomeUser = text('ansible_become_user');
  if (becomeUser !== undefined) out.becomeUser = becomeUser;
  const becomePassword = text('become_password', 'ansible_become_password', 'ansible_become_pass');
  if (becomePassword !== undefined) out.becomePassword = becomePassword;
  return out;
}

function readers(vars: Readonly<Record<string, unknown>>, host: string) {
  const pick = (...names: string[]): { name: string; value: unknown } | undefined => {
    for (const name of names) {
      const value = vars[name];
      if (value !== undefined && value !== null && value !== '') return { name, value };
    }
    return undefined;
  };
  const text = (...names: string[]): string | undefined => {
    const hit = pick(...names);
    if (!hit) return undefined;
    if (typeof hit.value === 'string' || typeof hit.value === 'number') return String(hit.value);
    throw new ConnectionVarsError(host, hit.name, `'${hit.name}' must be a string, got ${JSON.stringify(hit.value)}`);
  };
  return { pick, text };
}

/** The inventory host, or Ansible's implicit localhost for a localhost name it lacks. */
export function getHostOrImplicit(inv: Inventory, name: string): InventoryHost | undefined {
  const h = inv.hosts.get(name);
  if (h) return h;
  if (!LOCALHOST_NAMES.includes(name)) return undefined;
  return { name, vars: { ...IMPLICIT_LOCALHOST_VARS } };
}

/** Whether a host is the implicit localhost (targetable by name, in no group, not in 'all'). */
export function isImplicitHost(inv: Inventory, name: string): boolean {
  return !inv.hosts.has(name) && LOCALHOST_NAMES.includes(name);
}

/** The connections runbook has, by the names Ansible gives them ('smart' and paramiko mean ssh here). */
export const CONNECTION_KINDS: Readonly<Record<string, 'ssh' | 'local'>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, 'ssh' | 'local'>, {
    ssh: 'ssh',
    smart: 'ssh',
    paramiko: 'ssh',
    paramiko_ssh: 'ssh',
    local: 'local',
  }),
);

function connectionKind(host: string, hit: { name: string; value: unknown } | undefined): 'ssh' | 'local' {
  if (!hit) return LOCALHOST_NAMES.includes(host) ? 'local' : 'ssh';
  const kind = typeof hit.value === 'string' ? CONNECTION_KINDS[hit.value] : undefined;
  if (kind) return kind;
  throw new ConnectionVarsError(
    host,
    hit.name,
    `${hit.name}=${JSON.stringify(hit.value)} is not a connection runbook has: use 'ssh' or 'local'`,
  );
}

function portNumber(host: string, name: string, value: unknown): number {
  const n =
    typeof value === 'number' || isPyFloat(value)
      ? Number(value)
      : typeof value === 'string' && /^\s*\d+\s*$/.test(value)
        ? Number(value)
        : NaN;
  if (Number.isInteger(n) && n >= 1 && n <= 65535) return n;
  throw new ConnectionVarsError(host, name, `'${name}' must be a port number (1-65535), got ${JSON.stringify(value)}`);
}

/** Ansible's boolean() (core/boolean.ts): yes/no, true/false, on/off, 1/0, y/n, t/f in any case. */
function boolean(host: string, name: string, value: unknown): boolean {
  const b = ansibleBoolean(value);
  if (b !== undefined) return b;
  throw new ConnectionVarsError(host, name, `'${name}' must be a boolean (true/false, yes/no), got ${JSON.stringify(value)}`);
}
