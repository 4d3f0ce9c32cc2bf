// Shared by the day-2 maintenance e2e tests: junk written and deleted through the etcd3
// client (so members have space to reclaim or run out of), the journal of a run, playbook paths.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lab } from '../../src/lab/etcd-lab.js';

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
  const credentials = tls ? { rootCertificate: readFileSync(tls.caFile), certChain: readFileSync(tls.clientCertFile), privateKey: readFileSync(tls.clientKeyFile) } : undefined;
  return new Etcd3({ hosts: l.endpoints, dialTimeout: 3_000, ...(credentials ? { credentials, grpcOptions: { 'grpc.ssl_target_name_override': 'localhost' } } : {}) }) as unknown as Client;
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
  return readFileSync(join(runs, newest, 'journal.jsonl'), 'utf8').split('\n').filter((x) => x.trim() !== '').map((x) => JSON.parse(x) as Record<string, any>);
}

/** Per member: db size and size in use, from `endpoint status`. */
export async function dbSizes(l: Lab): Promise<Record<string, { dbSize: number; inUse: number; leader: boolean }>> {
  const out: Record<string, { dbSize: number; inUse: number; leader: boolean }> = {};
  for (const m of l.members) {
    const r = await l.etcdctl(['endpoint', 'status', '-w', 'json'], [m.name]);
    const st = (JSON.parse(r.stdout.replace(/(":)(\d{16,})/g, '$1"$2"')) as { Status: { dbSize: number; dbSizeInUse: number; leader: string; header: { member_id: string } } }[])[0]!.Status;
    out[m.name] = { dbSize: st.dbSize, inUse: st.dbSizeInUse, leader: st.leader === st.header.member_id };
  }
  return out;
}
