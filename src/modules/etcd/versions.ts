// Members on different etcd versions in one recovery (a rolling upgrade interrupted by the
// disaster). etcd never downgrades: a member joining a cluster whose cluster version is newer
// than its own exits ("the running cluster version(3.5.0) is higher than the maximum cluster
// version(3.4.0) supported", seen on a 3.4.23 member joining a cluster restored by 3.5.30), and
// a snapshot saved by a newer etcd is not for older tools to restore. The other way round is an
// upgrade and works: a 3.5 member joins a cluster restored by 3.4. Pure, unit-tested.
import { majorMinor } from './env-flags.js';
import type { MemberFacts } from './facts-model.js';

/** "3.5" of "3.5.30"; undefined when the version is unknown ("", "0.0"). */
export function minorOf(version: string | undefined): string | undefined {
  const [major, minor] = majorMinor(version ?? '');
  return major === 0 && minor === 0 ? undefined : `${major}.${minor}`;
}

/** Is a's major.minor newer than b's? (false when either is unknown: nothing to compare) */
export function newerMinor(a: string | undefined, b: string | undefined): boolean {
  if (!minorOf(a) || !minorOf(b)) return false;
  const [am, an] = majorMinor(a!);
  const [bm, bn] = majorMinor(b!);
  return am > bm || (am === bm && an > bn);
}

/** The version a member runs: what its server says when it serves, else its tools' version. */
export function memberVersion(m: MemberFacts): string {
  return m.status?.version || m.version;
}

/**
 * Refusal when members that would restore the survivor's snapshot or join its cluster run an
 * older etcd (major.minor) than the survivor: they would fail half-way through the recovery.
 */
export function olderMembers(survivor: MemberFacts, others: readonly MemberFacts[]): string | undefined {
  const sv = memberVersion(survivor);
  const older = others.filter((m) => m.host !== survivor.host && newerMinor(sv, memberVersion(m)));
  if (older.length === 0) return undefined;
  const who = older.map((m) => `${m.host} (${memberVersion(m)})`).join(', ');
  const oldest = minorOf(memberVersion(older[0]!));
  return `${survivor.host}, the survivor, runs etcd ${sv} and ${who} ${older.length > 1 ? 'run' : 'runs'} an older etcd: a ${oldest} member can neither join a cluster restored by ${minorOf(sv)} nor restore its snapshot (etcd does not downgrade); upgrade etcd on ${older.map((m) => m.host).join(', ')} to ${minorOf(sv)} and run again, or recover from a member on the older version (-e etcd_survivor=NAME)`;
}

/** Refusal to restore a snapshot saved by a newer etcd than the tools at hand (one line). */
export function snapshotTooNew(
  snapshot: string,
  savedBy: string | undefined,
  tools: readonly [number, number],
  host: string,
  tool: string,
): string | undefined {
  const have = `${tools[0]}.${tools[1]}`;
  if (!newerMinor(savedBy, have)) return undefined;
  return `refusing to restore ${snapshot} on ${host}: it was saved from etcd ${savedBy} and ${tool} here is etcd ${have} (etcd does not downgrade): restore it with ${minorOf(savedBy)} tools (etcdctl_path/etcdutl_path) or upgrade etcd on ${host} first`;
}
