// The incident report of one run, built from its journal alone (so `runbook runs show` can
// rebuild it for any recorded run): what was wrong (the facts read), what was decided and why,
// the timeline, where old data went, the verify result, and who ran what from where.
// Modules contribute by what their results hold (a fact module's message, a decision's
// survivor and table, `moved_aside`, a verification's members and key count), so any playbook
// gets a timeline and the etcd runbooks a full report.
import { createHash } from 'node:crypto';
import type { JournalLine, RunHeader, RunSummary } from './model.js';

export interface ReportStep {
  readonly step: string;
  readonly module: string;
  readonly host: string;
  readonly delegatedTo?: string;
  /** ISO time the step began on that host */
  readonly start: string;
  readonly durationMs: number;
  readonly status: string;
  readonly msg?: string;
  /** replayed from the run resumed (--resume): done by that run, not this one */
  readonly replayed?: boolean;
}

export interface ReportDecision {
  readonly action: string;
  readonly reason: string;
  readonly survivor?: string;
  readonly strategy?: string;
  readonly strategyReason?: string;
  readonly join: readonly string[];
  readonly recoveryId?: string;
  readonly snapshot?: string;
  /** the candidates: host, member, state, revision, where the revision was read */
  readonly table: readonly Readonly<Record<string, unknown>>[];
  /** what the decision gives up: members whose own data is replaced by the survivor's */
  readonly givenUp: readonly string[];
  /** members rebuilt from the survivor without loss: no data of their own, or older data */
  readonly rebuilt: readonly string[];
}

export interface ReportVerify {
  readonly ok: boolean;
  readonly msg: string;
  readonly members: readonly string[];
  readonly clusterIds: readonly string[];
  readonly keyCount?: number;
  /** the survivor's key count right after its restore: what the verification compares to */
  readonly keysBefore?: number;
  readonly testWrite: boolean;
}

