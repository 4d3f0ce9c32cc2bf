// file: state=directory recurse=yes on this machine (local connection, real files).
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPlaybookText } from '../../helpers/run-playbook.js';

const ONE = 'all:\n  hosts:\n    h1: { ansible_connection: local }\n';
const mode = (p: string): number => statSync(p).mode & 0o7777;

describe('file recurse', () => {
  it('sets the mode under a directory, reports ok once converged, predicts in check mode', async () => {
    const d = mkdtempSync(join(tmpdir(), 'rb-rec-'));
    mkdirSync(join(d, 'data', 'sub'), { recursive: true });
    writeFileSync(join(d, 'data', 'sub', 'f'), 'x', { mode: 0o600 });
    symlinkSync('f', join(d, 'data', 'sub', 'link')); // a link has no mode: it must not keep the task changed
    const pb = `- hosts: h1\n  tasks:\n    - name: tree\n      file: { path: ${d}/data, state: directory, mode: "0750", recurse: true }\n`;
    const check = await runPlaybookText(pb, ONE, { check: true });
    expect(check.results('tree')['h1']).toMatchObject({ status: 'changed' });
    expect(mode(join(d, 'data', 'sub', 'f'))).toBe(0o600);
    const r = await runPlaybookText(pb, ONE);
    expect(r.results('tree')['h1']).toMatchObject({ status: 'changed' });
    for (const p of ['data', 'data/sub', 'data/sub/f']) expect(mode(join(d, p)), p).toBe(0o750);
    const again = await runPlaybookText(pb, ONE);
    expect(again.results('tree')['h1']).toMatchObject({ status: 'ok' });
    const bad = await runPlaybookText(
      `- hosts: h1\n  tasks:\n    - name: tree\n      file: { path: ${d}/data/sub/f, state: file, recurse: true }\n`,
      ONE,
    );
    expect(bad.results('tree')['h1']).toMatchObject({ status: 'failed', msg: 'recurse option requires state to be directory' });
  });
});
