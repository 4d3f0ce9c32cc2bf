// What the operator reads right above "Apply these changes? [y/N]": the plan's consequences
// in a few lines (the plan itself has scrolled away by then) — the survivor and why, the
// strategy, whose data is moved aside and where, what is given up, and how long the last
// runs of this playbook took.
import type { RunEvent } from '../executor/events.js';
import type { RunSummary } from '../journal/model.js';
import { decisionOf, type ReportDecision } from '../journal/report.js';

type HostResult = Extract<RunEvent, { type: 'host-result' }>;

/** Collects what the summary needs from the plan's events. */
export class PlanFacts {
  private readonly modules = new Map<string, string>();
  decision: ReportDecision | undefined;
  /** host → [from, to] */
  readonly movedAside: { host: string; from: string; to?: string }[] = [];
  private restores: { host: string; dataDir: string }[] = [];

  readonly onEvent = (e: RunEvent): void => {
    if (e.type === 'task-start') this.modules.set(e.id, e.module.replace(/^.*\./, ''));
    if (e.type === 'host-result') this.result(e);
  };

  private result(e: HostResult): void {
    const module = this.modules.get(e.id);
    const r = e.result;
    if (module === 'etcd_recovery_plan' && !this.decision && r.data) this.decision = decisionOf(r.data);
    const predicted = r.predicted ?? '';
    const aside = /^move (\S+) aside to (\S+)/.exec(predicted);
    if (module === 'etcd_move_aside' && aside) this.movedAside.push({ host: e.host, from: aside[1]!, to: aside[2]! });
    const restore = /^restore \S+ .*?into (\S+) as /.exec(predicted);
    if (module === 'etcd_restore' && restore) this.restores.push({ host: e.host, dataDir: restore[1]! });
  }

  /** A restore moves the data dir it replaces to <data dir>.before-<recovery id>. */
  get asideAll(): { host: string; from: string; to?: string }[] {
    const id = this.decision?.recoveryId;
    return [
      ...this.restores.map((r) => ({ host: r.host, from: r.dataDir, ...(id ? { to: `${r.dataDir}.before-${id}` } : {}) })),
      ...this.movedAside,
    ];
  }
}

const secs = (ms: number): string => `${Math.round(ms / 1000)} s`;

export function summaryLines(facts: PlanFacts, pastRuns: readonly RunSummary[], playbook: string): string[] {
  const out: string[] = [];
  const d = facts.decision;
  if (d?.survivor) out.push(`  survivor     ${d.survivor}${d.reason ? ` — ${d.reason}` : ''}`);
  if (d && !d.survivor) out.push(`  decision     ${d.action}${d.reason ? ` — ${d.reason}` : ''}`);
  if (d?.strategy) out.push(`  strategy     ${d.strategy}${d.strategyReason ? ` (${d.strategyReason})` : ''}`);
  const aside = facts.asideAll;
  if (aside.length) {
    out.push('  moved aside  (kept, never deleted)');
    const w = Math.max(...aside.map((a) => a.host.length));
    for (const a of aside) out.push(`    ${a.host.padEnd(w)}  ${a.from}${a.to ? ` -> ${a.to}` : ''}`);
  }
  if (d?.action === 'recover') out.push(`  given up     ${d.givenUp.length ? d.givenUp.join('; ') : 'nothing'}`);
  const past = pastRuns
    .filter((r) => r.header.playbook.path === playbook && r.header.mode === 'apply' && r.status === 'ok' && r.durationMs !== undefined)
    .slice(0, 3);
  if (past.length)
    out.push(
      `  expected     about ${secs(past.reduce((n, r) => n + r.durationMs!, 0) / past.length)} (the last ${past.length === 1 ? 'run' : `${past.length} runs`} of this playbook: ${past.map((r) => secs(r.durationMs!)).join(', ')})`,
    );
  return out.length ? ['', 'Before you answer:', ...out, ''] : [];
}
