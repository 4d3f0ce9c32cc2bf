// A member's own view from its metrics listener (ETCD_LISTEN_METRICS_URLS, plain http on
// :2381). Unlike the client port — which an etcd 3.4 restarted without quorum never starts
// serving — it answers at once: key count, revision, applied index, leader, and /health.
import { request } from 'node:http';

export const METRICS_PORT = 2381;

export function metricsUrl(address: string): string {
  return `http://${address}:${METRICS_PORT}`;
}

function get(url: string, ms: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request(url, { timeout: ms }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve(res.statusCode === 200 || res.statusCode === 503 ? text : undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

export interface MemberMetrics {
  readonly keys: number;
  readonly revision: number;
  readonly appliedIndex: number;
  readonly hasLeader: boolean;
  readonly isLeader: boolean;
  readonly dbSize: number;
  /** /health: the member has a leader and answers a quorum read */
  readonly healthy: boolean;
}

/** Undefined when the metrics listener does not answer (etcd down, or configured without it). */
export async function memberMetrics(base: string, ms = 1_500): Promise<MemberMetrics | undefined> {
  const [text, health] = await Promise.all([get(`${base}/metrics`, ms), get(`${base}/health`, ms + 1_000)]);
  if (text === undefined) return undefined;
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(etcd_[a-z_]+)(?:\{[^}]*\})? (\S+)$/.exec(line);
    if (m) values.set(m[1]!, Number(m[2]));
  }
  const v = (name: string): number => values.get(name) ?? 0;
  let healthy = false;
  try {
    healthy = (JSON.parse(health ?? '{}') as { health?: unknown }).health === 'true';
  } catch {
    healthy = false;
  }
  return {
    keys: v('etcd_debugging_mvcc_keys_total'),
    revision: v('etcd_debugging_mvcc_current_revision'),
    appliedIndex: v('etcd_server_proposals_applied_total'),
    hasLeader: v('etcd_server_has_leader') === 1,
    isLeader: v('etcd_server_is_leader') === 1,
    dbSize: v('etcd_mvcc_db_total_size_in_bytes'),
    healthy,
  };
}

/**
 * False only when every one of these members' metrics says "unhealthy" for `ms` — a quorum
 * read or a write would then only sit out its timeout. True as soon as one is healthy, or
 * when one has no metrics listener (nothing to judge by).
 */
export async function mayHaveQuorum(members: readonly { readonly metricsUrl: string }[], ms = 3_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    const seen = await Promise.all(members.map((m) => memberMetrics(m.metricsUrl)));
    if (seen.some((x) => x === undefined || x.healthy)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((res) => setTimeout(res, 250));
  }
}
