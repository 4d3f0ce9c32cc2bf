// The v2 API of the lab (ETCD_ENABLE_V2=true): v2 keys live in a store of their own, which a
// v3 snapshot does not carry — a recovery that must keep them has to know. Plain HTTP(S)
// with keep-alive; the members' client URLs, tried in turn.
import { readFile } from 'node:fs/promises';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { labValue, v2Key, V2_DIR } from './data.js';
import type { LabTls } from './model.js';
import { LabError } from '../sshd.js';

interface Http {
  call(base: string, method: string, path: string, body?: string): Promise<{ status: number; text: string }>;
  close(): void;
}

async function http(tls: LabTls | undefined): Promise<Http> {
  const opts = tls
    ? { ca: await readFile(tls.caFile), cert: await readFile(tls.clientCertFile), key: await readFile(tls.clientKeyFile) }
    : {};
  const agent = tls ? new HttpsAgent({ keepAlive: true, maxSockets: 8, ...opts }) : new HttpAgent({ keepAlive: true, maxSockets: 8 });
  return {
    call: (base, method, path, body) =>
      new Promise((resolve, reject) => {
        const url = new URL(path, base);
        const req = (tls ? httpsRequest : httpRequest)(
          url,
          {
            method,
            agent,
            timeout: 5_000,
            ...(tls ? { servername: '' } : {}),
            headers:
              body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (text += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          },
        );
        req.on('timeout', () => req.destroy(new Error(`timed out (${method} ${url.href})`)));
        req.on('error', reject);
        req.end(body);
      }),
    close: () => agent.destroy(),
  };
}

/** Writes v2 keys 1..n under /lab-v2/ through the first endpoint that answers. */
export async function writeV2Keys(endpoints: readonly string[], tls: LabTls | undefined, n: number): Promise<void> {
  const h = await http(tls);
  try {
    let next = 1;
    let base = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i <= n; i = next++) {
        for (;;) {
          const url = endpoints[base];
          if (url === undefined) throw new LabError('writing v2 keys failed: no endpoint answered');
          try {
            const r = await h.call(url, 'PUT', `/v2/keys${v2Key(i)}`, `value=${encodeURIComponent(labValue(i))}`);
            if (r.status === 200 || r.status === 201) break;
            throw new LabError(`writing v2 key ${v2Key(i)}: HTTP ${r.status} ${r.text.trim().slice(0, 200)}`);
          } catch (e) {
            if (e instanceof LabError) throw e;
            base++; // this endpoint does not answer: the next one
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, n) }, worker));
  } finally {
    h.close();
  }
}

export type V2Read = { readonly ok: true; readonly kvs: ReadonlyMap<string, string> } | { readonly ok: false; readonly error: string };

/** Quorum read of every v2 key under /lab-v2. */
export async function readV2Keys(endpoints: readonly string[], tls: LabTls | undefined): Promise<V2Read> {
  const h = await http(tls);
  let error = 'no endpoint';
  try {
    for (const url of endpoints) {
      try {
        const r = await h.call(url, 'GET', `/v2/keys${V2_DIR}?recursive=true&quorum=true`);
        if (r.status === 404) return { ok: true, kvs: new Map() };
        if (r.status !== 200) {
          error = `HTTP ${r.status} ${r.text.trim().slice(0, 200)}`;
          continue;
        }
        const body = JSON.parse(r.text) as { node?: { nodes?: { key: string; value?: string }[] } };
        return { ok: true, kvs: new Map((body.node?.nodes ?? []).map((n) => [n.key, n.value ?? ''])) };
      } catch (e) {
        error = (e as Error).message;
      }
    }
    return { ok: false, error };
  } finally {
    h.close();
  }
}
