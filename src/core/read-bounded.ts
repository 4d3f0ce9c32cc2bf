// The one way runbook reads a file of its own input from the controller's disk — playbooks,
// task and vars files, templates, inventories (INI/YAML, group_vars/, host_vars/), `-e @file`,
// vars_files and include_vars at run time: a file larger than any real one, or one that is not
// a regular file (a device, a FIFO, a socket: /dev/zero never ends), is refused unread.
import { readFileSync, statSync, type Stats } from 'node:fs';

/** Larger than any real playbook, inventory or vars file. */
export const MAX_FILE_BYTES = 4 << 20;

/** Why a file is not read at all (a device, a FIFO, a huge file), or undefined. */
export function refusalOf(st: Stats): string | undefined {
  if (st.isDirectory()) return 'is a directory, expected a file';
  if (!st.isFile()) return 'is not a regular file (a device, FIFO or socket): refusing to read it';
  if (st.size > MAX_FILE_BYTES)
    return `is ${(st.size / (1 << 20)).toFixed(1)} MiB, more than the ${MAX_FILE_BYTES >> 20} MiB a playbook, inventory, vars or template file may have: refusing to read it`;
  return undefined;
}

export type BoundedRead =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly reason: 'missing' | 'refused' | 'unreadable'; readonly why: string };

/** The text of a file, or why it was not read (refused before a byte is read). */
export function readBounded(abs: string): BoundedRead {
  let st: Stats;
  try {
    st = statSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT'
      ? { ok: false, reason: 'missing', why: 'no such file' }
      : { ok: false, reason: 'unreadable', why: `cannot read: ${code ?? (e as Error).message}` };
  }
  const refused = refusalOf(st);
  if (refused) return { ok: false, reason: 'refused', why: refused };
  try {
    return { ok: true, text: readFileSync(abs, 'utf8') };
  } catch (e) {
    return { ok: false, reason: 'unreadable', why: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
}

/** The one-line, positioned form of a refusal: `FILE:1:1: why`. */
export function refusalLine(display: string, why: string): string {
  return `${display}:1:1: ${why}`;
}
