// Duplicate keys in an inventory or an `-e @file` warn and the last value wins, as
// ansible-playbook 2.14 does (side by side, 2026-12-04): one YAML reader, warnings said by plan/apply.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli.js';

describe('YAML warnings of the inventory and -e @file', () => {
  const d = mkdtempSync(join(tmpdir(), 'rb-yamlwarn-'));
  writeFileSync(join(d, 'inv.yml'), 'all:\n  hosts:\n    localhost:\n      ansible_connection: local\n      x: 1\n      x: 2\n');
  writeFileSync(join(d, 'ev.yml'), 'y: 1\ny: 3\n');
  writeFileSync(join(d, 'bad.yml'), 'y: "open\n');
  writeFileSync(join(d, 'pb.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg="{{ x }} {{ y }}"\n');

  it('a duplicate key is a warning at FILE:LINE:COL, the last value wins, the run goes on', async () => {
    const r = await runCli(['apply', 'pb.yml', '-i', 'inv.yml', '-e', '@ev.yml', '--yes', '-o', 'plain'], { cwd: d });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('"msg": "2 3"');
    expect(r.stderr).toContain('inv.yml:6:7: warning: found a duplicate dict key (x). Using last defined value only.');
    expect(r.stderr).toContain('ev.yml:2:1: warning: found a duplicate dict key (y). Using last defined value only.');
  });

  it('a broken -e @file is one line naming the file, line and column, exit 1, nothing run', async () => {
    const r = await runCli(['apply', 'pb.yml', '-i', 'inv.yml', '-e', '@bad.yml', '--yes'], { cwd: d });
    expect(r.code).toBe(1);
    expect(
      r.stderr
        .trim()
        .split('\n')
        .filter((l) => !l.includes('warning:')),
    ).toEqual(['runbook: error: -e @bad.yml: bad.yml:1:4: YAML syntax error: unclosed double quote']);
    expect(r.stdout).not.toContain('TASK');
  });
});
