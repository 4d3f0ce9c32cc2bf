// etcd_recovery_plan: on the controller, from every reachable member's etcd_facts, decide what
// the recovery does (see decide.ts) and say why, each member's revision side by side.
// Reads nothing itself and changes nothing: it runs the same in plans.
import type { EtcdRecoveryPlanArgs } from '../generated/args.js';
import { failed, ok } from '../../core/result.js';
import type { Module } from '../types.js';
import { decide, type CandidateRow, type Decision } from './decide.js';
import { describeLoss } from './data-loss.js';
import { staleness } from './stale.js';
import type { MemberFacts, Strategy } from './facts-model.js';

const STRATEGIES: readonly Strategy[] = ['rejoin', 'restore-all', 'force-new-cluster'];

export function renderTable(rows: readonly CandidateRow[]): string {
  const head = ['host', 'member', 'etcd', 'state', 'revision', 'term', 'index', 'keys', 'read from'];
  const cells = rows.map((r) =>
    [
      r.host,
      r.name,
      r.version ?? '-',
      r.state,
      r.revision ?? '-',
      r.raft_term ?? '-',
      r.raft_index ?? '-',
      r.key_count ?? '-',
      r.source,
    ].map(String),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) =>
    '  ' +
    c
      .map((x, i) => x.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(head), ...cells.map(line)].join('\n');
}

export function describeDecision(d: Decision): string {
  const lines: string[] = [];
  switch (d.action) {
    case 'none':
      lines.push(`nothing to do: ${d.reason}`);
      break;
    case 'rejoin':
      lines.push(`rejoin ${d.join.join(', ')}: ${d.reason}`);
      break;
    case 'recover':
      lines.push(`recover from ${d.survivor} (strategy ${d.strategy}: ${d.strategy_reason}): ${d.reason}`);
      lines.push(`  recovery ${d.record.id}, snapshot ${d.record.snapshot}, new cluster token ${d.record.token}`);
      lines.push(`  new cluster: ${d.record.members.join(', ')}${d.join.length ? `, then ${d.join.join(', ')} rejoin one at a time` : ''}`);
      if (d.record.wal_not_replayed) lines.push(`  DATA LOSS ACCEPTED (etcd_accept_data_loss): ${d.record.wal_not_replayed}`);
      else if (survivorReplay(d)) lines.push(`  ${survivorReplay(d)}`);
      if (d.loss) lines.push(`  DATA LOSS ACCEPTED (etcd_accept_data_loss): ${describeLoss(d.loss)}`);
      else if (d.record.accepted_loss)
        lines.push(
          `  DATA LOSS ACCEPTED (etcd_accept_data_loss): ${d.record.accepted_loss.revisions} revisions given up (newest ${d.record.accepted_loss.newest_revision} on ${d.record.accepted_loss.newest_hosts.join('/')}, recovered from ${d.record.accepted_loss.from_revision})`,
        );
      // an unreachable member may hold newer data: "no data lost" would be a promise nobody checked
      else if (d.newest && d.unreachable.length)
        lines.push(
          `  ${d.survivor} has the newest revision of the reachable members (${d.newest.revision}${d.newest.key_count !== undefined ? `, ${d.newest.key_count} keys` : ''}); ${d.unreachable.join(', ')} could not be read: any change only ${d.unreachable.length > 1 ? 'they hold' : 'it holds'} will be lost (unknown how much)`,
        );
      else if (d.newest)
        lines.push(
          `  no data lost: ${d.survivor} has the newest revision seen (${d.newest.revision}${d.newest.key_count !== undefined ? `, ${d.newest.key_count} keys` : ''})`,
        );
      break;
    case 'refuse':
      lines.push(`refused: ${d.reason}`);
      break;
  }
  lines.push(renderTable(d.table));
  if (d.unreachable.length) lines.push(...unreachableLines(d));
  return lines.join('\n');
}

