// The append-only journal of one run: every line written and fsynced before the next, so a
// run killed at any instant leaves a readable record (at worst a torn last line).
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { JournalLine, RunHeader } from './model.js';

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
    fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd === undefined) return;
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
