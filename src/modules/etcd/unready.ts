// Why a member that listens does not answer: slow, or not serving at all? etcd (3.4, 3.5)
// opens its client socket at start but accepts no connection on it before it has published
// itself to its cluster, which needs quorum (embed's serve() waits on ReadyNotify before its
// first Accept). So a member restarted without quorum accepts TCP in the kernel and never
// answers: every etcdctl probe of it waits out its timeouts (most of a broken cluster's plan,
// and of a recovery's first read). Seen from its host such a member is plain to see: its
// listening socket holds a connection nobody accepted while every thread of its process
// sleeps. A paused (SIGSTOP), starved or busy member is slow, not gone — a thread of it is
// stopped or runnable, or it accepted — and is asked patiently, as before. Only that positive
// sign skips the probes; no sign (no ss, not root, a proxy in front), no skip.
import { randomBytes } from 'node:crypto';
import type { ExecResult } from '../../connection/types.js';
import type { ModuleContext } from '../types.js';
import { script } from './host.js';

// $1 host, $2 port. A connection is opened (bash's /dev/tcp, as listening() does), then samples
// of every listening socket on the port: local address, accept queue, the state of every thread
// of its process (`ss -p` names the process; a stat's state follows its name), each ended by
// `--`. The first at once: an etcd that serves has accepted already (queue 0 on its address: no
// more samples). Else more, 0.05 s apart, for up to 2.5 s after the first (by
// the clock, /proc/uptime: a sample costs a few processes, 0.05–0.1 s on a loaded host), since a
// loaded host's idle etcd shows a thread runnable in many (the runtime's ticks wait for a CPU),
// until one where its address has a queue while every thread sleeps, or its queue drained, or a
// thread is stopped. 0.05 s is enough for an etcd that accepts: the connection wakes the Go
// runtime's netpoller thread at once (a woken thread shows R until it has accepted), and with no
// thread in the poller the runtime's sysmon polls it at least every 10 ms; the idle verdict also
// needs every thread asleep (S) and the connection still queued in that sample.
// `--norc`: see listening().
// Exit 1: refused; 124: the connect timed out; 126/127: no bash.
const PROBE = `timeout 1 bash --norc --noprofile -c 'exec 3<>"/dev/tcp/$1/$2"' probe "$1" "$2" || exit $?
cs() { read -r up _ </proc/uptime 2>/dev/null || up=0.00; echo "\${up%.*}\${up#*.}"; }
n=0 end=$(( $(cs) + 250 ))
while [ $n -eq 0 ] || { [ $n -lt 60 ] && [ "$(cs)" -lt $end ]; }; do
  sample=$(ss -Hltnp "sport = :$2" 2>/dev/null | while read -r state recvq sendq local rest; do
    pid=$(printf '%s\\n' "$rest" | sed -n 's/.*pid=\\([0-9][0-9]*\\).*/\\1/p' | head -n 1)
    st=; [ -n "$pid" ] && st=$(cat /proc/"$pid"/task/*/stat 2>/dev/null | sed 's/^.*) //' | cut -c1 | tr -d '\\n')
    printf '%s %s %s\\n' "$local" "$recvq" "\${st:--}"
  done)
  printf '%s\\n--\\n' "$sample"
  # 0: queued while idle; 2: accepted, or a thread stopped (paused: asked patiently); 1: go on
  printf '%s\\n' "$sample" | awk -v a="$1:$2" -v first=$n 'BEGIN { r = 1 } $1 == a { r = ($2 == 0 || $3 ~ /[Tt]/) ? 2 : (first > 0 && $3 ~ /^S+$/ ? 0 : 1) } END { exit r }'
  [ $? -ne 1 ] && break
  sleep 0.05
  n=$((n + 1))
done
exit 0`;

const bare = (h: string): string => h.replace(/^\[|\]$/g, '').replace(/^::ffff:/, '');
const WILDCARD = new Set(['0.0.0.0', '*', '::', '']);

type Row = { queued: number; threads: string };

/** One sample's row for the socket that serves `host:port`: its own address first, else the only wildcard. */
function rowOf(sample: string, host: string, port: string): Row | undefined {
  const want = bare(host);
  const rows = sample
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 3);
  const mine = rows.filter(([local = '']) => {
    const i = local.lastIndexOf(':');
    if (i < 0 || local.slice(i + 1) !== port) return false;
    const h = bare(local.slice(0, i));
    return h === want || WILDCARD.has(h);
  });
  // several members on one host each listen on their own address
  const row =
    mine.find(([local = '']) => bare(local.slice(0, local.lastIndexOf(':'))) === want) ?? (mine.length === 1 ? mine[0] : undefined);
  return row ? { queued: Number(row[1]), threads: row[2] ?? '' } : undefined;
}

