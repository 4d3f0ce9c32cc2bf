// Inventory settings + ~/.ssh/config → the hops to connect. Explicit (inventory) values win
// over ssh config, which wins over defaults, as with Ansible.
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { HopTarget } from './client.js';
import { defaultIdentities, type IdentityRef } from './auth.js';
import { expandPath, loadSshConfig, parseProxyJump, resolveSshConfig, type SshConfigBlock } from './config.js';

export interface SshSettings {
  /** inventory name */
  host: string;
  /** address to connect to; default: ssh config HostName, else the inventory name */
  address?: string;
  /** default: ssh config Port, else 22 */
  port?: number;
  /** default: ssh config User, else the local user */
  user?: string;
  privateKeyFile?: string;
  /** for an encrypted private key (the CLI fills it from RUNBOOK_SSH_PASSPHRASE) */
  passphrase?: string;
  /** default: ssh config UserKnownHostsFile, else ~/.ssh/known_hosts */
  knownHostsFile?: string;
  acceptNewHostKeys: boolean;
  connectTimeoutMs: number;
  /** default ~/.ssh/config; a missing file is fine */
  sshConfigFile?: string;
  /** `user@host:port[,…]`; default: ssh config ProxyJump */
  proxyJump?: string;
  /** ssh-agent socket; default SSH_AUTH_SOCK; false: no agent */
  agent?: string | false;
  /** framed shells per host (parallel commands), default 4 */
  maxShells?: number;
}

export interface ResolvedSsh {
  readonly target: HopTarget;
  readonly jumps: HopTarget[];
}

function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'root';
  }
}

function identitiesFrom(files: readonly string[], t: { host: string; user: string; port: number }, home: string): IdentityRef[] {
  return files.map((f) => ({ path: expandPath(f, t, home), source: 'config' as const }));
}

export function resolveSsh(s: SshSettings, home = homedir()): ResolvedSsh {
  const blocks: SshConfigBlock[] = loadSshConfig(s.sshConfigFile ?? join(home, '.ssh', 'config'));
  const alias = s.address ?? s.host;
  const cfg = resolveSshConfig(blocks, alias);
  const port = s.port ?? cfg.port ?? 22;
  const user = s.user ?? cfg.user ?? localUser();
  const address = cfg.hostName !== undefined ? expandPath(cfg.hostName, { host: alias, user, port }, home) : alias;
  const tokens = { host: address, user, port };
  const configured: IdentityRef[] = [
    ...(s.privateKeyFile !== undefined ? [{ path: expandPath(s.privateKeyFile, tokens, home), source: 'settings' as const }] : []),
    ...identitiesFrom(cfg.identityFiles, tokens, home),
  ];
  const identities = configured.length > 0 ? configured : defaultIdentities(home);
  const agentSock = process.env['SSH_AUTH_SOCK'];
  const agent = s.agent === false ? undefined : (s.agent ?? (agentSock !== undefined && agentSock !== '' ? agentSock : undefined));
  const knownHostsFile =
    s.knownHostsFile ??
    (cfg.userKnownHostsFile !== undefined ? expandPath(cfg.userKnownHostsFile, tokens, home) : join(home, '.ssh', 'known_hosts'));
  const common = {
    ...(s.passphrase !== undefined ? { passphrase: s.passphrase } : {}),
    ...(agent !== undefined ? { agent } : {}),
    knownHostsFile,
    acceptNewHostKeys: s.acceptNewHostKeys,
    connectTimeoutMs: s.connectTimeoutMs,
  };
  const target: HopTarget = { host: s.host, address, port, user, identities, ...common };
  const jumpSpec = s.proxyJump ?? cfg.proxyJump;
  const jumps = (jumpSpec !== undefined ? parseProxyJump(jumpSpec) : []).map((j): HopTarget => {
    const jc = resolveSshConfig(blocks, j.host);
    const jport = j.port ?? jc.port ?? 22;
    const juser = j.user ?? jc.user ?? user;
    const jaddress = jc.hostName !== undefined ? expandPath(jc.hostName, { host: j.host, user: juser, port: jport }, home) : j.host;
    const jids = identitiesFrom(jc.identityFiles, { host: jaddress, user: juser, port: jport }, home);
    return {
      host: s.host,
      address: jaddress,
      port: jport,
      user: juser,
      identities: jids.length > 0 ? [...jids, ...identities] : identities,
      ...common,
    };
  });
  return { target, jumps };
}