export interface IncidentReport {
  readonly run: {
    readonly id: string;
    readonly status: RunSummary['status'];
    readonly exitCode?: number;
    readonly started: string;
    readonly durationMs?: number;
    readonly mode: RunHeader['mode'];
    readonly user: string;
    readonly controller: string;
    readonly pid: number;
    readonly command: string;
    readonly playbook: string;
    readonly inventory: string;
    readonly git?: RunHeader['git'];
    /** sha256 over every input file's path and sha256 (playbook, its includes, inventory) */
    readonly contentHash: string;
    readonly extraVars: Readonly<Record<string, unknown>>;
    readonly resumedFrom?: string;
  };
  readonly facts: readonly { readonly host: string; readonly summary: string }[];
  readonly decision?: ReportDecision;
  readonly timeline: readonly ReportStep[];
  readonly movedAside: readonly { readonly host: string; readonly path: string; readonly copy?: true }[];
  readonly verify?: ReportVerify;
  readonly failures: readonly ReportStep[];
  readonly recap: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

type Line = Readonly<Record<string, unknown>>;
const FACT_MODULES = new Set(['etcd_facts', 'etcd_status']);
const short = (m: string): string => m.replace(/^.*\./, '');
const rec = (v: unknown): Readonly<Record<string, unknown>> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function contentHash(h: RunHeader): string {
  const files = [...h.playbookFiles, ...h.inventory.files].map((f) => `${f.path}\0${f.sha256}\n`).sort();
  return createHash('sha256').update(files.join('')).digest('hex');
}

export function decisionOf(data: Readonly<Record<string, unknown>>): ReportDecision | undefined {
  const action = text(data['action']);
  if (!action) return undefined;
  const table = Array.isArray(data['table']) ? (data['table'] as unknown[]).map(rec) : [];
  const survivor = text(data['survivor']);
  const record = rec(data['record']);
  const survivorRev = num(table.find((r) => r['host'] === survivor)?.['revision']);
  const givenUp: string[] = [];
  const rebuilt: string[] = [];
  // the decision's own count of what it gives up (a forced survivor behind the newest, accepted
  // with etcd_accept_data_loss), when it gives one; else counted from the candidate table
  const loss = rec(data['loss']);
  const newest = rec(loss['newest']);
  if (action === 'recover' && num(loss['revisions']) !== undefined) {
    givenUp.push(
      `${String(loss['survivor'])} was ${num(loss['revisions'])} revisions behind ${strings(newest['hosts']).join('/')} (revision ${num(loss['survivor_revision'])}; newest ${num(newest['revision'])}): the changes after revision ${num(loss['survivor_revision'])} were given up (accepted with etcd_accept_data_loss)`,
    );
  }
  const counted = givenUp.length > 0;
  if (action === 'recover' && survivor) {
    for (const r of table) {
      if (r['host'] === survivor) continue;
      const rev = num(r['revision']);
      if (rev === undefined) rebuilt.push(String(r['host']));
      else if (survivorRev !== undefined && rev > survivorRev && !counted)
        givenUp.push(
          `${String(r['host'])}: revision ${rev}, newer than the survivor's ${survivorRev}: ${rev - survivorRev} revisions given up (its data is moved aside, not deleted)`,
        );
      else rebuilt.push(`${String(r['host'])} (revision ${rev}${survivorRev !== undefined ? `, ${survivorRev - rev} behind` : ''})`);
    }
  }
  return {
    action,
    reason: text(data['reason']) ?? '',
    ...(survivor ? { survivor } : {}),
    ...(text(data['strategy']) ? { strategy: text(data['strategy'])! } : {}),
    ...(text(data['strategy_reason']) ? { strategyReason: text(data['strategy_reason'])! } : {}),
    join: strings(data['join']),
    ...(text(record['id']) ? { recoveryId: text(record['id'])! } : {}),
    ...(text(record['snapshot']) ? { snapshot: text(record['snapshot'])! } : {}),
    table,
    givenUp,
    rebuilt,
  };
}

/** Where one member's old data went, as printed: a copy says so (its original stays in place). */
export function asideText(m: IncidentReport['movedAside'][number]): string {
  return m.copy ? `${m.path} (a copy)` : m.path;
}

export function buildReport(summary: RunSummary, lines: readonly JournalLine[]): IncidentReport {
  const h = summary.header;
  const modules = new Map<string, string>();
  const timeline: ReportStep[] = [];
  const facts = new Map<string, string>();
  const movedAside: { host: string; path: string; copy?: true }[] = [];
  let decision: ReportDecision | undefined;
  let verify: ReportVerify | undefined;
  let keysBefore: number | undefined;
  let recap: IncidentReport['recap'] = {};
  for (const raw of lines) {
    const l = raw as Line;
    if (l['type'] === 'task-start') modules.set(String(l['id']), short(String(l['module'])));
    if (l['type'] === 'run-end') recap = rec(l['recap']) as IncidentReport['recap'];
    if (l['type'] !== 'host-result') continue;
    const module = modules.get(String(l['id'])) ?? '?';
    const r = rec(l['result']);
    const data = rec(r['data']);
    const host = String(l['host']);
    const durationMs = num(l['durationMs']) ?? 0;
    const status = String(r['status']);
    const msg = (text(r['msg']) ?? text(r['predicted']))?.split('\n')[0];
    timeline.push({
      step: String(l['task']),
      module,
      host,
      ...(typeof l['delegatedTo'] === 'string' ? { delegatedTo: l['delegatedTo'] } : {}),
      start: new Date((num(l['time']) ?? 0) - durationMs).toISOString(),
      durationMs,
      status,
      // a result replayed from the run resumed was made by that run, not this one
      ...(l['resumed'] === true ? { replayed: true } : {}),
      ...(msg ? { msg } : {}),
    });
    if (status === 'skipped' || status === 'unreachable') continue;
    // the first reading of each member is what was wrong; later readings are the recovery's
    if (FACT_MODULES.has(module) && !facts.has(host) && msg) facts.set(host, msg);
    const member = rec(rec(data['ansible_facts'])['etcd_member']);
    if (decision?.survivor === host && num(member['key_count']) !== undefined) keysBefore ??= num(member['key_count']);
    if (module === 'etcd_recovery_plan' && !decision) decision = decisionOf(data);
    // etcd_restore and etcd_move_aside say where a member's old data went (a copy leaves it in place too)
    for (const p of strings(data['moved_aside'])) movedAside.push({ host, path: p });
    for (const p of strings(data['copied_aside'])) movedAside.push({ host, path: p, copy: true });
    if (module === 'etcd_verify') {
      verify = {
        ok: status === 'ok',
        msg: text(r['msg']) ?? '',
        members: strings(data['members']),
        clusterIds: strings(data['cluster_ids']),
        ...(num(data['key_count']) !== undefined ? { keyCount: num(data['key_count'])! } : {}),
        ...(keysBefore !== undefined ? { keysBefore } : {}),
        testWrite: /test write ok/.test(text(r['msg']) ?? ''),
      };
    }
  }
  const failures = timeline.filter((s) => s.status === 'failed' || s.status === 'unreachable');
  return {
    run: {
      id: h.id,
      status: summary.status,
      ...(summary.exitCode !== undefined ? { exitCode: summary.exitCode } : {}),
      started: h.started,
      ...(summary.durationMs !== undefined ? { durationMs: summary.durationMs } : {}),
      mode: h.mode,
      user: h.user,
      controller: h.controller,
      pid: h.pid,
      command: ['runbook', ...h.argv].join(' '),
      playbook: h.playbook.path,
      inventory: h.inventory.path,
      ...(h.git ? { git: h.git } : {}),
      contentHash: contentHash(h),
      extraVars: h.extraVars,
      ...(h.resumedFrom ? { resumedFrom: h.resumedFrom } : {}),
    },
    facts: [...facts].map(([host, summary]) => ({ host, summary })),
    ...(decision ? { decision } : {}),
    timeline,
    movedAside,
    ...(verify ? { verify } : {}),
    failures,
    recap,
  };
}
