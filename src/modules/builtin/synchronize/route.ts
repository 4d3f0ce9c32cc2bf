// Where synchronize's rsync runs and what its two paths are, as ansible.posix's action plugin
// decides: on the controller, to the host over an ssh that reaches it as runbook's connection
// does (pinned to the host key runbook verified); or, when the host is the machine rsync runs on
// (a local connection, delegate_to the host itself), on that machine with two local paths.
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { Become, Connection, ExternalSsh } from '../../../connection/types.js';
import { LocalConnection } from '../../../connection/local.js';
import { quote } from '../../../connection/quote.js';
import type { SynchronizeArgs } from '../../generated/args.js';
import type { ModuleContext } from '../../types.js';
import { findControllerFile, searchDirs } from '../../support/files.js';
import type { RsyncEnds } from './argv.js';

export interface Route extends Omit<RsyncEnds, 'dryRun'> {
  /** the machine rsync runs on */
  readonly runner: Connection;
  /** become on that machine: only when both paths are on it (otherwise become is --rsync-path's sudo) */
  readonly become?: Become;
}

/**
 * A path on the controller (Ansible's _get_absolute_path): `host:path`, URLs and absolute paths
 * as they are; `~` the controller user's home; relative ones in the role's or the playbook's
 * files/, then their directory, a trailing slash kept (it means "the directory's contents").
 */
export function controllerPath(ctx: Pick<ModuleContext, 'playbookDir' | 'roleDir'>, path: string, home = homedir()): string {
  if (path.includes(':') || path.startsWith('/')) return path;
  if (path === '~' || path.startsWith('~/')) return home + path.slice(1);
  const found = findControllerFile(searchDirs(ctx), path, 'files') ?? resolve(ctx.playbookDir, path);
  return path.endsWith('/') && !found.endsWith('/') ? `${found}/` : found;
}

/** rsync's `[user@]host:path` for a path on the host (Ansible's _format_rsync_rsh_target). */
export function hostPath(address: string, path: string, user: string | undefined): string {
  if (path.startsWith('rsync://')) return path;
  const prefix = user !== undefined && user !== '' ? `${user}@` : '';
  if (address.includes(':')) return `[${prefix}${address}]:${path}`;
  if (!path.includes(':')) return `${prefix}${address}:${path}`;
  if (!path.includes('@')) return `${prefix}${path}`;
  return path;
}

/** ssh for rsync's -e: the connection's pinned command, the task's key first, the port last. */
export function rshArgv(ext: ExternalSsh, privateKey: string | undefined, port: number): string[] {
  const [ssh = 'ssh', ...opts] = ext.argv;
  return [ssh, ...(privateKey !== undefined ? ['-i', privateKey] : []), ...opts, '-o', `Port=${port}`];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The route for this task on this host, or why synchronize cannot run here. */
export async function routeOf(ctx: ModuleContext, a: SynchronizeArgs): Promise<Route | { error: string }> {
  const rsync = str(ctx.vars['ansible_rsync_path']) ?? 'rsync';
  const local = (p: string): string => controllerPath(ctx, p);
  const sameMachine = (runner: Connection): Route => ({
    runner,
    ...(ctx.become ? { become: ctx.become } : {}),
    rsync,
    src: local(a.src),
    dest: local(a.dest),
    ...(a.rsync_path !== undefined ? { rsyncPath: a.rsync_path } : {}),
  });
  const delegate = ctx.delegateTo;
  const hostIds = [ctx.host, str(ctx.vars['ansible_host'])];
  // the host itself is where rsync runs: both paths are on it
  if (delegate !== undefined && hostIds.includes(delegate)) return sameMachine(ctx.conn);
  if (delegate === undefined && ctx.conn.kind === 'local') return sameMachine(ctx.conn);
  if (delegate !== undefined && ctx.conn.kind !== 'local')
    return {
      error: `synchronize delegated to ${delegate}: runbook runs rsync only from the controller (delegate_to another host would have rsync there reach ${ctx.host} with keys and a host key check runbook cannot vouch for)`,
    };
  const host = delegate === undefined ? ctx.conn : await (ctx.hostConn?.() ?? Promise.resolve(ctx.conn));
  if (host.kind === 'local' || !host.externalSsh) return sameMachine(new LocalConnection('localhost'));
  // rsync's ssh always checks the host key runbook verified, whatever verify_host says (Ansible's
  // default false would accept any key), and never multiplexes (ControlPath=none, no ssh config):
  // ssh_connection_multiplexing has nothing to share a connection with
  const ext = await host.externalSsh();
  const user = a.set_remote_user ? ext.user : undefined;
  const remote = (p: string): string => hostPath(ext.address, p, user);
  const pull = a.mode === 'pull';
  // with become, the host's rsync runs through sudo (passwordless, as Ansible's: rsync cannot give sudo a password)
  const rsyncPath = a.rsync_path ?? (ctx.become ? `sudo -u ${quote(ctx.become.user)} rsync` : undefined);
  return {
    runner: new LocalConnection('localhost'),
    rsync,
    src: pull ? remote(a.src) : local(a.src),
    dest: pull ? local(a.dest) : remote(a.dest),
    // private_key is a path as Ansible's `type: path` reads it: ~ expanded, a relative one from where rsync runs
    rsh: rshArgv(ext, a.private_key?.replace(/^~(?=\/|$)/, homedir()), a.dest_port ?? ext.port),
    ...(rsyncPath !== undefined ? { rsyncPath } : {}),
  };
}
