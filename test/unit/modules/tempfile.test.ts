// tempfile on this machine (local connection, real mktemp).
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { runPlaybookText } from '../../helpers/run-playbook.js';

const ONE = 'all:\n  hosts:\n    h1: { ansible_connection: local }\n';

describe('tempfile', () => {
  it('creates a new file or directory each run, in path, with prefix and suffix; check mode creates none', async () => {
    const d = mkdtempSync(join(tmpdir(), 'rb-tmpf-'));
    const pb = `- hosts: h1
  tasks:
    - tempfile: { state: directory, path: ${d}, prefix: etcd-restore., suffix: .d }
      register: t
    - tempfile: { path: ${d} }
      register: f
    - debug: msg="{{ t.path }} {{ f.path }}"
`;
    const r = await runPlaybookText(pb, ONE);
    expect(r.exitCode).toBe(0);
    const [dirPath, filePath] = String(r.debug('h1')[0]).split(' ') as [string, string];
    expect(dirname(dirPath)).toBe(d);
    expect(basename(dirPath)).toMatch(/^etcd-restore\.\w{10}\.d$/);
    expect(statSync(dirPath).isDirectory()).toBe(true);
    expect(statSync(filePath).isFile() && basename(filePath).startsWith('ansible.')).toBe(true);
    const again = await runPlaybookText(pb, ONE);
    expect(String(again.debug('h1')[0])).not.toBe(`${dirPath} ${filePath}`);
    rmSync(d, { recursive: true });
    const check = await runPlaybookText(`- hosts: h1\n  tasks:\n    - tempfile: { path: ${d} }\n`, ONE, { check: true });
    expect(check.exitCode).toBe(0);
    expect(existsSync(d)).toBe(false);
  });
});
