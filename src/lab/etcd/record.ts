// lab.json: the lab as `lab up` built it, so status, load, break, verify and down work from
// any later process. Written atomically (temporary file, rename).
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LabRecord } from './model.js';
import { LabError } from '../sshd.js';

export function recordFile(dir: string): string {
  return join(dir, 'lab.json');
}

export async function readRecord(dir: string): Promise<LabRecord> {
  let text: string;
  try {
    text = await readFile(recordFile(dir), 'utf8');
  } catch {
    throw new LabError(`no lab in ${dir} (no lab.json): start one with runbook lab up --dir ${dir}`, 'no-lab');
  }
  try {
    const r = JSON.parse(text) as LabRecord;
    if (r.version !== 1 || !Array.isArray(r.members)) throw new Error('unknown format');
    return r;
  } catch (e) {
    throw new LabError(`${recordFile(dir)} is not a lab record (${(e as Error).message})`, 'no-lab');
  }
}

export async function writeRecord(r: LabRecord): Promise<void> {
  const file = recordFile(r.dir);
  await writeFile(`${file}.tmp`, JSON.stringify(r, null, 2) + '\n');
  await rename(`${file}.tmp`, file);
}
