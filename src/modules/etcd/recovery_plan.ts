// etcd_recovery_plan: on the controller, from every reachable member's etcd_facts, decide what
// the recovery does (see decide.ts) and say why, each member's revision side by side.
// Reads nothing itself and changes nothing: it runs the same in plans.
import type { EtcdRecoveryPlanArgs } from '../generated/args.js';
import { failed, ok } from '../../core/result.js';
import type { Module } from '../types.js';
import { bool, list, str } from '../support/args.js';
import { decide, type CandidateRow, type Decision } from './decide.js';
import type { MemberFacts, Strategy } from './facts-model.js';


const STRATEGIES: readonly Strategy[] = ['rejoin', 'restore-all', 'force-new-cluster'];

export function renderTable(rows: readonly CandidateRow[]): string {
  const head = ['host', 'member', 'state', 'revision', 'term', 'index', 'read from'];
  const cells = rows.map((r) => [r.host, r.name, r.state, r.revision ?? '-', r.raft_term ?? '-', r.raft_index ?? '-', r.source].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => '  ' + c.map((x, i) => x.padEnd(widths[i]!)).join('  ').trimEnd();
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
      break;
    case 'refuse':
      lines.push(`refused: ${d.reason}`);
      break;
  }
  lines.push(renderTable(d.table));
  if (d.unreachable.length) lines.push(`  unreachable (left out): ${d.unreachable.join(', ')}`);
  return lines.join('\n');
}

const recoveryPlan: Module<EtcdRecoveryPlanArgs, never> = {
  name: 'etcd_recovery_plan',
  controllerOnly: true,
  readOnly: true,
  check(_ctx, args) {
    const strategy = str(args.strategy) || undefined;
    if (strategy && !STRATEGIES.includes(strategy as Strategy)) {
      return Promise.resolve({ kind: 'failed', result: failed(`etcd_dr_strategy '${strategy}' is not one of ${STRATEGIES.join(', ')}`) });
    }
    const members = (Array.isArray(args.members) ? args.members : []).filter((m): m is MemberFacts => typeof m === 'object' && m !== null && typeof (m as MemberFacts).host === 'string');
    const reachable = new Set(members.map((m) => m.host));
    const d = decide({
      members,
      unreachable: list(args.group).filter((h) => !reachable.has(h)),
      force: str(args.survivor) || undefined,
      strategy: strategy as Strategy | undefined,
      v2Data: bool(args.v2_data, false),
      allowV2Loss: bool(args.allow_v2_loss, false),
      now: new Date(),
    });
    const msg = describeDecision(d);
    if (d.action === 'refuse') return Promise.resolve({ kind: 'failed', result: failed(msg, { data: { ...d } }) });
    return Promise.resolve({ kind: 'unchanged', result: ok({ msg, data: { ...d } }) });
  },
  apply() {
    return Promise.resolve(ok());
  },
};

export default recoveryPlan;
