// The host-side lock: before anything runs on a host, apply writes a lock file there (over
// the same connection) naming the run, the controller, its pid and the process group of the
// remote shell that runs its commands, so that two operators on two laptops cannot change the
// same hosts at once. It fails closed: a lock is stale (taken over) only when its owner is
// provably gone — a dead process on this same controller whose remote process group and
// session have no process left on the host; a lock that cannot be created, read or parsed refuses the host
// (it is UNREACHABLE with the reason) unless --break-lock. Released when the connection closes.
import { connectError } from '../connection/errors.js';
import type { Connection } from '../connection/types.js';
import { alive } from '../journal/read.js';
import { parseOwner, type LockOwner } from '../journal/lock.js';
import { printable } from '../core/printable.js';

export const DEFAULT_HOST_LOCK = '/tmp/runbook.lock';

/** The lock line as written on the host: the owner plus its remote process group. */
interface HostLockOwner extends LockOwner {
  /** process group of the remote shell: alive while a command of the run runs */
  readonly runner?: number;
  /** session of the remote shell (sshd makes one per channel; sudo's monitor stays in it) */
  readonly session?: number;
}

// $2 is the owner's JSON without its closing brace; the shell adds its process group and
// session (fields 5 and 6 of /proc/$$/stat, read after the command name, which may hold spaces).
// Built-ins only on the way that takes a free lock (no subshell, no cat): a fleet of 500 hosts
// pays each process here 500 times on its sshd hosts. The script runs in a /bin/sh of its own,
// so `set -C` (noclobber: the exclusive create) ends with it. The create and the write are two
// steps: a lock found empty may be another writer's between them (inventory aliases of one
// machine share its lock file; 500 of them in the fleet bench hit it), so an empty lock is
// read again for up to 1 s before it counts as torn.
export const TAKE_LOCK_SCRIPT = `st=; read -r st 2>/dev/null </proc/$$/stat; set -- "$1" "$2" \${st##*) }; line="$2,\\"runner\\":\${5:-0},\\"session\\":\${6:-0}}"
set -C
if { printf "%s\\n" "$line" > "$1"; } 2>/dev/null; then echo TAKEN
elif [ ! -e "$1" ]; then echo "NOCREATE $( (: > "$1") 2>&1 | sed 's/.*: //' | head -n 1)"
elif [ ! -r "$1" ]; then echo UNREADABLE
else n=0; while [ ! -s "$1" ] && [ $n -lt 20 ]; do sleep 0.05; n=$((n+1)); done; echo HELD; cat -- "$1"; fi
echo "ME \${5:-0} \${6:-0}"`;
// takes over only when no live process (a zombie is dead: nothing may reap it) is left in the
// old run's remote process group or session. The old channel's hangup may still be on its way
// (a controller killed a moment ago): its commands get up to 3 s to go before the host is refused,
// naming the first one still there (pid and command line).
const FORCE = `f=$1 line=$2 g=$3 s=\${4:-0} n=0
busy() { for st in /proc/[0-9]*/stat; do
  read -r l <"$st" 2>/dev/null || continue; p=\${st#/proc/}; p=\${p%/stat}; set -- \${l##*) }
  [ "$1" = Z ] && continue
  if { [ "$g" != 0 ] && [ "$3" = "$g" ]; } || { [ "$s" != 0 ] && [ "$4" = "$s" ]; }; then
    echo "$p $(tr '\\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-200)"; return 0
  fi
done; return 1; }
while b=$(busy); do n=$((n+1)); [ $n -ge 30 ] && { echo "BUSY $b"; exit 0; }; sleep 0.1; done
t="$f.$$"; printf "%s\\n" "$line" > "$t" && mv -f "$t" "$f" && echo DONE`;
// the lock is removed only when it names this run (read, a built-in: one process, rm, when it is ours)
const RELEASE = 'l=; IFS= read -r l 2>/dev/null <"$1"; case $l in *"\\"run\\":\\"$2\\""*) rm -f "$1";; esac; exit 0';

type Open = (host: string, vars: Readonly<Record<string, unknown>>) => Promise<Connection>;

