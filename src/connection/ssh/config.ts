// ~/.ssh/config: the subset runbook honours (Host blocks; HostName, User, Port,
// IdentityFile, ProxyJump, UserKnownHostsFile, IdentitiesOnly). First value wins, as in
// OpenSSH, except IdentityFile which accumulates. `Match` blocks apply only as `Match all`.
import { readFileSync, existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { matchPatternList } from './patterns.js';

export interface SshConfigBlock {
  /** null: applies to every host (before any Host line, or `Match all`) */
  readonly patterns: string[] | null;
  /** false for a Match block other than `Match all` */
  readonly applies: boolean;
  readonly options: Array<[keyword: string, value: string]>;
}

export interface SshHostConfig {
  hostName?: string;
  user?: string;
  port?: number;
  identityFiles: string[];
  proxyJump?: string;
  userKnownHostsFile?: string;
  identitiesOnly?: boolean;
}

function splitArgs(rest: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(rest); m; m = re.exec(rest)) out.push(m[1] ?? m[2] ?? '');
  return out;
}

export function parseSshConfig(text: string): SshConfigBlock[] {
  const blocks: SshConfigBlock[] = [{ patterns: null, applies: true, options: [] }];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
    if (!m) continue;
    const keyword = m[1]!.toLowerCase();
    const args = splitArgs(m[2] ?? '');
    if (keyword === 'host') {
      blocks.push({ patterns: args.flatMap((a) => a.split(',')).filter((p) => p !== ''), applies: true, options: [] });
    } else if (keyword === 'match') {
      const all = args.length === 1 && args[0]!.toLowerCase() === 'all';
      blocks.push({ patterns: null, applies: all, options: [] });
    } else {
      blocks[blocks.length - 1]!.options.push([keyword, args.join(' ')]);
    }
  }
  return blocks;
}

/** Effective options for `alias` (the name given to ssh), tokens left unexpanded. */
export function resolveSshConfig(blocks: readonly SshConfigBlock[], alias: string): SshHostConfig {
  const out: SshHostConfig = { identityFiles: [] };
  for (const block of blocks) {
    if (!block.applies) continue;
    if (block.patterns !== null && !matchPatternList(block.patterns, alias)) continue;
    for (const [k, v] of block.options) {
      switch (k) {
        case 'hostname':
          out.hostName ??= v;
          break;
        case 'user':
          out.user ??= v;
          break;
        case 'port': {
          const n = Number(v);
          if (out.port === undefined && Number.isInteger(n) && n > 0 && n < 65536) out.port = n;
          break;
        }
        case 'identityfile':
          if (v.toLowerCase() !== 'none') out.identityFiles.push(v);
          break;
        case 'proxyjump':
          out.proxyJump ??= v;
          break;
        case 'userknownhostsfile':
          out.userKnownHostsFile ??= v.split(' ')[0] ?? v;
          break;
        case 'identitiesonly':
          out.identitiesOnly ??= v.toLowerCase() === 'yes';
          break;
        default:
          break;
      }
    }
  }
  return out;
}

/** `~` and the %h %r %u %p %% tokens, as OpenSSH expands IdentityFile and friends. */
export function expandPath(value: string, t: { host: string; user: string; port: number }, home = homedir()): string {
  let v = value.replace(/%([%hrup])/g, (_, c: string) => {
    switch (c) {
      case 'h':
        return t.host;
      case 'r':
        return t.user;
      case 'u':
        return localUser();
      case 'p':
        return String(t.port);
      default:
        return '%';
    }
  });
  if (v === '~') v = home;
  else if (v.startsWith('~/')) v = home + v.slice(1);
  return v;
}

function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'root';
  }
}

/** Parsed config file, or no blocks when the file does not exist. */
export function loadSshConfig(file: string): SshConfigBlock[] {
  if (!existsSync(file)) return [];
  return parseSshConfig(readFileSync(file, 'utf8'));
}

export interface JumpSpec {
  readonly user?: string;
  readonly host: string;
  readonly port?: number;
}

/** `user@host:port,host2` → hops in order (first is connected to directly). */
export function parseProxyJump(value: string): JumpSpec[] {
  if (value.trim().toLowerCase() === 'none') return [];
  return value.split(',').map((part) => {
    let s = part.trim().replace(/^ssh:\/\//, '');
    let user: string | undefined;
    const at = s.lastIndexOf('@');
    if (at >= 0) {
      user = s.slice(0, at);
      s = s.slice(at + 1);
    }
    let host = s;
    let port: number | undefined;
    const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
    if (bracket) {
      host = bracket[1]!;
      if (bracket[2]) port = Number(bracket[2]);
    } else {
      const colon = /^([^:]+):(\d+)$/.exec(s);
      if (colon) {
        host = colon[1]!;
        port = Number(colon[2]);
      }
    }
    return { host, ...(user !== undefined ? { user } : {}), ...(port !== undefined ? { port } : {}) };
  });
}
