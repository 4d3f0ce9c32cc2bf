// Shared by the day-2 maintenance e2e tests: junk written and deleted through the etcd3
// client (so members have space to reclaim or run out of), the journal of a run, playbook paths.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lab } from '../../src/lab/etcd/index.js';

export const pb = (n: string): string => fileURLToPath(new URL(`../../playbooks/${n}.yml`, import.meta.url));

interface Kv {
  txn(req: { success: unknown[] }, o?: { deadline: Date }): Promise<unknown>;
}
interface Client {
  readonly kv: Kv;
  delete(): { prefix(p: string): { exec(): Promise<unknown> } };
  put(k: string): { value(v: string): { exec(): Promise<unknown> } };
  close(): void;
}

export async function client(l: Lab): Promise<Client> {
  const { Etcd3 } = await import('etcd3');
  const tls = l.tls;
  const credentials = tls
    ? {
        rootCertificate: readFileSync(tls.caFile),
        certChain: readFileSync(tls.clientCertFile),
        privateKey: readFileSync(tls.clientKeyFile),
      }
    : undefined;
  return new Etcd3({
    hosts: l.endpoints,
    dialTimeout: 3_000,
    ...(credentials ? { credentials, grpcOptions: { 'grpc.ssl_target_name_override': 'localhost' } } : {}),
  }) as unknown as Client;
}

/** `count` keys under `prefix` with `bytes`-byte values, in transactions of 100. */
export async function writeJunk(l: Lab, prefix: string, count: number, bytes: number): Promise<void> {
  const c = await client(l);
  const value = Buffer.alloc(bytes, 'x');
  try {
    for (let i = 0; i < count; i += 100) {
      const ops = [];
      for (let j = i; j < Math.min(count, i + 100); j++) ops.push({ request_put: { key: Buffer.from(`${prefix}${j}`), value } });
      await c.kv.txn({ success: ops });
    }
  } finally {
    c.close();
  }
}

export async function deletePrefix(l: Lab, prefix: string): Promise<void> {
  const c = await client(l);
  try {
    await c.delete().prefix(prefix).exec();
  } finally {
    c.close();
  }
}

/** The events of the newest run's journal under stateDir. */
export function journal(stateDir: string): Record<string, any>[] {
  const runs = join(stateDir, 'runs');
  const newest = readdirSync(runs).sort().pop()!;
  return readFileSync(join(runs, newest, 'journal.jsonl'), 'utf8')
    .split('\n')
    .filter((x) => x.trim() !== '')
    .map((x) => JSON.parse(x) as Record<string, any>);
}

/** Per member: db size and size in use, leader or not and the raft term, from `endpoint status`. */
export async function dbSizes(l: Lab): Promise<Record<string, { dbSize: number; inUse: number; leader: boolean; term: number }>> {
  const out: Record<string, { dbSize: number; inUse: number; leader: boolean; term: number }> = {};
  for (const m of l.members) {
    const r = await l.etcdctl(['endpoint', 'status', '-w', 'json'], [m.name]);
    const st = (
      JSON.parse(r.stdout.replace(/(":)(\d{16,})/g, '$1"$2"')) as {
        Status: { dbSize: number; dbSizeInUse: number; leader: string; raftTerm: number; header: { member_id: string } };
      }[]
    )[0]!.Status;
    out[m.name] = { dbSize: st.dbSize, inUse: st.dbSizeInUse, leader: st.leader === st.header.member_id, term: st.raftTerm };
  }
  return out;
}

/** The leader and its raft term, as the members answer now. */
export async function leaderNow(l: Lab): Promise<{ leader: string; term: number }> {
  const s = await dbSizes(l);
  const leader = Object.keys(s).find((m) => s[m]!.leader);
  if (!leader) throw new Error(`no leader: ${JSON.stringify(s)}`);
  return { leader, term: s[leader]!.term };
}

/**
 * The leader a run's `etcd_status` task (named `task`) found, with the raft term of that
 * reading. Raft has one leader a term, so when `before` (read by the test just before the run)
 * has the same term, the run must have found the same leader; a different term means an election
 * in between (a loaded machine), and the run's own reading is the one its order follows.
 */
export function runLeader(events: Record<string, any>[], task: string, before: { leader: string; term: number }): string {
  const st = events
    .filter((e) => e['type'] === 'host-result' && e['task'] === task)
    .map((e) => e['result']?.data?.ansible_facts?.etcd_status ?? e['result']?.ansible_facts?.etcd_status);
  const leaders = st.filter((x) => x?.is_leader);
  if (leaders.length !== 1) throw new Error(`${task}: ${leaders.length} members said they lead: ${JSON.stringify(st)}`);
  const found = leaders[0] as { name: string; raft_term: number };
  if (found.raft_term === before.term && found.name !== before.leader)
    throw new Error(`${task}: found ${found.name} leading in term ${found.raft_term}, but ${before.leader} led that term`);
  return found.name;
}
