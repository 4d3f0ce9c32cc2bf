// The lab's test data: K keys /lab/key/000001… with values derived from their number (so
// verify needs nothing but K), a sentinel /lab/sentinel holding K, and with --v2 K/10 keys of
// the v2 API under /lab-v2/. Writes go through the etcd3 client in transactions of 128 puts
// (etcd's default --max-txn-ops), several in flight: thousands of keys take about a second.
import type { LabTls } from './model.js';
import { LabError } from '../sshd.js';

export const KEY_PREFIX = '/lab/key/';
export const SENTINEL = '/lab/sentinel';
export const V2_DIR = '/lab-v2';
const TXN_OPS = 128;
const IN_FLIGHT = 8;

export function labKey(i: number): string {
  return KEY_PREFIX + String(i).padStart(6, '0');
}

/** A value only key i has: its number and an FNV-1a digest of it, about 60 bytes. */
export function labValue(i: number): string {
  let h = 0x811c9dc5;
  for (const c of `runbook-lab:${i}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  const hex = h.toString(16).padStart(8, '0');
  return `value ${String(i).padStart(6, '0')} ${hex.repeat(6)}`;
}

export function v2Count(keys: number): number {
  return keys > 0 ? Math.max(1, Math.floor(keys / 10)) : 0;
}

export function v2Key(i: number): string {
  return `${V2_DIR}/${String(i).padStart(6, '0')}`;
}

interface Client {
  readonly kv: { txn(req: { success: { request_put: { key: Buffer; value: Buffer } }[] }, options?: { deadline: Date }): Promise<unknown> };
  close(): void;
}

async function client(endpoints: readonly string[], tls: LabTls | undefined): Promise<Client> {
  const { Etcd3 } = await import('etcd3');
  const { readFile } = await import('node:fs/promises');
  const credentials = tls
    ? {
        rootCertificate: await readFile(tls.caFile),
        certChain: await readFile(tls.clientCertFile),
        privateKey: await readFile(tls.clientKeyFile),
      }
    : undefined;
  // TLS to an IP address: grpc would send the IP as SNI (Node warns, RFC 6066 forbids it);
  // every lab certificate also names localhost, so that name is verified instead
  const grpcOptions = credentials ? { grpcOptions: { 'grpc.ssl_target_name_override': 'localhost' } } : {};
  return new Etcd3({
    hosts: [...endpoints],
    dialTimeout: 3_000,
    ...(credentials ? { credentials } : {}),
    ...grpcOptions,
  }) as unknown as Client;
}

/** Puts keys first..last (and the sentinel = last), in transactions, each with a deadline. */
export async function writeKeys(
  endpoints: readonly string[],
  tls: LabTls | undefined,
  first: number,
  last: number,
  timeoutMs = 30_000,
): Promise<void> {
  if (endpoints.length === 0) throw new LabError('no etcd member is running: nothing to write to');
  const c = await client(endpoints, tls);
  const deadline = new Date(Date.now() + timeoutMs);
  const batches: [number, number][] = [];
  for (let i = first; i <= last; i += TXN_OPS) batches.push([i, Math.min(last, i + TXN_OPS - 1)]);
  const put = (k: string, v: string): { request_put: { key: Buffer; value: Buffer } } => ({
    request_put: { key: Buffer.from(k), value: Buffer.from(v) },
  });
  try {
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let b = batches[next++]; b; b = batches[next++]) {
        const ops = [];
        for (let i = b[0]; i <= b[1]; i++) ops.push(put(labKey(i), labValue(i)));
        await c.kv.txn({ success: ops }, { deadline });
      }
    };
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, batches.length) }, worker));
    await c.kv.txn({ success: [put(SENTINEL, String(last))] }, { deadline });
  } catch (e) {
    throw new LabError(`writing keys failed (no quorum?): ${(e as Error).message.split('\n')[0]}`);
  } finally {
    c.close();
  }
}
