// `runbook runs` finds the runs as apply records them (-i, else ./.runbook), else where the
// last apply recorded; `runs show --format md|json` prints the report.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli.js';

describe('runbook runs', () => {
  const d = mkdtempSync(join(tmpdir(), 'rb-runs-'));
  const env = { XDG_DATA_HOME: join(d, 'data') };
  const inv = join(d, 'inv');
  mkdirSync(inv);
  writeFileSync(join(inv, 'hosts.yml'), 'all:\n  hosts:\n    localhost:\n      ansible_connection: local\n');
  const pb = join(d, 'pb.yml');
  writeFileSync(pb, `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: Touch it\n      file: path=${d}/made state=touch\n`);

  it("finds the last apply's runs from anywhere, and with -i", async () => {
    const a = await runCli(['apply', pb, '-i', inv, '--yes', '-o', 'plain', '--report', join(d, 'incident.md')], { env, cwd: d });
    expect(a.code, a.stderr).toBe(0);
    // after the recap: where the report is (no verification, nothing moved aside in this playbook)
    expect(a.stdout).toMatch(
      new RegExp(
        `Finished in \\d+\\.\\ds\\nIncident report: ${join(inv, '.runbook', 'runs')}/\\S+/report\\.md \\(runbook runs show \\S+ --format md\\)\\n$`,
      ),
    );
    const elsewhere = mkdtempSync(join(tmpdir(), 'rb-runs-cwd-'));
    const r = await runCli(['runs'], { env, cwd: elsewhere });
    expect(r.stderr).toBe(
      `runbook: runs recorded in ${join(inv, '.runbook', 'runs')} (by the last apply; -i INVENTORY or --state-dir for others)\n`,
    );
    expect(r.stdout).toMatch(/\nR?\d{8}T\S+ +ok .* {2}\S*pb\.yml\n/);
    const withI = await runCli(['runs', '-i', inv], { env, cwd: elsewhere });
    expect([withI.stderr, withI.stdout]).toEqual(['', r.stdout]);
    const md = await runCli(['runs', 'show', 'latest', '--format', 'md'], { env, cwd: elsewhere });
    expect(md.stdout).toBe(readFileSync(join(d, 'incident.md'), 'utf8'));
    const json = JSON.parse((await runCli(['runs', 'show', 'latest', '-o', 'json'], { env, cwd: elsewhere })).stdout) as {
      timeline: { step: string; status: string }[];
    };
    expect(json.timeline).toEqual([expect.objectContaining({ step: 'Touch it', status: 'changed' })]);
    expect((await runCli(['runs', 'show', 'latest', '--format', 'yaml'], { env, cwd: elsewhere })).stderr).toContain(
      "--format must be text, md or json, got 'yaml'",
    );
  });
});