/** An unreachable member: kept in the membership while the cluster has quorum (it may only be rebooting); the next step named. */
function unreachableLines(d: Decision): string[] {
  const who = d.unreachable.join(', ');
  if (d.action === 'none' || d.action === 'rejoin') {
    return [
      `  unreachable: ${who} — left in the membership (it may only be rebooting); the run ends with exit 4`,
      `  next step: when ${who} is back, run this playbook again; if it is gone for good, replace it: runbook apply playbooks/replace-member.yml -i INVENTORY -e member=${d.unreachable[0]}`,
    ];
  }
  return [
    `  unreachable (left out of the new cluster): ${who}; next step: once back, run this playbook again to rejoin ${d.unreachable.length > 1 ? 'them' : 'it'}`,
  ];
}

/** The stopped survivor is saved from its WAL replayed: what the WAL held beyond its db. */
function survivorReplay(d: Decision & { action: 'recover' }): string | undefined {
  const row = d.table.find((r) => r.host === d.survivor);
  const m = /^WAL replayed \(db alone: revision (\d+)\)$/.exec(row?.source ?? '');
  if (!row || !m || row.revision === null) return undefined;
  const ahead = row.revision - Number(m[1]);
  return `${d.survivor} is stopped: saved from its WAL replayed (a copy started once with --force-new-cluster), revision ${row.revision}${ahead > 0 ? `: ${ahead} revision${ahead === 1 ? '' : 's'} only its WAL held (a copy of its db would have lost ${ahead === 1 ? 'it' : 'them'})` : ' (its db held all of it)'}`;
}

function pinnedDecision(v: Readonly<Record<string, unknown>> | undefined): Decision | undefined {
  return v && typeof v['action'] === 'string' && Array.isArray(v['table']) ? (v as unknown as Decision) : undefined;
}

function plannedAt(d: Decision | undefined): Date | undefined {
  return d?.action === 'recover' ? new Date(d.record.started) : undefined;
}

const recoveryPlan: Module<EtcdRecoveryPlanArgs, never> = {
  name: 'etcd_recovery_plan',
  controllerOnly: true,
  readOnly: true,
  check(ctx, args) {
    const planned = pinnedDecision(ctx.pinned);
    const strategy = args.strategy || undefined;
    if (strategy && !STRATEGIES.includes(strategy as Strategy)) {
      return Promise.resolve({ kind: 'failed', result: failed(`etcd_dr_strategy '${strategy}' is not one of ${STRATEGIES.join(', ')}`) });
    }
    const members = (Array.isArray(args.members) ? args.members : []).filter(
      (m): m is MemberFacts => typeof m === 'object' && m !== null && typeof (m as MemberFacts).host === 'string',
    );
    const reachable = new Set(members.map((m) => m.host));
    const d = decide({
      members,
      unreachable: (args.group ?? []).filter((h) => !reachable.has(h)),
      force: args.survivor || undefined,
      strategy: strategy as Strategy | undefined,
      v2Data: args.v2_data ?? false,
      allowV2Loss: args.allow_v2_loss ?? false,
      acceptDataLoss: args.accept_data_loss ?? false,
      // applying a plan: decided again at the plan's clock, so the same ids come out
      now: plannedAt(planned) ?? new Date(),
    });
    if (planned) {
      const stale = staleness(planned, d);
      if (stale.length)
        return Promise.resolve({
          kind: 'failed',
          result: failed(`the hosts changed since the plan was made, nothing done: ${stale.join('; ')} (make a new plan)`, {
            data: { ...d },
          }),
        });
    }
    // the plan's values exactly, when there is one (a continued recovery keeps the hosts' record)
    const use: Decision = planned && !(d.action === 'recover' && d.continuing) ? planned : d;
    const msg = describeDecision(use) + (planned ? '\n  (decided when the plan was made: the hosts still lead to it)' : '');
    if (use.action === 'refuse') return Promise.resolve({ kind: 'failed', result: failed(msg, { data: { ...use } }) });
    return Promise.resolve({ kind: 'unchanged', result: ok({ msg, data: { ...use }, decision: { ...use } }) });
  },
  apply() {
    return Promise.resolve(ok());
  },
};

export default recoveryPlan;
