// One run at a time per inventory: a lock file in the state dir, created exclusively. A lock
// whose holder is a dead process on this same controller is stale and taken over; a live
// holder, or one on another controller, is refused with its owner unless broken on purpose.
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { dirname } from 'node:path';
import { alive } from './read.js';

export interface LockOwner {
  readonly run: string;
  readonly pid: number;
  readonly controller: string;
  readonly user: string;
  readonly since: string;
}

export class LockHeld extends Error {
  constructor(readonly owner: LockOwner, readonly file: string) {
    super(`${file} is held by run ${owner.run} of ${owner.user}@${owner.controller} (pid ${owner.pid}) since ${owner.since}: wait for it, or --break-lock if you are sure it is gone`);
  }
}

export interface Lock {
  /** set when a stale or broken lock was taken over: say so */
  readonly tookOver?: string;
  release(): void;
}

function describe(o: LockOwner): string {
  return `run ${o.run} of ${o.user}@${o.controller} (pid ${o.pid}, since ${o.since})`;
}

export function acquireLock(file: string, run: string, opts: { breakLock?: boolean } = {}): Lock {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const me: LockOwner = { run, pid: process.pid, controller: hostname(), user: userInfo().username, since: new Date().toISOString() };
  let tookOver: string | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, JSON.stringify(me) + '\n');
      closeSync(fd);
      return {
        ...(tookOver ? { tookOver } : {}),
        release() {
          try {
            const cur = JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
            if (cur.run === run && cur.pid === me.pid) unlinkSync(file);
          } catch {
            /* already gone */
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let owner: LockOwner | undefined;
    try {
      owner = JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
    } catch {
      owner = undefined; // torn or empty: its writer died while writing it
    }
    const stale = owner === undefined || (owner.controller === me.controller && !alive(owner.pid));
    if (!stale && !opts.breakLock) throw new LockHeld(owner!, file);
    tookOver = owner ? `${stale ? 'stale lock' : 'lock broken (--break-lock)'}: ${describe(owner)}` : 'unreadable lock file';
    try {
      unlinkSync(file);
    } catch {
      /* someone else took it over first: try again */
    }
  }
  throw new Error(`cannot take the lock ${file}: it keeps changing hands`);
}
