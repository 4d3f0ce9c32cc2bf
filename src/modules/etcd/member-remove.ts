// A planned removal from the membership, safely: refused when the voting members left could not
// form a quorum among the healthy ones; the leader hands leadership to a healthy voting member
// first (etcd would otherwise step down mid-commit and cost an election without a chosen
// successor); afterwards, the remaining members are waited healthy.
import type { ModuleContext } from '../types.js';
import { sleep } from '../support/exec.js';
import { endpointHealth, endpointHealthPatient, endpointStatus, moveLeader, type EtcdTools } from './etcdctl.js';
import { listening, run } from './host.js';
import { etcdError, parseEndpointStatus, parseHealth, type Member } from './parse.js';

/** The smallest majority of n voting members. */
export const quorumOf = (n: number): number => Math.floor(n / 2) + 1;

/** Would removing `gone` leave a voting majority among the healthy ones? Pure. */
export function removalKeepsQuorum(
  voting: readonly Member[],
  healthyIds: ReadonlySet<string>,
  gone: ReadonlySet<string>,
): { ok: boolean; left: number; healthyLeft: number; need: number } {
  const left = voting.filter((m) => !gone.has(m.id));
  const healthyLeft = left.filter((m) => healthyIds.has(m.id)).length;
  const need = quorumOf(left.length);
  return { ok: left.length > 0 && healthyLeft >= need, left: left.length, healthyLeft, need };
}

/** Healthy, asked up to three times: a loaded host or an election in progress is not a verdict. */
async function healthy(ctx: ModuleContext, t: EtcdTools, m: Member): Promise<boolean> {
  const url = m.clientUrls[0];
  if (!url) return false;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (attempt > 0 && !(await sleep(1000, ctx.signal))) return false;
    if (!(await listening(ctx, url))) continue;
    let r = await run(ctx, endpointHealth(t, url, true));
    // a member that listens but is slow is asked again patiently: a refused removal must not rest on 1 s
    if (r.rc !== 0) r = await run(ctx, endpointHealthPatient(t, url));
    try {
      if (r.rc === 0 && parseHealth(r.stdout).healthy) return true;
    } catch {
      /* no JSON: ask again */
    }
  }
  return false;
}

export async function healthyIds(ctx: ModuleContext, t: EtcdTools, members: readonly Member[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const m of members) if (!m.isLearner && (await healthy(ctx, t, m))) out.add(m.id);
  return out;
}

/** The leader's id, as the first answering endpoint reports it. */
export async function leaderId(ctx: ModuleContext, t: EtcdTools, endpoints: readonly string[]): Promise<string | undefined> {
  for (const e of endpoints) {
    const r = await run(ctx, endpointStatus(t, e, true));
    if (r.rc === 0) return parseEndpointStatus(r.stdout).leader || undefined;
  }
  return undefined;
}

/** Leadership moved from `leader` to a healthy voting member that stays; an error message or undefined. */
export async function handOver(
  ctx: ModuleContext,
  t: EtcdTools,
  members: readonly Member[],
  leader: Member,
  staying: ReadonlySet<string>,
  timeoutS: number,
): Promise<string | undefined> {
  const to = members.find((m) => staying.has(m.id));
  const url = leader.clientUrls[0];
  if (!to || !url) return `cannot hand leadership over from ${leader.name}: no healthy voting member stays`;
  const r = await run(ctx, moveLeader(t, url, to.id));
  if (r.rc !== 0) return `move-leader from ${leader.name} to ${to.name} failed: ${etcdError(r.stderr)}`;
  const deadline = Date.now() + timeoutS * 1000;
  const ends = members.filter((m) => m.id !== leader.id).flatMap((m) => m.clientUrls.slice(0, 1));
  while (Date.now() < deadline) {
    if ((await leaderId(ctx, t, ends)) === to.id) return undefined;
    if (!(await sleep(200, ctx.signal))) break;
  }
  return `leadership did not move from ${leader.name} to ${to.name} within ${timeoutS} s`;
}

/** Wait until every remaining voting member answers health again (after a removal). */
export async function waitHealthy(
  ctx: ModuleContext,
  t: EtcdTools,
  members: readonly Member[],
  timeoutS: number,
): Promise<string | undefined> {
  const deadline = Date.now() + timeoutS * 1000;
  const voting = members.filter((m) => !m.isLearner);
  for (;;) {
    const ok = await healthyIds(ctx, t, voting);
    if (ok.size >= quorumOf(voting.length)) return undefined;
    if (Date.now() > deadline || !(await sleep(250, ctx.signal)))
      return `only ${ok.size} of ${voting.length} voting members healthy after the removal`;
  }
}
