// One run at a time per inventory: a lock file in the state dir, created exclusively. A lock
// whose holder is provably gone (a dead process on this same controller) is stale and taken
// over; a live holder, one on another controller, and a lock that cannot be created, read or
// parsed are refused unless broken on purpose (--break-lock): a lock never opens by itself.
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
  constructor(
    readonly owner: LockOwner,
    readonly file: string,
  ) {
    super(
      `${file} is held by run ${owner.run} of ${owner.user}@${owner.controller} (pid ${owner.pid}) since ${owner.since}: wait for it, or --break-lock if you are sure it is gone`,
    );
  }
}

/** The lock cannot be taken or judged (unwritable dir, unreadable or torn file): refused. */
export class LockUnusable extends Error {}

export interface Lock {
  /** set when a stale or broken lock was taken over: say so */
  readonly tookOver?: string;
  release(): void;
}

function describe(o: LockOwner): string {
  return `run ${o.run} of ${o.user}@${o.controller} (pid ${o.pid}, since ${o.since})`;
}

const errText = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

export function acquireLock(file: string, run: string, opts: { breakLock?: boolean } = {}): Lock {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new LockUnusable(`cannot create the lock ${file} (${errText(e)}): refusing to run without it`);
  }
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
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new LockUnusable(`cannot create the lock ${file} (${errText(e)}): refusing to run without it`);
    }
    const owner = readOwner(file);
    if (!owner.ok) {
      // torn, empty or unreadable: nothing proves its owner gone
      if (!opts.breakLock)
        throw new LockUnusable(
          `the lock ${file} cannot be read (${owner.why}): refusing to run; --break-lock if you are sure no run holds it`,
        );
      tookOver = `unreadable lock file (--break-lock)`;
    } else {
      const stale = owner.owner.controller === me.controller && !alive(owner.owner.pid);
      if (!stale && !opts.breakLock) throw new LockHeld(owner.owner, file);
      tookOver = `${stale ? 'stale lock' : 'lock broken (--break-lock)'}: ${describe(owner.owner)}`;
    }
    try {
      unlinkSync(file);
    } catch {
      /* someone else took it over first: try again */
    }
  }
  throw new Error(`cannot take the lock ${file}: it keeps changing hands`);
}

function readOwner(file: string): { ok: true; owner: LockOwner } | { ok: false; why: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, why: errText(e) };
  }
  return parseOwner(text);
}

/** A lock file's owner, or why it is not one (shared with the host lock). */
export function parseOwner(text: string): { ok: true; owner: LockOwner } | { ok: false; why: string } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { ok: false, why: text.trim() === '' ? 'empty' : 'not JSON' };
  }
  const o = v as Partial<LockOwner> | null;
  if (!o || typeof o !== 'object' || typeof o.run !== 'string' || typeof o.pid !== 'number' || typeof o.controller !== 'string')
    return { ok: false, why: 'not a runbook lock' };
  return { ok: true, owner: o as LockOwner };
}
