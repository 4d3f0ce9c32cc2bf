// A time window for etcd_compact. etcd keeps no map from time to revision; its own periodic
// auto-compactor (--auto-compaction-mode=periodic) samples the current revision as time passes
// and compacts to the one sampled a retention ago. etcd_compact does the same across runs:
// every run appends (time, revision, cluster) to a small history file on the host, and a
// window of `1h` compacts to the newest revision sampled at least an hour ago. Until a run has
// a sample that old there is nothing it may compact. Pure: parsing, the choice, the file text.

export interface RevisionSample {
  /** seconds since the epoch, by the host's clock */
  readonly time: number;
  readonly revision: number;
  readonly cluster_id: string;
}

/** samples kept in the file (a run every 5 minutes: three and a half days) */
export const MAX_SAMPLES = 1000;

const UNIT_S: Readonly<Record<string, number>> = { d: 86_400, h: 3_600, m: 60, s: 1 };

/** `90m`, `1h30m`, `2d`, `45s` → seconds; a bare number is refused (etcd reads it as hours, a reader as anything). */
export function parseRetention(text: string): number | { error: string } {
  const t = text.trim();
  const parts = [...t.matchAll(/(\d+(?:\.\d+)?)\s*([dhms])/g)];
  if (
    t === '' ||
    parts.length === 0 ||
    parts
      .map((p) => p[0])
      .join('')
      .replace(/\s/g, '') !== t.replace(/\s/g, '')
  ) {
    return { error: `retain_duration '${text}': not a duration (write it with units: 30m, 1h, 1h30m, 2d)` };
  }
  const s = parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_S[p[2]!]!, 0);
  if (!(s > 0)) return { error: `retain_duration '${text}': must be longer than 0` };
  return s;
}

/** The history file's lines (JSON a line); lines that are not a sample are skipped. */
export function parseHistory(text: string): RevisionSample[] {
  const out: RevisionSample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const o = JSON.parse(line) as Partial<RevisionSample>;
      if (typeof o.time === 'number' && typeof o.revision === 'number' && typeof o.cluster_id === 'string')
        out.push({ time: o.time, revision: o.revision, cluster_id: o.cluster_id });
    } catch {
      /* a torn or foreign line: not a sample */
    }
  }
  return out;
}

/** The file's text with `sample` appended, the oldest dropped beyond MAX_SAMPLES. */
export function historyText(samples: readonly RevisionSample[], sample: RevisionSample): string {
  return (
    [...samples, sample]
      .slice(-MAX_SAMPLES)
      .map((s) => JSON.stringify(s))
      .join('\n') + '\n'
  );
}

export type AgeChoice = { readonly kind: 'sample'; readonly sample: RevisionSample } | { readonly kind: 'none'; readonly reason: string };

/** 45s, 12m, 1.5h, 3.2d */
export function span(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 120) return `${s}s`;
  if (s < 3_600) return `${Math.round(s / 60)}m`;
  if (s < 172_800) return `${Math.round(s / 360) / 10}h`;
  return `${Math.round(s / 8_640) / 10}d`;
}

/**
 * The newest sample at least `windowS` old, of this cluster and not above its current revision
 * (a restore from an older snapshot, or a new cluster with the old file, leaves samples that
 * describe other data: they are ignored, and say so when nothing else is left).
 */
export function chooseByAge(
  samples: readonly RevisionSample[],
  o: { now: number; windowS: number; clusterId: string; current: number },
): AgeChoice {
  const ours = samples.filter((s) => s.cluster_id === o.clusterId && s.revision <= o.current && s.time <= o.now);
  const old = ours.filter((s) => s.time <= o.now - o.windowS);
  if (old.length > 0) {
    const newest = old.reduce((a, b) => (b.time > a.time || (b.time === a.time && b.revision > a.revision) ? b : a));
    return { kind: 'sample', sample: newest };
  }
  const foreign = samples.length - ours.length;
  const oldest = ours.reduce<RevisionSample | undefined>((a, b) => (a === undefined || b.time < a.time ? b : a), undefined);
  const why = oldest
    ? `the oldest, revision ${oldest.revision}, is from ${span(o.now - oldest.time)} ago`
    : 'none recorded before this run';
  return {
    kind: 'none',
    reason: `no revision sampled at least ${span(o.windowS)} ago yet (${why}${foreign > 0 ? `; ${foreign} of another cluster or above its revision ignored` : ''})`,
  };
}
