// `runbook plan`: the run happens in check mode; show only what WOULD change (or could not be
// checked), count the rest, and end with a one-line summary.
//   ~ [etcd1] Stop etcd: would stop etcd.service
//   ? [etcd1] Restore: cannot predict (command runs only on apply)
//   ! [etcd2] Stop etcd: unreachable: reason
//   x [etcd3] Stop etcd: failed: msg
//   = [etcd3] Stop etcd                      (unchanged, with -v)
// Counts are per host × task result; a loop counts each of its items.
import { assertNever } from '../core/assert-never.js';
import { predictionOf, type PredictionCounts } from '../plan/step.js';
import type { ResultView, RunEvent } from '../executor/events.js';
import { palette, type Palette } from './color.js';
import { unifiedDiff } from './diff.js';
import { failureText, hostLabel } from './format.js';
import type { Reporter, ReporterOptions } from './index.js';
import { flush, warningLine, writeLines } from './io.js';

export type PlanCounts = PredictionCounts;

export function planSummary(c: PlanCounts): string {
  const unknown = c.unknown > 0 ? `, ${c.unknown} unknown until apply` : '';
  return `Plan: ${c.change} to change, ${c.unchanged} unchanged, ${c.unreachable} unreachable, ${c.failed} failed${unknown}.`;
}

export class PlanReporter implements Reporter {
  private readonly p: Palette;
  private readonly counts: PlanCounts = { change: 0, unchanged: 0, unreachable: 0, failed: 0, unknown: 0 };
  private readonly handlers = new Set<string>();
  private readonly debugTasks = new Set<string>();
  private started = false;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly opts: ReporterOptions,
  ) {
    this.p = palette(opts.color);
  }

  get summary(): PlanCounts {
    return { ...this.counts };
  }

  onEvent(e: RunEvent): void {
    const lines = this.render(e);
    if (lines.length) this.started = true;
    writeLines(this.out, lines);
  }

  async close(): Promise<void> {
    await flush(this.out);
  }

  private render(e: RunEvent): string[] {
    switch (e.type) {
      case 'run-start':
      case 'batch-start':
      case 'play-end':
        return [];
      case 'play-start':
        return [...this.lead(), `Play: ${e.play} (hosts: ${e.hosts.length ? e.hosts.join(', ') : 'none: skipped'})`];
      case 'task-start':
        if (e.handler) this.handlers.add(e.id);
        if (e.module === 'debug') this.debugTasks.add(e.id);
        return [];
      case 'progress':
      case 'included':
        return [];
      case 'task-end':
        this.handlers.delete(e.id);
        this.debugTasks.delete(e.id);
        return [];
      case 'host-result': {
        const task = this.handlers.has(e.id) ? `${e.task} (handler)` : e.task;
        const who = hostLabel(e.host, e.delegatedTo);
        if (e.items && e.items.length > 0 && e.result.status !== 'unreachable') {
          return e.items.flatMap((it) => this.resultLines(who, `${task} (item=${it.item ?? '?'})`, it));
        }
        if (this.debugTasks.has(e.id) && e.result.status === 'ok')
          return [...this.resultLines(who, task, e.result), ...debugLines(e.result)];
        return this.resultLines(who, task, e.result);
      }
      case 'warning':
        return [warningLine(e, this.p)];
      case 'run-end': {
        const lines = [...this.lead(), planSummary(this.counts)];
        if (e.interrupted)
          lines.push(this.p.warning('Interrupted: the plan is incomplete; tasks after the interruption were not checked.'));
        return lines;
      }
      default:
        return assertNever(e);
    }
  }

  private resultLines(who: string, task: string, r: ResultView): string[] {
    const p = this.p;
    const ignored = r.ignored ? ' (ignored)' : '';
    // the typed prediction (plan/step.ts): no message is parsed to learn what a step predicted
    const pr = predictionOf(r);
    switch (pr.kind) {
      case 'change': {
        this.counts.change++;
        const lines = [p.changed(`  ~ [${who}] ${task}: ${r.predicted !== undefined ? `would ${r.predicted}` : 'would change'}`)];
        if (this.opts.diff && r.diff) for (const d of r.diff) lines.push(...unifiedDiff(d, p).map((l) => '      ' + l));
        return lines;
      }
      case 'unchanged':
        if (pr.reason === 'skipped') return [];
        this.counts.unchanged++;
        return this.opts.verbosity >= 1 ? [p.ok(`  = [${who}] ${task}`)] : [];
      case 'unknown':
        this.counts.unknown++;
        return [p.skipped(`  ? [${who}] ${task}: cannot predict${pr.summary ? ` (${pr.summary})` : ''}`)];
      case 'failed':
        if (pr.reason === 'unreachable') {
          this.counts.unreachable++;
          return [p.unreachable(`  ! [${who}] ${task}: unreachable${ignored}: ${failureText(r)}`)];
        }
        this.counts.failed++;
        return [p.failed(`  x [${who}] ${task}: failed${ignored}: ${failureText(r)}`)];
      default:
        return assertNever(pr);
    }
  }

  private lead(): string[] {
    const lines = this.started ? [''] : [];
    this.started = true;
    return lines;
  }
}

/** A debug task's message in a plan (what the playbook wants the operator to read). */
function debugLines(r: ResultView): string[] {
  const v = (r.data as Record<string, unknown> | undefined)?.['msg'] ?? r.msg;
  const lines = Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))) : String(v ?? '').split('\n');
  return lines.map((l) => `      ${l}`);
}
