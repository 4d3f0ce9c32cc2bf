// etcd_hashkv: do all members hold the same key-value history? HashKV of every member at one
// revision (the current one of the first endpoint unless given), compared: ok when they agree,
// failed on a mismatch naming the members outside the majority. Changes nothing; runs in plans.
import type { EtcdHashkvArgs } from '../generated/args.js';
import { failed, ok } from '../../core/result.js';
import type { Module, ModuleContext } from '../types.js';
import { sleep } from '../support/exec.js';
import { endpointStatus, hashKv, memberList, type EtcdTools } from './etcdctl.js';
import { tryEtcdTools, run } from './host.js';
import { etcdError, parseEndpointStatus, parseHashKv, parseMembers } from './parse.js';
import { describeVerdict, hashVerdict, type HashVerdict, type MemberHash } from './hashkv-verdict.js';

/** a member that has not applied the revision yet says so: ask again */
const NOT_YET = /future revision|deadline exceeded|timed out/i;

export async function memberHashes(
  ctx: ModuleContext,
  t: EtcdTools,
  endpoints: readonly string[],
  revision: number,
  timeoutS: number,
): Promise<(MemberHash & { revision: number })[] | string> {
  const names = new Map<string, string>();
  const ml = await run(ctx, memberList(t, endpoints));
  if (ml.rc === 0) for (const m of parseMembers(ml.stdout).members) names.set(m.id, m.name);
  const out: (MemberHash & { revision: number })[] = [];
  const deadline = Date.now() + timeoutS * 1000;
  for (const e of endpoints) {
    for (;;) {
      const r = await run(ctx, hashKv(t, [e], revision, timeoutS));
      if (r.rc === 0) {
        const a = parseHashKv(r.stdout)[0];
        if (!a) return `${e}: no HashKV answer`;
        out.push({ name: names.get(a.memberId) || e, endpoint: e, hash: a.hash, compactRevision: a.compactRevision, revision: a.revision });
        break;
      }
      const why = etcdError(r.stderr) || `rc ${r.rc}`;
      if (!NOT_YET.test(why) || Date.now() > deadline || !(await sleep(500, ctx.signal))) return `${e}: ${why}`;
    }
  }
  return out;
}

/**
 * Every member's hash at one revision. A history compacted exactly to the current revision
 * cannot be hashed "at" it (etcd answers "compacted"), only "now" (revision 0): then every
 * member is asked for its current hash and the answers count only when all are at the same
 * revision (asked again while writes move it).
 */
export async function clusterHashes(
  ctx: ModuleContext,
  t: EtcdTools,
  endpoints: readonly string[],
  rev: number | undefined,
  timeoutS: number,
): Promise<{ revision: number; hashes: MemberHash[]; verdict: HashVerdict } | string> {
  let revision = rev ?? 0;
  if (!revision) {
    const st = await run(ctx, endpointStatus(t, endpoints[0]!));
    if (st.rc !== 0) return `${endpoints[0]}: ${etcdError(st.stderr) || 'does not answer'}`;
    revision = parseEndpointStatus(st.stdout).revision;
  }
  const hashes = await memberHashes(ctx, t, endpoints, revision, timeoutS);
  if (typeof hashes !== 'string') return { revision, hashes, verdict: hashVerdict(hashes) };
  if (rev !== undefined || !/has been compacted/.test(hashes)) return hashes;
  const deadline = Date.now() + timeoutS * 1000;
  for (;;) {
    const now = await memberHashes(ctx, t, endpoints, 0, timeoutS);
    if (typeof now === 'string') return now;
    const at = new Set(now.map((h) => h.revision));
    if (at.size === 1) return { revision: now[0]!.revision, hashes: now, verdict: hashVerdict(now) };
    if (Date.now() > deadline || !(await sleep(200, ctx.signal)))
      return `members stayed at different revisions (${now.map((h) => `${h.name} ${h.revision}`).join(', ')})`;
  }
}

const hashkv: Module<EtcdHashkvArgs, never> = {
  name: 'etcd_hashkv',
  readOnly: true,
  async check(ctx, args) {
    const endpoints = args.endpoints ?? [];
    if (endpoints.length === 0) return { kind: 'failed', result: failed('endpoints: the client URLs of every member are required') };
    const got = await tryEtcdTools(ctx, args);
    if (!got.ok) return { kind: 'failed', result: got.result };
    const rev = args.revision ?? 0;
    const r = await clusterHashes(ctx, got.tools, endpoints, rev > 0 ? rev : undefined, args.timeout);
    if (typeof r === 'string') return { kind: 'failed', result: failed(`cannot compare HashKV: ${r}`) };
    const v = r.verdict;
    const odd = v.kind === 'mismatch' ? v.odd : [];
    const data = {
      revision: r.revision,
      verdict: v.kind,
      hashes: r.hashes.map((h) => ({ name: h.name, endpoint: h.endpoint, hash: h.hash, compact_revision: h.compactRevision })),
      odd: odd.map((m) => m.name),
      odd_endpoints: odd.map((m) => m.endpoint),
    };
    const msg = describeVerdict(v, r.revision);
    return v.kind === 'agree' ? { kind: 'unchanged', result: ok({ msg, data }) } : { kind: 'failed', result: failed(msg, { data }) };
  },
  apply() {
    return Promise.resolve(ok());
  },
};

export default hashkv;
