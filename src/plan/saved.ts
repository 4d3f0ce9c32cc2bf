// Saved plans (`runbook plan ... -o plan.json`, then `runbook apply plan.json`): what the plan
// saw on each host, and the comparison with a fresh plan made just before applying it. Pure.

export interface PlannedStep {
  /** the task's place in the playbook (file:line:col) */
  readonly key: string;
  readonly task: string;
  readonly host: string;
  /** ok (unchanged) | changed (would change) | skipped | failed | unreachable | unknown */
  readonly status: string;
  readonly predicted?: string;
}

export interface SavedPlan {
  readonly runbookPlan: 1;
  readonly created: string;
  readonly playbook: string;
  readonly inventory: string;
  readonly inputs: readonly { readonly path: string; readonly sha256: string }[];
  readonly extraVars: Readonly<Record<string, unknown>>;
  readonly limit?: string;
  readonly tags: { readonly only: readonly string[]; readonly skip: readonly string[] };
  readonly steps: readonly PlannedStep[];
}

export function isSavedPlan(v: unknown): v is SavedPlan {
  return typeof v === 'object' && v !== null && (v as { runbookPlan?: unknown }).runbookPlan === 1 && Array.isArray((v as { steps?: unknown }).steps);
}

const what = (s: PlannedStep | undefined): string => (s === undefined ? 'nothing' : s.status === 'changed' ? `a change${s.predicted ? ` (${s.predicted})` : ''}` : s.status === 'ok' ? 'no change' : s.status);

/**
 * The hosts drifted when a step's outcome differs: a change now unneeded, a new change, a
 * host now unreachable or failing. Differences in the wording of a prediction alone (paths
 * with timestamps) are not drift.
 */
export function drift(saved: readonly PlannedStep[], now: readonly PlannedStep[]): string[] {
  const index = (steps: readonly PlannedStep[]) => {
    const m = new Map<string, PlannedStep>();
    const seen = new Map<string, number>();
    for (const s of steps) {
      const base = `${s.key}\n${s.host}`;
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      m.set(`${base}\n${n}`, s);
    }
    return m;
  };
  const a = index(saved);
  const b = index(now);
  const out: string[] = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(k);
    const y = b.get(k);
    if (x?.status === y?.status) continue;
    const s = (x ?? y)!;
    out.push(`${s.host}: '${s.task}' (${s.key}): the plan saw ${what(x)}, now ${what(y)}`);
  }
  return out;
}