/**
 * From the samples (local address, accept queue, thread states; `--` between samples; the first
 * at once, the others 0.05 s apart): did the socket that serves `host:port` keep connections
 * unaccepted in every sample, with no thread stopped (T/t: paused) in any, and every thread
 * sleeping (S) in a later one — idle, with a connection waiting? A runnable thread (R: the runtime's own ticks, or a starved process whose accept may
 * only be late) in a sample proves nothing either way. Pure.
 */
export function unacceptedWhileIdle(samples: string, host: string, port: string): boolean {
  const rows = samples
    .split(/^--$/m)
    .filter((x) => x.trim() !== '')
    .map((x) => rowOf(x, host, port));
  let idle = false;
  for (const [i, r] of rows.entries()) {
    if (!r || !Number.isInteger(r.queued) || r.queued < 1 || /[Tt]/.test(r.threads) || r.threads === '-') return false;
    // the first sample is taken at once: a connection just made may simply not be accepted yet
    if (i > 0 && /^S+$/.test(r.threads)) idle = true;
  }
  return idle;
}

type PortState = 'refused' | 'unready' | 'listening';

/** The client URL's host and port, or undefined when it is no URL (then it counts as listening). */
function hostPortOf(url: string): { host: string; port: string } | undefined {
  try {
    const u = new URL(url);
    return { host: u.hostname, port: u.port || (u.protocol === 'https:' ? '443' : '80') };
  } catch {
    return undefined;
  }
}

/** The probe's exit code and samples → the state. Exit 1: refused; any other failure: cannot tell (listening). */
function portStateOf(rc: number, samples: string, host: string, port: string): PortState {
  if (rc === 1) return 'refused';
  if (rc !== 0) return 'listening';
  return unacceptedWhileIdle(samples, host, port) ? 'unready' : 'listening';
}

// $1 the probe, $2 the other script, $3 host, $4 port, $5 a marker, then the other's words. The
// probe in the background (its samples to a temp file, removed at exit), the other in front;
// then the marker, the samples and the marker with the probe's exit code. No temp file: one
// after the other, the same output.
const BESIDE = `probe=$1 other=$2 host=$3 port=$4 mark=$5
shift 5
if out=$(mktemp 2>/dev/null); then
  trap 'rm -f -- "$out"' EXIT
  /bin/sh -c "$probe" probe "$host" "$port" >"$out" 2>/dev/null </dev/null &
  pid=$!
  /bin/sh -c "$other" runbook "$@"
  rc=$?
  wait "$pid"
  prc=$?
  printf '\\n%s\\n' "$mark"
  cat -- "$out"
else
  /bin/sh -c "$other" runbook "$@"
  rc=$?
  printf '\\n%s\\n' "$mark"
  /bin/sh -c "$probe" probe "$host" "$port" 2>/dev/null </dev/null
  prc=$?
fi
printf '\\n%s %s\\n' "$mark" "$prc"
exit $rc`;

/** BESIDE's output → the other script's stdout and the probe's exit code and samples. Pure. */
export function splitBeside(stdout: string, mark: string): { other: string; rc: number; samples: string } | undefined {
  const start = stdout.indexOf(`\n${mark}\n`);
  const end = /\n(\S+) (\d+)\n$/.exec(stdout);
  if (start < 0 || !end || end[1] !== mark || end.index < start) return undefined;
  return { other: stdout.slice(0, start), rc: Number(end[2]), samples: stdout.slice(start + mark.length + 2, end.index) };
}

/**
 * What listens on a member's client URL, seen from its host: nothing ('refused'), an etcd that
 * accepts no connection ('unready': not serving, no quorum yet), or something that may answer
 * ('listening': ask it; also whenever this cannot tell). Beside another read of the same host,
 * in one round trip on one shell: the probe samples for 0.05 s or more on an etcd that accepts
 * no connection (the survivor of a quorum loss), and the other script (etcd_facts: the
 * member's configuration) runs meanwhile. The other's result is as if run alone (its stdout,
 * stderr and exit code).
 */
export async function clientPortStateBeside(
  ctx: ModuleContext,
  url: string,
  text: string,
  words: readonly string[],
): Promise<{ port: PortState; other: ExecResult }> {
  const hp = hostPortOf(url);
  if (!hp) return { port: 'listening', other: await script(ctx, text, words) };
  const mark = `@@runbook-probe-${randomBytes(6).toString('hex')}`;
  const r = await script(ctx, BESIDE, [PROBE, text, hp.host.replace(/^\[|\]$/g, ''), hp.port, mark, ...words]);
  const parts = splitBeside(r.stdout, mark);
  // no marker: the host could not run it (the shell died...): the other's answer as it came, the port unknown
  if (!parts) return { port: 'listening', other: r };
  return { port: portStateOf(parts.rc, parts.samples, hp.host, hp.port), other: { ...r, stdout: parts.other } };
}

/** The same, alone (nothing to read beside it). */
export async function clientPortState(ctx: ModuleContext, url: string): Promise<PortState> {
  return (await clientPortStateBeside(ctx, url, 'true', [])).port;
}
