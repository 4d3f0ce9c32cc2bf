// etcdctl's JSON answers → typed values (ids kept as decimal strings: they are 64-bit).
import { parseEtcdJson } from './etcdctl.js';

export interface EndpointStatus {
  readonly clusterId: string;
  readonly memberId: string;
  readonly leader: string;
  readonly revision: number;
  readonly raftTerm: number;
  readonly raftIndex: number;
  readonly version: string;
  readonly dbSize: number;
  /** bytes of the db file holding live data (dbSize minus the free pages a defragment returns) */
  readonly dbSizeInUse: number;
  /** alarms this member reports ("memberID:… alarm:NOSPACE") */
  readonly errors: readonly string[];
}

export interface Member {
  readonly id: string;
  /** empty until the member has started once */
  readonly name: string;
  readonly peerUrls: readonly string[];
  readonly clientUrls: readonly string[];
  readonly isLearner: boolean;
}

export interface SnapshotStatus {
  readonly hash: number;
  readonly revision: number;
  readonly totalKey: number;
  readonly totalSize: number;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : 0);
const id = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/**
 * The member sees no leader: it lost quorum (or an election is running right now). Its
 * `endpoint health` can then only time out — a linearizable read needs a leader.
 */
export const leaderless = (s: EndpointStatus): boolean => s.leader === '' || s.leader === '0';

export function parseEndpointStatus(text: string): EndpointStatus {
  const arr = parseEtcdJson(text);
  return statusOf(obj(Array.isArray(arr) ? arr[0] : arr));
}

/** `endpoint status` of several endpoints: each answer by its endpoint (those that answered). */
export function parseEndpointStatuses(text: string): Map<string, EndpointStatus> {
  const arr = parseEtcdJson(text);
  return new Map((Array.isArray(arr) ? arr : [arr]).map((x) => [id(obj(x)['Endpoint']), statusOf(obj(x))]));
}

/** `endpoint health` of several endpoints: each answer by its endpoint. */
export function parseHealths(text: string): Map<string, { healthy: boolean; error?: string }> {
  const arr = parseEtcdJson(text);
  return new Map(
    (Array.isArray(arr) ? arr : [arr]).map((x) => {
      const o = obj(x);
      const error = typeof o['error'] === 'string' ? o['error'] : undefined;
      return [id(o['endpoint']), { healthy: o['health'] === true, ...(error ? { error } : {}) }];
    }),
  );
}

function statusOf(first: Json): EndpointStatus {
  const st = obj(first['Status']);
  const header = obj(st['header']);
  return {
    clusterId: id(header['cluster_id']),
    memberId: id(header['member_id']),
    leader: id(st['leader']),
    revision: num(header['revision']),
    raftTerm: num(st['raftTerm'] ?? header['raft_term']),
    raftIndex: num(st['raftIndex']),
    version: id(st['version']),
    dbSize: num(st['dbSize']),
    dbSizeInUse: num(st['dbSizeInUse']),
    errors: Array.isArray(st['errors']) ? (st['errors'] as unknown[]).map(String) : [],
  };
}

export function parseMembers(text: string): { clusterId: string; members: Member[] } {
  const o = obj(parseEtcdJson(text));
  const list = Array.isArray(o['members']) ? (o['members'] as unknown[]) : [];
  return {
    clusterId: id(obj(o['header'])['cluster_id']),
    members: list.map((m) => {
      const x = obj(m);
      return {
        id: id(x['ID']),
        name: typeof x['name'] === 'string' ? x['name'] : '',
        peerUrls: Array.isArray(x['peerURLs']) ? (x['peerURLs'] as string[]) : [],
        clientUrls: Array.isArray(x['clientURLs']) ? (x['clientURLs'] as string[]) : [],
        isLearner: x['isLearner'] === true,
      };
    }),
  };
}

/** `member add -w json`: the new member's id and the membership it now belongs to. */
export function parseMemberAdd(text: string): { id: string; members: Member[] } {
  const o = obj(parseEtcdJson(text));
  return { id: id(obj(o['member'])['ID']), members: parseMembers(text).members };
}

