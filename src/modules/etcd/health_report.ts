// etcd_health_report: on the controller, every member's etcd_status in one table, and a
// verdict: unhealthy (failed) when a member is unreachable, unhealthy, raises an alarm, has
// an expired certificate, or the members disagree on the cluster ID. Certificates expiring
// within `warn_days` are reported but do not fail.
import type { EtcdHealthReportArgs } from '../generated/args.js';
import { failed, ok } from '../../core/result.js';
import type { Module } from '../types.js';
import type { MemberStatus } from './status.js';

export interface HealthReport {
  readonly problems: string[];
  /** each host's own problems: the verdict blames the member that is unhealthy, on its own line */
  readonly hostProblems: Record<string, string[]>;
  /** problems of no single member (the members disagree on the cluster ID) */
  readonly clusterProblems: string[];
  readonly warnings: string[];
  readonly table: string;
}

export function healthReport(members: readonly MemberStatus[], group: readonly string[], warnDays: number): HealthReport {
  const problems: string[] = [];
  const hostProblems: Record<string, string[]> = {};
  const blame = (host: string, problem: string): void => {
    problems.push(problem);
    (hostProblems[host] ??= []).push(problem);
  };
  const warnings: string[] = [];
  const seen = new Set(members.map((m) => m.host));
  for (const h of group) if (!seen.has(h)) blame(h, `${h} is unreachable`);
  for (const m of members) {
    if (!m.healthy) blame(m.host, `${m.name} is not healthy (${m.serving ? 'serving without quorum' : (m.error ?? 'not serving')})`);
    for (const a of m.alarms) blame(m.host, `${m.name} raises alarm ${a}`);
    if (m.cert_days_left !== undefined && m.cert_days_left < 0)
      blame(m.host, `${m.name}'s certificate expired ${-m.cert_days_left} days ago`);
    else if (m.cert_days_left !== undefined && m.cert_days_left < warnDays)
      warnings.push(`${m.name}'s certificate expires in ${m.cert_days_left} days`);
  }
  const ids = new Set(members.map((m) => m.cluster_id).filter((x) => x !== undefined));
  const clusterProblems = ids.size > 1 ? [`members disagree on the cluster ID (${[...ids].join(', ')})`] : [];
  problems.push(...clusterProblems);
  const head = ['member', 'health', 'leader', 'version', 'db size', 'raft index', 'alarms', 'cert days'];
  const rows = [
    ...members.map((m) => [
      m.name,
      m.healthy ? 'healthy' : m.serving ? 'no quorum' : 'down',
      m.is_leader ? 'leader' : '',
      m.version ?? '-',
      m.db_size !== undefined ? `${(m.db_size / 1024).toFixed(0)} KiB` : '-',
      String(m.raft_index ?? '-'),
      m.alarms.join(',') || '-',
      m.cert_days_left === undefined ? '-' : String(m.cert_days_left),
    ]),
    ...group.filter((h) => !seen.has(h)).map((h) => [h, 'unreachable', '', '-', '-', '-', '-', '-']),
  ];
  const widths = head.map((x, i) => Math.max(x.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) =>
    r
      .map((x, i) => x.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return { problems, hostProblems, clusterProblems, warnings, table: [line(head), ...rows.map(line)].join('\n') };
}

const report: Module<EtcdHealthReportArgs, never> = {
  name: 'etcd_health_report',
  controllerOnly: true,
  readOnly: true,
  check(_ctx, args) {
    const members = (Array.isArray(args.members) ? args.members : []).filter(
      (m): m is MemberStatus => typeof m === 'object' && m !== null && typeof (m as MemberStatus).name === 'string',
    );
    const r = healthReport(members, args.group ?? [], args.warn_days);
    const verdict = r.problems.length ? `UNHEALTHY: ${r.problems.join('; ')}` : `healthy: ${members.length} members, one cluster`;
    const msg = [r.table, ...r.warnings.map((w) => `WARNING: ${w}`), verdict].join('\n');
    const data = {
      problems: r.problems,
      host_problems: r.hostProblems,
      cluster_problems: r.clusterProblems,
      warnings: r.warnings,
      table: r.table.split('\n'),
    };
    return Promise.resolve(
      r.problems.length ? { kind: 'failed', result: failed(msg, { data }) } : { kind: 'unchanged', result: ok({ msg, data }) },
    );
  },
  apply() {
    return Promise.resolve(ok());
  },
};

export default report;
