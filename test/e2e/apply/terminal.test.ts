// On a terminal (a real pty through script(1)) `apply` shows the plan and asks; only 'y' applies.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../../helpers/cli.js';

function onTerminal(args: string, answer: string): string {
  const cmd = `stty cols 120 rows 40; node ${CLI} ${args}`;
  const r = spawnSync('sh', ['-c', `(sleep 1.5; printf '${answer}\\r') | script -qec "${cmd}" /dev/null`], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  return r.stdout;
}

describe('apply on a terminal', () => {
  const d = mkdtempSync(join(tmpdir(), 'rb-tty-'));
  const pb = join(d, 'pb.yml');
  writeFileSync(pb, `- hosts: all\n  tasks:\n    - file: path=${d}/made state=touch\n`);

  it("shows the plan, asks, and changes nothing on 'n'", () => {
    const out = onTerminal(`apply ${pb} -i localhost,`, 'n');
    expect(out).toMatch(/would create/);
    expect(out).toMatch(/Plan: 1 to change/);
    expect(out).toMatch(/Apply these changes\? \[y\/N\]/);
    expect(out).toMatch(/Nothing applied/);
    expect(existsSync(join(d, 'made'))).toBe(false);
  });

  it("applies on 'y'", () => {
    const out = onTerminal(`apply ${pb} -i localhost, -o plain`, 'y');
    expect(out).toMatch(/PLAY RECAP/);
    expect(existsSync(join(d, 'made'))).toBe(true);
  });
});
