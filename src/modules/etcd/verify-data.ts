// etcd_verify's data checks: the recovered cluster holds at least the newest data seen
// anywhere before the recovery — not only the survivor's. Pure: the module reads the
// cluster's revision and key count, this judges them.
//   - revision behind the survivor's own: the restore did not use its data (always a failure);
//   - revision or key count behind the newest member: data lost — a failure, unless the operator
//     accepted it (etcd_accept_data_loss), then the difference is reported;
//   - zero keys when the member recovered from had keys: always a failure.

export interface Expected {
  readonly newestRevision?: number | undefined;
  readonly newestKeyCount?: number | undefined;
  readonly sourceRevision?: number | undefined;
  readonly sourceKeyCount?: number | undefined;
  readonly acceptLoss: boolean;
}

export interface Seen {
  readonly revision?: number;
  readonly keyCount?: number;
}

export function judgeData(e: Expected, s: Seen): { problems: string[]; notes: string[] } {
  const problems: string[] = [];
  const notes: string[] = [];
  const rev = s.revision;
  if (rev !== undefined && e.sourceRevision !== undefined && rev < e.sourceRevision) {
    problems.push(
      `the cluster is at revision ${rev}, behind the revision ${e.sourceRevision} of the member it was recovered from: the restore did not use its data`,
    );
  } else if (rev !== undefined && e.newestRevision !== undefined && rev < e.newestRevision) {
    const what = `the cluster is at revision ${rev}, ${e.newestRevision - rev} behind the newest revision seen before the recovery (${e.newestRevision})`;
    if (e.acceptLoss) notes.push(`${what}: loss accepted (etcd_accept_data_loss)`);
    else problems.push(`${what}: data lost`);
  }
  const n = s.keyCount;
  if (n !== undefined && e.newestKeyCount !== undefined && n < e.newestKeyCount) {
    const what = `${n} keys, ${e.newestKeyCount - n} fewer than the newest member had before the recovery (${e.newestKeyCount})`;
    if (e.acceptLoss) notes.push(`${what}: loss accepted (etcd_accept_data_loss)`);
    else problems.push(`${what}: keys lost`);
  }
  // written to (revision > 1) or counted with keys: an empty cluster is never a recovery of it
  const hadKeys =
    (e.sourceKeyCount ?? e.newestKeyCount ?? 0) > 0 ||
    (e.sourceKeyCount === undefined && e.newestKeyCount === undefined && (e.sourceRevision ?? 0) > 1);
  if (n === 0 && hadKeys) {
    problems.push(
      `0 keys after a recovery from a member that had keys${e.sourceKeyCount ? ` (${e.sourceKeyCount})` : e.sourceRevision ? ` (it was at revision ${e.sourceRevision})` : ''}: an empty cluster is never a recovery`,
    );
  }
  return { problems, notes };
}

export function optionalNumber(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
