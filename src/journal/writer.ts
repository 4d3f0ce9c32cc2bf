// The append-only journal of one run: lines are written (write(2)) in the order they happen,
// those of one turn of the event loop in one write (the cli queues them: core/turn-batch.ts),
// so a run killed at any instant leaves a readable record that is a prefix of what happened (at
// worst a torn last line, and the events of the turn it died in: --resume runs again what it
// has no result of, as for a task killed half-way): what the kernel has survives the process. fsync, which only matters when the machine itself goes
// down, is a group commit: after the header and at the end of each task, play and run, not
// per line; and it runs on libuv's thread pool, not on the event loop, so the next task's
// commands go out while the disk works (one at a time: a commit asked for while one runs
// starts when it ends and covers every line written by then). Close waits for the disk
// (fsyncSync). A machine crash then loses at most the results of the task in flight and of
// the one before it if its commit had not landed (a millisecond or two), which --resume runs
// again, as it does for a task killed half-way. (An fsync a line cost ~5 ms on this machine,
// blocking the event loop: a third of a 30-task run; a blocking fsync a task, ~1.3 ms each.)
import { closeSync, fsync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { JournalLine, RunHeader } from './model.js';
import { journalText } from './redact.js';

/** The lines after which the journal is fsynced (see above). */
const COMMIT_AFTER = new Set(['run-header', 'task-end', 'play-end', 'run-end']);

export class Journal {
  private fd: number | undefined;
  /** an fsync is running on the thread pool */
  private syncing = false;
  /** lines were written after the running fsync began */
  private dirty = false;
  /** closed while an fsync ran: the descriptor is closed when it ends (never under it) */
  private closeAfterSync: number | undefined;
  readonly file: string;

  private constructor(
    readonly dir: string,
    private readonly onClose?: () => void,
  ) {
    this.file = join(dir, 'journal.jsonl');
  }

  /** Creates `<runsDir>/<header.id>/journal.jsonl` and writes the header; `onClose` runs once at close (the lock's release). */
  static create(runsDir: string, header: RunHeader, onClose?: () => void): Journal {
    const j = new Journal(join(runsDir, header.id), onClose);
    mkdirSync(j.dir, { recursive: true, mode: 0o700 });
    j.fd = openSync(j.file, 'a', 0o600);
    writeSync(j.fd, JSON.stringify(header) + '\n');
    fsyncSync(j.fd); // the run exists on disk before anything runs
    return j;
  }

  append(line: JournalLine): void {
    this.appendAll([line]);
  }

  /** Lines in one write(2) (what one turn of the event loop produced: core/turn-batch.ts), then the group commit if one of them ends a task, play or run. */
  appendAll(lines: readonly JournalLine[]): void {
    if (this.fd === undefined || !lines.length) return;
    writeSync(this.fd, lines.map((l) => journalText(l) + '\n').join(''));
    if (lines.some((l) => COMMIT_AFTER.has(l.type))) this.commit();
  }

  private commit(): void {
    if (this.syncing) {
      this.dirty = true;
      return;
    }
    const fd = this.fd;
    if (fd === undefined) return;
    this.syncing = true;
    this.dirty = false;
    // an error here (EIO) shows again at close, whose fsyncSync throws it
    fsync(fd, () => {
      this.syncing = false;
      if (this.closeAfterSync !== undefined) {
        closeSync(this.closeAfterSync);
        this.closeAfterSync = undefined;
      } else if (this.dirty) {
        this.commit();
      }
    });
  }

  close(): void {
    if (this.fd === undefined) return;
    fsyncSync(this.fd);
    if (this.syncing) this.closeAfterSync = this.fd;
    else closeSync(this.fd);
    this.fd = undefined;
    this.onClose?.();
  }
}

/** Run ids sort by time: 20261123T101500.123Z-<4 hex>. */
export function newRunId(now = new Date(), rand = Math.random): string {
  const stamp = now.toISOString().replace(/[-:]/g, '');
  return `${stamp}-${Math.floor(rand() * 0x10000)
    .toString(16)
    .padStart(4, '0')}`;
}
