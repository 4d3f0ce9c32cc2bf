// The host-side lock: before anything runs on a host, apply writes a lock file there (over
// the same connection) naming the run, the controller and its pid, so that two operators on
// two laptops cannot change the same hosts at once. Same rules as the controller lock: a dead
// process on this controller is stale and taken over; anything else refuses the host (it is
// UNREACHABLE with the owner named) unless --break-lock. Released when the connection closes.
import { connectError } from '../connection/errors.js';
import type { Connection } from '../connection/types.js';
import { alive } from '../journal/read.js';
import type { LockOwner } from '../journal/lock.js';

export const DEFAULT_HOST_LOCK = '/tmp/runbook.lock';

const TAKE = 'if ( set -C; printf "%s\\n" "$2" > "$1" ) 2>/dev/null; then echo TAKEN; else cat "$1"; fi';
const FORCE = 't="$1.$$"; printf "%s\\n" "$2" > "$t" && mv -f "$t" "$1"';
const RELEASE = 'grep -qF "\\"run\\":\\"$2\\"" "$1" 2>/dev/null && rm -f "$1"; exit 0';

type Open = (host: string, vars: Readonly<Record<string, unknown>>) => Promise<Connection>;

export function withHostLock(open: Open, me: LockOwner, breakLock: boolean, note: (msg: string) => void): Open {
  return async (host, vars) => {
    const conn = await open(host, vars);
    const file = typeof vars['runbook_lock_file'] === 'string' ? vars['runbook_lock_file'] : DEFAULT_HOST_LOCK;
    const line = JSON.stringify(me);
    const got = await conn.exec(['/bin/sh', '-c', TAKE, 'lock', file, line]);
    if (got.stdout.trim() !== 'TAKEN') {
      let owner: LockOwner | undefined;
      try {
        owner = JSON.parse(got.stdout.trim()) as LockOwner;
      } catch {
        owner = undefined;
      }
      const mine = owner?.run === me.run;
      const stale = owner === undefined || (owner.controller === me.controller && !alive(owner.pid));
      if (!mine) {
        if (!stale && !breakLock) {
          await conn.close();
          throw connectError({ reason: 'other', host, detail: `locked by run ${owner!.run} of ${owner!.user}@${owner!.controller} (pid ${owner!.pid}) since ${owner!.since} (${file}); --break-lock if you are sure it is gone` });
        }
        await conn.exec(['/bin/sh', '-c', FORCE, 'lock', file, line]);
        note(`${host}: took over the ${stale ? 'stale' : 'broken (--break-lock)'} lock ${file}${owner ? ` of run ${owner.run} (${owner.user}@${owner.controller}, pid ${owner.pid})` : ''}`);
      }
    }
    const close = conn.close.bind(conn);
    return Object.assign(conn, {
      close: async () => {
        await conn.exec(['/bin/sh', '-c', RELEASE, 'unlock', file, me.run]).catch(() => undefined);
        await close();
      },
    });
  };
}
