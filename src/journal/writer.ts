// The append-only journal of one run: every line is written (write(2)) before the next, so a
// run killed at any instant leaves a readable record (at worst a torn last line): what the
// kernel has survives the process. fsync, which only matters when the machine itself goes
// down, is a group commit: after the header and at the end of each task, play and run (and at
// close), not per line. A crash then loses at most the results of the task in flight, which
// --resume runs again, as it does for a task killed half-way. (One fsync a line cost ~5 ms on
// this machine, blocking the event loop: about a third of a 30-task run.)
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { JournalLine, RunHeader } from './model.js';

/** The lines after which the journal is fsynced (see above). */
const COMMIT_AFTER = new Set(['run-header', 'task-end', 'play-end', 'run-end']);

export class Journal {
  private fd: number | undefined;
  readonly file: string;

  private constructor(readonly dir: string, private readonly onClose?: () => void) {
    this.file = join(dir, 'journal.jsonl');
  }

  /** Creates `<runsDir>/<header.id>/journal.jsonl` and writes the header; `onClose` runs once at close (the lock's release). */
  static create(runsDir: string, header: RunHeader, onClose?: () => void): Journal {
    const j = new Journal(join(runsDir, header.id), onClose);
    mkdirSync(j.dir, { recursive: true, mode: 0o700 });
    j.fd = openSync(j.file, 'a', 0o600);
    j.append(header);
    return j;
  }

  append(line: JournalLine): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, JSON.stringify(line) + '\n');
    if (COMMIT_AFTER.has(line.type)) fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd === undefined) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = undefined;
    this.onClose?.();
  }
}

/** Run ids sort by time: 20261123T101500.123Z-<4 hex>. */
export function newRunId(now = new Date(), rand = Math.random): string {
  const stamp = now.toISOString().replace(/[-:]/g, '');
  return `${stamp}-${Math.floor(rand() * 0x10000).toString(16).padStart(4, '0')}`;
}
