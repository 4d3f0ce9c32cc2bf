// An OpenSSH client command line that reaches a host the way runbook's own connection did
// (synchronize's `rsync -e`): the same address, port, user, key files and agent, jump hosts as
// nested ProxyCommands, and every hop pinned to the host key runbook verified for it. The
// external ssh reads no ssh config (runbook already applied it) and no known_hosts but the pin,
// never prompts (BatchMode), so it accepts no key runbook would refuse and never hangs on a question.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExternalSsh } from '../types.js';
import type { HopTarget } from './client.js';
import { hostKeyName, keyTypeOfBlob, knownHostsLine } from './known-hosts.js';
import { quoteArgv } from '../quote.js';

/** One hop of the route and the host key its server proved it holds. */
export interface PinnedHop {
  readonly hop: HopTarget;
  readonly hostKey: Buffer;
}

/** ssh expands %-tokens in these options' values: a literal % is %%. */
const literal = (v: string): string => v.replace(/%/g, '%%');

/** The host key algorithms that can verify a key of this type. */
function algorithmsFor(type: string): string {
  return type === 'ssh-rsa' ? 'rsa-sha2-512,rsa-sha2-256,ssh-rsa' : type;
}

/** `host:port` for -W, bracketing an IPv6 address. */
function forwardTo(t: HopTarget): string {
  return `${t.address.includes(':') ? `[${t.address}]` : t.address}:${t.port}`;
}

/** ssh's options for one hop (no port, user or destination), pinned to its key in `knownHosts`. */
export function hopOptions(h: PinnedHop, knownHosts: string): string[] {
  const t = h.hop;
  // the keys runbook offered: an inventory key always, an ssh-config one when it exists; none
  // configured: ssh's own default identities, as runbook's
  const keys = t.identities.filter((i) => i.source === 'settings' || (i.source === 'config' && existsSync(i.path)));
  const opts: [string, string][] = [
    ['ControlPath', 'none'],
    ['BatchMode', 'yes'],
    ['StrictHostKeyChecking', 'yes'],
    ['UserKnownHostsFile', literal(knownHosts)],
    ['GlobalKnownHostsFile', '/dev/null'],
    ['CheckHostIP', 'no'],
    ['UpdateHostKeys', 'no'],
    ['HostKeyAlgorithms', algorithmsFor(keyTypeOfBlob(h.hostKey))],
    ['ConnectTimeout', String(Math.max(1, Math.ceil(t.connectTimeoutMs / 1000)))],
    ['IdentityAgent', t.agent !== undefined ? literal(t.agent) : 'none'],
  ];
  return ['-F', '/dev/null', ...opts.flatMap(([k, v]) => ['-o', `${k}=${v}`]), ...keys.flatMap((k) => ['-i', literal(k.path)])];
}

/** The ProxyCommand that reaches `to` through `jumps` (in order), or none without jumps. */
function proxyCommand(jumps: readonly PinnedHop[], to: HopTarget, knownHosts: string): string | undefined {
  const last = jumps[jumps.length - 1];
  if (!last) return undefined;
  const inner = proxyCommand(jumps.slice(0, -1), last.hop, knownHosts);
  const argv = [
    'ssh',
    ...hopOptions(last, knownHosts),
    ...(inner !== undefined ? ['-o', `ProxyCommand=${inner}`] : []),
    '-p',
    String(last.hop.port),
    '-l',
    last.hop.user,
    '-W',
    forwardTo(to),
    last.hop.address,
  ];
  return literal(quoteArgv(argv));
}

/** The ssh argv (without port, user and destination) for `route`: the jumps in order, the target last. */
export function externalSshArgv(route: readonly PinnedHop[], knownHosts: string): string[] {
  const target = route[route.length - 1];
  if (!target) throw new Error('an ssh route needs its target');
  const proxy = proxyCommand(route.slice(0, -1), target.hop, knownHosts);
  return ['ssh', ...hopOptions(target, knownHosts), ...(proxy !== undefined ? ['-o', `ProxyCommand=${proxy}`] : [])];
}

/** The pin file: exactly one line per hop, the key runbook verified, under the name ssh looks up. */
export function pinnedKnownHosts(route: readonly PinnedHop[]): string {
  return route.map((h) => knownHostsLine(hostKeyName(h.hop.address, h.hop.port), h.hostKey) + '\n').join('');
}

/** Write the pin into a private temporary directory; `dispose` removes it. */
export async function externalSsh(route: readonly PinnedHop[]): Promise<ExternalSsh & { dispose(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'runbook-ssh-'));
  const knownHosts = join(dir, 'known_hosts');
  await writeFile(knownHosts, pinnedKnownHosts(route), { mode: 0o600 });
  const target = route[route.length - 1]!.hop;
  return {
    argv: externalSshArgv(route, knownHosts),
    address: target.address,
    port: target.port,
    user: target.user,
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