export function withHostLock(open: Open, me: LockOwner, breakLock: boolean, note: (host: string, msg: string) => void): Open {
  return async (host, vars) => {
    const conn = await open(host, vars);
    const file = typeof vars['runbook_lock_file'] === 'string' ? vars['runbook_lock_file'] : DEFAULT_HOST_LOCK;
    const refuse = async (detail: string): Promise<never> => {
      await conn.close();
      throw connectError({ reason: 'other', host, detail });
    };
    const mine = JSON.stringify(me).replace(/\}$/, '');
    const got = await conn.exec(['/bin/sh', '-c', TAKE_LOCK_SCRIPT, 'lock', file, mine]);
    const lines = got.stdout.split('\n');
    const state = lines[0] ?? '';
    const me2 = /^ME (\d+) (\d+)$/m.exec(got.stdout);
    const line = `${mine},"runner":${Number(me2?.[1] ?? 0)},"session":${Number(me2?.[2] ?? 0)}}`;
    if (state !== 'TAKEN') {
      let owner: HostLockOwner | undefined;
      let why = '';
      if (state === 'HELD') {
        const parsed = parseOwner(
          lines
            .slice(1)
            .filter((l) => !l.startsWith('ME '))
            .join('\n'),
        );
        if (parsed.ok) owner = parsed.owner as HostLockOwner;
        else why = `the lock ${file} cannot be parsed (${parsed.why})`;
      } else if (state.startsWith('NOCREATE')) {
        why = `cannot create the lock ${file} (${state.slice(9).trim() || `rc ${got.rc}`}); set runbook_lock_file to a writable path`;
      } else {
        why = `the lock ${file} cannot be read (${state || got.stderr.trim() || `rc ${got.rc}`})`;
      }
      // a lock that cannot be created is never broken: there would be no lock at all
      if (state.startsWith('NOCREATE')) return refuse(`${why}: refusing to run without it`);
      if (owner?.run === me.run) return wrap(conn, file, me.run);
      // provably gone: this controller's pid is dead, and the lock says which remote processes were its
      const stale = owner !== undefined && owner.controller === me.controller && !alive(owner.pid) && (owner.runner ?? 0) > 0;
      if (!stale && !breakLock) {
        if (!owner) return refuse(`${why}: refusing the host; --break-lock if you are sure no run holds it`);
        return refuse(
          `locked by run ${owner.run} of ${owner.user}@${owner.controller} (pid ${owner.pid}) since ${owner.since} (${file}); --break-lock if you are sure it is gone`,
        );
      }
      const group = (n: number | undefined): string => String(stale && typeof n === 'number' && Number.isInteger(n) ? n : 0);
      const forced = await conn.exec(['/bin/sh', '-c', FORCE, 'lock', file, line, group(owner?.runner), group(owner?.session)]);
      const busy = /^BUSY (\d+) ?(.*)$/m.exec(forced.stdout);
      if (busy) {
        const cmd = printable(busy[2]!.trim() || '?');
        return refuse(
          `run ${owner!.run} (${file}) is gone from this controller but its commands still run on the host: pid ${busy[1]} \`${cmd}\` (process group ${owner!.runner ?? 0}, session ${owner!.session ?? '?'}): wait for it, or stop it, then run again`,
        );
      }
      if (!forced.stdout.includes('DONE')) return refuse(`cannot take over the lock ${file}: ${forced.stderr.trim() || `rc ${forced.rc}`}`);
      note(
        host,
        `took over the ${stale ? 'stale' : 'broken (--break-lock)'} lock ${file}${owner ? ` of run ${owner.run} (${owner.user}@${owner.controller}, pid ${owner.pid})` : ''}`,
      );
    }
    return wrap(conn, file, me.run);
  };
}

function wrap(conn: Connection, file: string, run: string): Connection {
  const close = conn.close.bind(conn);
  return Object.assign(conn, {
    close: async () => {
      await conn.exec(['/bin/sh', '-c', RELEASE, 'unlock', file, run]).catch(() => undefined);
      await close();
    },
  });
}
