// How far a survivor is behind the newest data seen on any reachable member, in revisions, and
// the words for it. A recovery from a member behind the newest gives up every change after its
// own revision: never silently (decide.ts refuses it unless etcd_accept_data_loss), always with
// the number (plan, decision, recovery record, verify). Pure.
import type { MemberFacts } from './facts-model.js';

/** The member's data revision: live from endpoint status, else its WAL replayed, else its db file. */
export function revisionOf(m: MemberFacts): number | undefined {
  if (m.status) return m.status.revision;
  if (!m.data.db || m.data.error) return undefined;
  return m.data.replayed?.revision ?? m.data.revision;
}

export interface Newest {
  readonly revision: number;
  /** every reachable member at that revision */
  readonly hosts: readonly string[];
  /** the key count of a member at that revision, when one could be read */
  readonly key_count?: number;
}

export function newestOf(members: readonly MemberFacts[]): Newest | undefined {
  let best: number | undefined;
  for (const m of members) {
    const r = revisionOf(m);
    if (r !== undefined && (best === undefined || r > best)) best = r;
  }
  if (best === undefined) return undefined;
  const at = members.filter((m) => revisionOf(m) === best);
  const counted = at.find((m) => m.key_count !== undefined);
  return { revision: best, hosts: at.map((m) => m.host), ...(counted ? { key_count: counted.key_count! } : {}) };
}

export interface Loss {
  readonly survivor: string;
  readonly survivor_revision: number;
  readonly newest: Newest;
  /** revisions given up: newest − survivor */
  readonly revisions: number;
}

export function lossOf(survivor: MemberFacts, newest: Newest | undefined): Loss | undefined {
  const r = revisionOf(survivor);
  if (r === undefined || newest === undefined || r >= newest.revision) return undefined;
  return { survivor: survivor.host, survivor_revision: r, newest, revisions: newest.revision - r };
}

/** "etcd1 is 6 revisions behind etcd2/etcd3 (revision 359, they have 365): the changes after revision 359 will be lost" */
export function describeLoss(l: Loss, tense: 'will be' | 'would be' | 'were' = 'will be'): string {
  const n = l.revisions === 1 ? '1 revision' : `${l.revisions} revisions`;
  const keys = l.newest.key_count !== undefined ? `, ${l.newest.key_count} keys` : '';
  return `${l.survivor} is ${n} behind ${l.newest.hosts.join('/')} (revision ${l.survivor_revision}; newest ${l.newest.revision}${keys}): the changes after revision ${l.survivor_revision} ${tense} lost`;
}
