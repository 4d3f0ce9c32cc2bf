// What a stopped member's data dir really holds, as etcd itself yields it: a member killed hard
// (power loss, SIGKILL) has committed entries in its WAL that its db does not hold yet (the
// backend commits every 100 ms; etcd replays the WAL at start), so neither a copy of
// member/snap/db nor its revision is the whole of it ("might lose data … included in the wal",
// etcd's recovery guide). The replay: a COPY of the data dir in a scratch dir on the host (beside
// the data dir, on the same disk), started once with --force-new-cluster on 127.0.0.1 (ports of
// its own below the ephemeral range, retried when taken), asked for its status and key count
// and, for a save, a `snapshot save` (integrity hash kept);
// then stopped and the scratch dir removed. The member's own files are only read (cp -a).
// --force-new-cluster replays exactly the entries the WAL's hard state says are committed
// (etcd discards the uncommitted tail): what the member holds, no more.
import type { ModuleContext } from '../types.js';
import type { EtcdTools } from './etcdctl.js';
import { script } from './host.js';
import { etcdError, parseCount, parseEndpointStatus } from './parse.js';

export interface Replayed {
  readonly revision: number;
  readonly raft_index: number;
  readonly key_count: number;
}

/** The member's etcd binary: etcd_path, else the etcd beside etcdctl_path, else `etcd` on the PATH. */
export function etcdBinary(etcdPath: string | undefined, t: EtcdTools): string {
  if (etcdPath) return etcdPath;
  const slash = t.etcdctl.lastIndexOf('/');
  return slash >= 0 ? `${t.etcdctl.slice(0, slash)}/etcd` : 'etcd';
}

// $1 etcd, $2 etcdctl, $3 data dir, $4 member name, $5 snapshot file to write ('' for none).
// The scratch etcd runs under `timeout` and is killed on any exit of this script, so a run
// killed half-way leaves no etcd behind for long. env -i: no ETCD_* of the session applies.
export const REPLAY_SCRIPT = `set -u
etcd=$1 etcdctl=$2 data=$3 name=$4 dest=$5
# the scratch copy sits beside the data dir: the same disk, never a small tmpfs /tmp; it is refused
# (not half-written) when that disk has no room for a second copy
parent=$(dirname -- "$data")
need=$(du -sk -- "$data" | cut -f1) free=$(df -Pk -- "$parent" | awk 'NR==2 {print $4}')
if [ -n "$need" ] && [ -n "$free" ] && [ "$free" -lt $((need + need / 10 + 1024)) ]; then
  echo "no room beside $data for a scratch copy to replay its WAL: $need KiB needed, $free KiB free in $parent" >&2; exit 1
fi
scratch=$(mktemp -d -- "$parent/.runbook-replay.XXXXXX") || exit 1
pid=
cleanup() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi; rm -rf -- "$scratch"; }
trap cleanup EXIT
trap 'exit 1' HUP INT TERM PIPE
# sparse: each WAL segment is preallocated (64 MB, most of it never written, and a spare one,
# member/wal/0.tmp): GNU cp writes only their data (740 KB instead of 123 MB for two segments);
# another cp copies it all
cp -a --sparse=always -- "$data" "$scratch/data" 2>/dev/null || { rm -rf -- "$scratch/data" && cp -a -- "$data" "$scratch/data"; } || exit 1
ctl() { env -i PATH="$PATH" ETCDCTL_API=3 "$etcdctl" --endpoints="http://127.0.0.1:$port" --dial-timeout=1s --command-timeout=30s "$@"; }
# is it up: a short try. etcdctl waits out its whole --command-timeout on a port nothing answers,
# a refused one included (30 s a try, when the scratch etcd had exited)
ready() { env -i PATH="$PATH" ETCDCTL_API=3 "$etcdctl" --endpoints="http://127.0.0.1:$port" --dial-timeout=1s --command-timeout=2s endpoint health >/dev/null 2>&1; }
# its ports below the kernel's ephemeral range, where the host's outgoing connections take theirs:
# a port one of them holds makes etcd exit at once ("bind: address already in use")
low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
case $low in '' | *[!0-9]*) low=0 ;; esac
up=
for try in 1 2 3 4 5; do
  if [ "$low" -gt 12000 ]; then port=$(( 10000 + $(od -An -N2 -tu2 /dev/urandom) % (low - 10002) ))
  else port=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000 )); fi
  # alone, it elects itself after one election timeout (randomized up to twice it): 10-20 ms
  # instead of etcd's 1-2 s (no peer to miss a heartbeat; 5 heartbeats, etcd's least ratio).
  # Serving follows at once: ready 56-79 ms after the start against 138-249 ms at 100 ms (3.4,
  # 3.5.30 here)
  env -i PATH="$PATH" timeout 300 "$etcd" --name "$name" --data-dir "$scratch/data" --force-new-cluster \\
    --heartbeat-interval 2 --election-timeout 10 \\
    --listen-client-urls "http://127.0.0.1:$port" --advertise-client-urls "http://127.0.0.1:$port" \\
    --listen-peer-urls "http://127.0.0.1:$((port + 1))" --initial-advertise-peer-urls "http://127.0.0.1:$((port + 1))" \\
    >"$scratch/etcd.log" 2>&1 &
  pid=$!
  # its port first, every 0.01 s (cheap; it listens 12-42 ms after its start): an etcdctl
  # started before etcd listens is refused and then waits out its dial timeout before it tries again
  i=0
  while [ $i -lt 1000 ] && ! bash --norc --noprofile -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' port "$port" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || break
    command -v bash >/dev/null 2>&1 || break
    sleep 0.01; i=$((i + 1))
  done
  # and only while it runs: an etcd that exited (a port taken) is not asked at all
  i=0
  while [ $i -lt 1000 ] && kill -0 "$pid" 2>/dev/null; do
    if ready; then up=1; break; fi
    sleep 0.03; i=$((i + 1))
  done
  [ -n "$up" ] && break
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=
  grep -q 'address already in use' "$scratch/etcd.log" || break
done
if [ -z "$up" ]; then echo "etcd ($etcd) did not start on a copy of $data with --force-new-cluster: $(tail -n 2 "$scratch/etcd.log" | tr '\\n' ' ')" >&2; exit 1; fi
ctl endpoint status -w json || exit 1
echo
ctl get '' --prefix --keys-only --limit=1 -w json || exit 1
echo
if [ -n "$dest" ]; then ctl snapshot save "$dest" >/dev/null || exit 1; fi
`;

/** Replays a copy of the stopped member's data dir; with `dest`, saves a snapshot of the replay there. */
export async function replayWal(
  ctx: ModuleContext,
  t: EtcdTools,
  etcd: string,
  dataDir: string,
  name: string,
  dest = '',
): Promise<Replayed | { error: string }> {
  const r = await script(ctx, REPLAY_SCRIPT, [etcd, t.etcdctl, dataDir, name, dest]);
  if (r.rc !== 0) return { error: `replaying the WAL of ${dataDir} failed: ${etcdError(r.stderr) || `rc ${r.rc}`}` };
  const [status = '', count = ''] = r.stdout.split('\n').filter((l) => l.trim().startsWith('[') || l.trim().startsWith('{'));
  try {
    const s = parseEndpointStatus(status);
    return { revision: s.revision, raft_index: s.raftIndex, key_count: parseCount(count) };
  } catch (e) {
    return { error: `replaying the WAL of ${dataDir}: unreadable answer (${(e as Error).message})` };
  }
}
