// Processes of the lab, found and stopped by pid: pid files, liveness that does not count
// zombies (an orphaned daemon is reaped by init only some time after it died), listeners on
// the lab's addresses and every descendant of them, read from /proc (Linux).
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { sleep } from '../../core/sleep.js';

export async function readPid(file: string): Promise<number | undefined> {
  try {
    const n = Number((await readFile(file, 'utf8')).trim());
    return Number.isInteger(n) && n > 1 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** The process's state letter from /proc/<pid>/stat (R, S, D, Z…), undefined when gone. */
function stateOf(pid: number): { state: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may hold spaces and parentheses: the fields start after the last ')'
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0] ?? '?', ppid: Number(rest[1]) };
  } catch {
    return undefined;
  }
}

/** Running, not a zombie. */
export function isAlive(pid: number): boolean {
  const s = stateOf(pid);
  return s !== undefined && s.state !== 'Z' && s.state !== 'X';
}

/** The executable of a live process (`/usr/bin/etcd`), undefined when gone or a zombie. */
export function exeOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return undefined;
  }
}

export async function waitGone(pids: readonly number[], ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (!pids.some(isAlive)) return true;
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // gone already
  }
}

/** TERM, wait up to graceMs, then KILL; resolves once none is alive. Returns those that were alive. */
export async function stopPids(pids: readonly number[], graceMs = 10_000, first: NodeJS.Signals = 'SIGTERM'): Promise<number[]> {
  const alive = [...new Set(pids)].filter(isAlive);
  for (const p of alive) signal(p, first);
  if (first !== 'SIGKILL' && !(await waitGone(alive, graceMs))) for (const p of alive) signal(p, 'SIGKILL');
  await waitGone(alive, 5_000);
  return alive;
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
}

function hexToIPv4(hex: string): string {
  // /proc/net/tcp holds the address in host byte order (little endian here)
  const n = parseInt(hex, 16);
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255].join('.');
}

/** Socket inodes listening (TCP) on one of these addresses. */
function listeningInodes(addresses: ReadonlySet<string>): Set<string> {
  const inodes = new Set<string>();
  let text = '';
  try {
    text = readFileSync('/proc/net/tcp', 'utf8');
  } catch {
    return inodes;
  }
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    const local = f[1];
    if (!local || f[3] !== '0A') continue;
    const [ip] = local.split(':');
    if (ip && addresses.has(hexToIPv4(ip)) && f[9]) inodes.add(f[9]);
  }
  return inodes;
}

function socketInodesOf(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/fd`)
      .map((fd) => {
        try {
          return readlinkSync(`/proc/${pid}/fd/${fd}`);
        } catch {
          return '';
        }
      })
      .filter((l) => l.startsWith('socket:['))
      .map((l) => l.slice(8, -1));
  } catch {
    return [];
  }
}

function mentions(pid: number, needle: string): boolean {
  for (const f of ['cmdline', 'environ']) {
    try {
      if (readFileSync(`/proc/${pid}/${f}`).includes(needle)) return true;
    } catch {
      // gone, or not ours to read
    }
  }
  return false;
}

/**
 * Live processes that belong to a lab: those listening on its addresses, those whose command
 * line or environment names its directory, and all their descendants (ssh sessions, shells).
 * Never this process or its ancestors.
 */
export function labProcesses(addresses: readonly string[], dir: string): number[] {
  const mine = new Set<number>();
  for (let p: number | undefined = process.pid; p && p > 1; p = stateOf(p)?.ppid) mine.add(p);
  const pids = allPids().filter((p) => !mine.has(p) && isAlive(p));
  const inodes = listeningInodes(new Set(addresses));
  const roots = new Set<number>();
  for (const p of pids) {
    if (mentions(p, dir + '/') || (inodes.size > 0 && socketInodesOf(p).some((i) => inodes.has(i)))) roots.add(p);
  }
  return withDescendants([...roots], mine, pids);
}

/** These pids and every live descendant of theirs (skipping `exclude`). */
export function withDescendants(
  roots: readonly number[],
  exclude: ReadonlySet<number> = new Set(),
  pids: readonly number[] = allPids().filter(isAlive),
): number[] {
  const children = new Map<number, number[]>();
  for (const p of pids) {
    const pp = stateOf(p)?.ppid;
    if (pp !== undefined) children.set(pp, [...(children.get(pp) ?? []), p]);
  }
  const out = new Set<number>();
  const visit = (p: number): void => {
    if (out.has(p) || exclude.has(p)) return;
    out.add(p);
    for (const c of children.get(p) ?? []) visit(c);
  };
  for (const r of roots) visit(r);
  return [...out];
}

/** A pid listening on address:port, if any (to say who holds an address the lab needs). */
export function listenerOn(address: string, port: number): number | undefined {
  let text = '';
  try {
    text = readFileSync('/proc/net/tcp', 'utf8');
  } catch {
    return undefined;
  }
  const want = new Set<string>();
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    const [ip, portHex] = (f[1] ?? '').split(':');
    if (f[3] === '0A' && ip && (hexToIPv4(ip) === address || hexToIPv4(ip) === '0.0.0.0') && parseInt(portHex ?? '', 16) === port && f[9])
      want.add(f[9]);
  }
  if (want.size === 0) return undefined;
  for (const p of allPids()) if (socketInodesOf(p).some((i) => want.has(i))) return p;
  return -1; // listening, owner not visible
}
