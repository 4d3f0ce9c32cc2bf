// etcdctl (API v3) against the lab's endpoints: health, per-endpoint status and key counts
// (both answer without quorum), and reads. JSON output; member ids are 64-bit, so they are
// kept as strings rather than rounded through a JavaScript number.
import { execFile } from 'node:child_process';
import type { LabTls } from './model.js';

export const ETCDCTL = '/usr/bin/etcdctl';

export interface CtlTarget {
  readonly endpoints: readonly string[];
  readonly tls?: LabTls | undefined;
}

export interface CtlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The argv prefix for etcdctl on these endpoints (TLS flags included). */
export function etcdctlArgv(t: CtlTarget, o: { dialTimeout?: string; commandTimeout?: string } = {}): string[] {
  return [
    ETCDCTL,
    `--endpoints=${t.endpoints.join(',')}`,
    `--dial-timeout=${o.dialTimeout ?? '2s'}`,
    `--command-timeout=${o.commandTimeout ?? '5s'}`,
    ...(t.tls ? [`--cacert=${t.tls.caFile}`, `--cert=${t.tls.clientCertFile}`, `--key=${t.tls.clientKeyFile}`] : []),
  ];
}

export function etcdctl(
  t: CtlTarget,
  args: readonly string[],
  o: { dialTimeout?: string; commandTimeout?: string; input?: string } = {},
): Promise<CtlResult> {
  const [cmd, ...pre] = etcdctlArgv(t, o);
  return new Promise((resolve) => {
    const child = execFile(
      cmd!,
      [...pre, ...args],
      { env: { ...process.env, ETCDCTL_API: '3' }, maxBuffer: 1 << 30 },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    // an etcdctl that exits before reading its stdin (a busy machine) is an EPIPE here: its
    // exit code says what happened, the write's error must not crash the process (it did: the bench)
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(o.input ?? '');
  });
}

/** The last meaningful line etcdctl printed on stderr (skipping its JSON warnings). */
export function ctlError(r: CtlResult): string {
  const lines = r.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('{'));
  return lines.pop() ?? `etcdctl exited with ${r.code}`;
}

function parseJson(text: string): unknown {
  // ids beyond 2^53 would be rounded by JSON.parse: keep every long integer as a string
  return JSON.parse(text.replace(/([:[,]\s*)(\d{16,})(?=\s*[,}\]])/g, '$1"$2"'));
}

export interface EndpointHealth {
  readonly endpoint: string;
  readonly healthy: boolean;
  readonly error?: string;
}

/** One answer per endpoint; unhealthy ones carry etcdctl's reason. */
export async function endpointHealth(t: CtlTarget): Promise<EndpointHealth[]> {
  if (t.endpoints.length === 0) return [];
  const r = await etcdctl(t, ['endpoint', 'health', '-w', 'json'], { dialTimeout: '1s', commandTimeout: '3s' });
  let list: { endpoint: string; health: boolean; error?: string }[] = [];
  try {
    list = parseJson(r.stdout.trim() || '[]') as typeof list;
  } catch {
    list = [];
  }
  return t.endpoints.map((e) => {
    const h = list.find((x) => x.endpoint === e);
    if (!h) return { endpoint: e, healthy: false, error: ctlError(r) };
    return h.health ? { endpoint: e, healthy: true } : { endpoint: e, healthy: false, error: h.error ?? 'unhealthy' };
  });
}

export interface EndpointStatus {
  readonly endpoint: string;
  readonly memberId: string;
  readonly leaderId: string;
  readonly revision: number;
  readonly raftIndex: number;
  readonly raftTerm: number;
  readonly dbSize: number;
}

/** Status of the endpoints that answer (works without quorum); the others are left out. */
export async function endpointStatus(t: CtlTarget): Promise<EndpointStatus[]> {
  if (t.endpoints.length === 0) return [];
  const r = await etcdctl(t, ['endpoint', 'status', '-w', 'json'], { dialTimeout: '1s', commandTimeout: '3s' });
  let list: {
    Endpoint: string;
    Status: { header: { member_id: unknown; revision: unknown }; leader: unknown; raftIndex: unknown; raftTerm: unknown; dbSize: unknown };
  }[] = [];
  try {
    list = parseJson(r.stdout.trim() || '[]') as typeof list;
  } catch {
    return [];
  }
  return list.map((s) => ({
    endpoint: s.Endpoint,
    memberId: String(s.Status.header.member_id),
    leaderId: String(s.Status.leader),
    revision: Number(s.Status.header.revision),
    raftIndex: Number(s.Status.raftIndex),
    raftTerm: Number(s.Status.raftTerm),
    dbSize: Number(s.Status.dbSize),
  }));
}

/** Keys in one member's own store (serializable: no quorum needed); undefined when it does not answer. */
export async function keyCount(t: CtlTarget): Promise<number | undefined> {
  // a range response counts every key in the range, whatever the limit
  const r = await etcdctl(t, ['get', '', '--prefix', '--limit=1', '--consistency=s', '-w', 'json'], {
    dialTimeout: '1s',
    commandTimeout: '3s',
  });
  if (r.code !== 0) return undefined;
  try {
    const out = parseJson(r.stdout) as { count?: unknown };
    return Number(out.count ?? 0);
  } catch {
    return undefined;
  }
}

export type Read = { readonly ok: true; readonly kvs: ReadonlyMap<string, string> } | { readonly ok: false; readonly error: string };

/** Linearizable read of a prefix (needs quorum). */
export async function readPrefix(t: CtlTarget, prefix: string, timeout = '10s'): Promise<Read> {
  const r = await etcdctl(t, ['get', prefix, '--prefix', '-w', 'json'], { commandTimeout: timeout });
  if (r.code !== 0) return { ok: false, error: ctlError(r) };
  try {
    const out = parseJson(r.stdout) as { kvs?: { key: string; value?: string }[] };
    const kvs = new Map<string, string>();
    for (const kv of out.kvs ?? [])
      kvs.set(Buffer.from(kv.key, 'base64').toString('utf8'), Buffer.from(kv.value ?? '', 'base64').toString('utf8'));
    return { ok: true, kvs };
  } catch (e) {
    return { ok: false, error: `unreadable etcdctl output: ${(e as Error).message}` };
  }
}
