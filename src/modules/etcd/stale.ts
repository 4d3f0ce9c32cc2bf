// A plan's decision against the one the hosts lead to now (applying a plan: `apply` after its
// prompt, or `apply plan.json`). What the plan decided is kept only while the hosts still lead
// to it; otherwise the differences are named, as Terraform names a stale plan. Pure.
import type { Decision } from './decide.js';

const list = (xs: readonly string[] | undefined): string => (xs && xs.length ? [...xs].sort().join(', ') : 'none');

export function staleness(planned: Decision, now: Decision): string[] {
  const out: string[] = [];
  if (planned.action !== now.action)
    out.push(`the plan decided '${planned.action}', the hosts now lead to '${now.action}' (${now.reason})`);
  if (list(planned.unreachable) !== list(now.unreachable))
    out.push(`unreachable in the plan: ${list(planned.unreachable)}; now: ${list(now.unreachable)}`);
  const survivor = (d: Decision) => (d.action === 'recover' || d.action === 'rejoin' ? d.survivor : undefined);
  if (out.length === 0 && survivor(planned) !== survivor(now)) out.push(`survivor ${survivor(planned)} in the plan, now ${survivor(now)}`);
  if (planned.action === 'recover' && now.action === 'recover') {
    if (planned.strategy !== now.strategy) out.push(`strategy ${planned.strategy} in the plan, now ${now.strategy}`);
    if (planned.record.id !== now.record.id)
      out.push(`recovery ${planned.record.id} in the plan, now ${now.record.id}${now.continuing ? ' (in progress on the hosts)' : ''}`);
    // without quorum nothing writes: a revision that moved means a member came back or was written to
    if (!now.continuing) {
      for (const row of now.table) {
        const was = planned.table.find((r) => r.host === row.host);
        if (!was) out.push(`${row.host} reachable now (revision ${row.revision ?? '-'}), not in the plan`);
        else if (was.revision !== row.revision)
          out.push(`${row.host}: revision ${was.revision ?? '-'} in the plan, now ${row.revision ?? '-'}`);
      }
    }
  }
  if (planned.action === 'rejoin' && now.action === 'rejoin' && list(planned.join) !== list(now.join))
    out.push(`to rejoin in the plan: ${list(planned.join)}; now: ${list(now.join)}`);
  return out;
}
