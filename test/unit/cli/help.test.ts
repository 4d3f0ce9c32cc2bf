// Per-command help: each command prints its own options and an example; -o is only the format.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

describe('runbook <command> --help', () => {
  it.each([
    ['apply', '--report FILE'],
    ['plan', '--out FILE'],
    ['runs', '--format text|md|json'],
    ['inventory', '--graph [GROUP]'],
    ['validate', 'runbook validate playbooks'],
  ])('%s --help lists its own options and an example', async (cmd, option) => {
    const r = await runCli([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^usage: runbook ${cmd}`));
    expect(r.stdout).toContain(option);
    expect(r.stdout).toMatch(/\nexamples?:\n {2}runbook /);
  });

  it('lab up --help is the subcommand help, not the lab one nor the global one', async () => {
    const r = await runCli(['lab', 'up', '--help']);
    expect(r.stdout).toMatch(/^usage: runbook lab up /);
    expect(r.stdout).toContain('--members N');
    expect(r.stdout).not.toContain('--resume');
    const status = await runCli(['lab', 'status', '-h']);
    expect(status.stdout).toMatch(/^usage: runbook lab status/);
    expect(status.stdout).not.toContain('--members');
  });

  it('plan --help does not offer -o for a file, apply --help does not offer --out', async () => {
    const plan = (await runCli(['plan', '--help'])).stdout;
    expect(plan).toContain('-o, --output tty|plain|json');
    expect(plan).not.toMatch(/-o, --out\b(?!put)/);
    expect((await runCli(['apply', '--help'])).stdout).not.toContain('--out FILE');
    expect((await runCli(['help', 'runs'])).stdout).toMatch(/^usage: runbook runs/);
  });

  it('plan -o FILE is refused with the flag that saves a plan', async () => {
    const r = await runCli(['plan', 'playbooks/health.yml', '-o', 'plan.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('save a plan with --out plan.json');
  });
});
