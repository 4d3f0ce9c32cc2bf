// `serial:` → host batches. A number, a percentage of the play's hosts, or a list of them
// where the last size repeats (Ansible's semantics).

export function batches<T>(hosts: readonly T[], serial: readonly (number | string)[] | undefined): T[][] {
  if (!serial || serial.length === 0 || hosts.length === 0) return hosts.length ? [[...hosts]] : [];
  const sizes = serial.map((s) => sizeOf(s, hosts.length));
  const out: T[][] = [];
  let i = 0;
  let k = 0;
  while (i < hosts.length) {
    const size = sizes[Math.min(k, sizes.length - 1)]!;
    out.push(hosts.slice(i, i + size));
    i += size;
    k++;
  }
  return out;
}

function sizeOf(s: number | string, total: number): number {
  if (typeof s === 'number') return Math.max(1, Math.floor(s));
  const t = s.trim();
  if (t.endsWith('%')) return Math.max(1, Math.floor((parseFloat(t) / 100) * total));
  const n = parseInt(t, 10);
  if (!Number.isFinite(n) || n < 1) throw new Error(`invalid serial value '${s}'`);
  return n;
}

/** true when the batch's failures exceed max_fail_percentage (strictly greater, as Ansible). */
export function failureThresholdExceeded(failed: number, batchSize: number, maxFailPercentage: number | undefined): boolean {
  if (maxFailPercentage === undefined || batchSize === 0) return false;
  return (failed / batchSize) * 100 > maxFailPercentage;
}
