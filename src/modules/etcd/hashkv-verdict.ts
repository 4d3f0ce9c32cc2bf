// Do the members' HashKV answers at one revision agree? Pure: unit-tested with real answers.
// Two hashes are comparable only when both members had compacted to the same revision (etcd's
// own corruption check skips a peer whose compact revision differs), so that case is its own
// verdict rather than a mismatch.

export interface MemberHash {
  /** etcd member name (or its endpoint when the name is unknown) */
  readonly name: string;
  readonly endpoint: string;
  readonly hash: number;
  readonly compactRevision: number;
}

export type HashVerdict =
  | { readonly kind: 'agree'; readonly hash: number }
  /** `odd`: the members outside the majority (every member when there is none) */
  | {
      readonly kind: 'mismatch';
      readonly odd: readonly MemberHash[];
      readonly groups: readonly (readonly MemberHash[])[];
      readonly majority?: number;
    }
  | { readonly kind: 'incomparable'; readonly why: string };

export function hashVerdict(answers: readonly MemberHash[]): HashVerdict {
  if (answers.length === 0) return { kind: 'incomparable', why: 'no member answered' };
  const compacted = new Set(answers.map((a) => a.compactRevision));
  if (compacted.size > 1) {
    return {
      kind: 'incomparable',
      why: `members are compacted to different revisions (${answers.map((a) => `${a.name} ${a.compactRevision}`).join(', ')}): run again after the compaction settled`,
    };
  }
  const byHash = new Map<number, MemberHash[]>();
  for (const a of answers) byHash.set(a.hash, [...(byHash.get(a.hash) ?? []), a]);
  if (byHash.size === 1) return { kind: 'agree', hash: answers[0]!.hash };
  const groups = [...byHash.values()].sort((x, y) => y.length - x.length);
  const top = groups[0]!;
  if (top.length * 2 > answers.length) {
    return { kind: 'mismatch', majority: top[0]!.hash, odd: groups.slice(1).flat(), groups };
  }
  return { kind: 'mismatch', odd: [...answers], groups };
}

/** One line for the task's message. */
export function describeVerdict(v: HashVerdict, revision: number): string {
  switch (v.kind) {
    case 'agree':
      return `every member has HashKV ${v.hash} at revision ${revision}`;
    case 'mismatch': {
      const groups = v.groups.map((g) => `${g.map((m) => m.name).join(', ')}: ${g[0]!.hash}`).join('; ');
      return v.majority !== undefined
        ? `HashKV mismatch at revision ${revision}: ${v.odd.map((m) => m.name).join(', ')} disagree${v.odd.length === 1 ? 's' : ''} with the majority (${groups})`
        : `HashKV mismatch at revision ${revision} and no majority: ${groups}`;
    }
    case 'incomparable':
      return `HashKV not comparable at revision ${revision}: ${v.why}`;
    default: {
      const never: never = v;
      return never;
    }
  }
}