export function parseHealth(text: string): { healthy: boolean; error?: string } {
  const arr = parseEtcdJson(text);
  const first = obj(Array.isArray(arr) ? arr[0] : arr);
  const error = typeof first['error'] === 'string' ? first['error'] : undefined;
  return { healthy: first['health'] === true, ...(error ? { error } : {}) };
}

export function parseSnapshotStatus(text: string): SnapshotStatus {
  const o = obj(parseEtcdJson(text));
  return { hash: num(o['hash']), revision: num(o['revision']), totalKey: num(o['totalKey']), totalSize: num(o['totalSize']) };
}

/** `get "" --prefix --keys-only --limit=1 -w json` → the number of keys. */
export function parseCount(text: string): number {
  return num(obj(parseEtcdJson(text))['count']);
}

/** The last meaningful line of etcdctl's stderr ("Error: ..."), for messages. */
export function etcdError(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('{"level"'));
  // a garbled db makes etcdctl panic or the Go runtime die (a fault in the mmapped file): the
  // panic or fatal line says what; the stack's lines (`pkg.fn(...)`, `file.go:12 +0x1ea`,
  // `goroutine 1 [running]:`) say nothing to an operator
  const stack = (l: string): boolean =>
    /\.go:\d+( \+0x[0-9a-f]+)?( |$)/.test(l) ||
    /^goroutine \d+ \[/.test(l) ||
    /^[\w./*()-]+\(.*\)$/.test(l) ||
    /^\[signal /.test(l) ||
    /^(PC|pc)=0x/.test(l);
  const said =
    lines.find((l) => l.startsWith('Error:')) ??
    lines.find((l) => /^(panic|fatal error):/.test(l)) ??
    lines.find((l) => /^(unexpected fault address|runtime error|SIGSEGV|SIGBUS)/.test(l)) ??
    [...lines].reverse().find((l) => !stack(l)) ??
    '';
  const signal = /^fatal error:/.test(said) ? /^\[signal (SIG\w+)/.exec(lines.find((l) => l.startsWith('[signal ')) ?? '')?.[1] : undefined;
  return said.replace(/^(Error|panic|fatal error):\s*/, '').replace(/\s*\[recovered\]$/, '') + (signal ? `, ${signal}` : '');
}

/** One member's `endpoint hashkv` answer. */
export interface HashKvAnswer {
  readonly endpoint: string;
  readonly memberId: string;
  readonly revision: number;
  readonly hash: number;
  /** -1: never compacted */
  readonly compactRevision: number;
}

export function parseHashKv(text: string): HashKvAnswer[] {
  const arr = parseEtcdJson(text);
  return (Array.isArray(arr) ? arr : [arr]).map((x) => {
    const o = obj(x);
    const h = obj(o['HashKV']);
    const header = obj(h['header']);
    return {
      endpoint: id(o['Endpoint']),
      memberId: id(header['member_id']),
      revision: num(header['revision']),
      hash: num(h['hash']),
      compactRevision: num(h['compact_revision'] ?? -1),
    };
  });
}

/** etcd's AlarmType numbers, as `alarm list -w json` prints them */
const ALARMS: Record<string, string> = { '0': 'NONE', '1': 'NOSPACE', '2': 'CORRUPT' };

export interface Alarm {
  readonly memberId: string;
  readonly alarm: string;
}

export function parseAlarms(text: string): Alarm[] {
  const o = obj(parseEtcdJson(text.trim() === '' ? '{}' : text));
  const list = Array.isArray(o['alarms']) ? (o['alarms'] as unknown[]) : [];
  return list
    .map((a) => {
      const x = obj(a);
      const kind = x['alarm'];
      return {
        memberId: id(x['memberID']),
        alarm: typeof kind === 'string' ? kind : (ALARMS[String(kind ?? 0)] ?? `alarm ${String(kind)}`),
      };
    })
    .filter((a) => a.alarm !== 'NONE');
}

/** `etcd_server_quota_backend_bytes 2e+06` from /metrics → bytes */
export function parseQuota(metrics: string): number | undefined {
  const m = /^etcd_server_quota_backend_bytes\s+(\S+)/m.exec(metrics);
  const n = m ? Number(m[1]) : NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
}
