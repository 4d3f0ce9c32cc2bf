// `lab verify`: are all the keys the lab wrote readable (a quorum read), each with its exact
// value, and does the sentinel say how many there are? K comes from lab.json (the last load,
// plus the keys a scenario wrote), never from the cluster being checked.
import { readPrefix } from './ctl.js';
import { labKey, labValue, SENTINEL, v2Key } from './data.js';
import { mayHaveQuorum } from './metrics.js';
import type { LabRecord, VerifyResult } from './model.js';
import { ctlTarget, runningMembers } from './status.js';
import { readV2Keys } from './v2.js';

const LISTED = 20;

function failed(expected: number, error: string): VerifyResult {
  return { ok: false, expected, found: 0, missing: [], missingCount: 0, wrong: [], wrongCount: 0, sentinelOk: false, error };
}

export async function verifyLab(r: LabRecord): Promise<VerifyResult> {
  const expected = r.loaded?.keys ?? 0;
  if (expected === 0) return failed(0, 'nothing to verify: no keys were loaded (runbook lab load K)');
  const running = await runningMembers(r);
  if (running.length === 0) return failed(expected, 'no etcd member is running');
  const target = ctlTarget(r, running);
  const stopped = r.members.filter((m) => !running.includes(m.name)).map((m) => m.name);
  const who = `running: ${running.join(' ')}${stopped.length ? `; stopped: ${stopped.join(' ')}` : ''}`;
  if (!(await mayHaveQuorum(r.members.filter((m) => running.includes(m.name))))) {
    return failed(expected, `cannot read the keys: no quorum (no running member has a leader; ${who})`);
  }
  const read = await readPrefix(target, '/lab/', '5s');
  if (!read.ok) return failed(expected, `cannot read the keys: no quorum? (${read.error}; ${who})`);
  const missing: string[] = [];
  const wrong: string[] = [];
  let found = 0;
  for (let i = 1; i <= expected; i++) {
    const k = labKey(i);
    const v = read.kvs.get(k);
    if (v === undefined) missing.push(k);
    else if (v !== labValue(i)) wrong.push(k);
    else found++;
  }
  const sentinel = read.kvs.get(SENTINEL);
  const sentinelOk = sentinel === String(expected);
  if (sentinel === undefined) missing.push(SENTINEL);
  let v2: VerifyResult['v2'];
  const v2Expected = r.loaded?.v2Keys ?? 0;
  let v2Error: string | undefined;
  if (v2Expected > 0) {
    const v2Read = await readV2Keys(target.endpoints, r.tlsFiles);
    const v2Missing: string[] = [];
    let v2Found = 0;
    for (let i = 1; i <= v2Expected; i++) {
      if (v2Read.ok && v2Read.kvs.get(v2Key(i)) === labValue(i)) v2Found++;
      else v2Missing.push(v2Key(i));
    }
    if (!v2Read.ok) v2Error = `cannot read the v2 keys: ${v2Read.error}`;
    v2 = { expected: v2Expected, found: v2Found, missing: v2Missing.slice(0, LISTED), missingCount: v2Missing.length };
  }
  const ok = found === expected && sentinelOk && (!v2 || v2.found === v2.expected);
  return {
    ok,
    expected,
    found,
    missing: missing.slice(0, LISTED),
    missingCount: missing.length,
    wrong: wrong.slice(0, LISTED),
    wrongCount: wrong.length,
    ...(sentinel !== undefined ? { sentinel } : {}),
    sentinelOk,
    ...(v2 ? { v2 } : {}),
    ...(v2Error ? { error: v2Error } : {}),
  };
}
