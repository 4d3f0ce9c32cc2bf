// Per-command help: each command prints its own options and an example; -o is only the format.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

  it('lab break --help lists the scenarios; every `lab break X` in the help and the docs names one of them', async () => {
    const r = await runCli(['lab', 'break', '--help']);
    const listed = [
      ...r.stdout
        .split('\nscenarios:\n')[1]!
        .split('\n\n')[0]!
        .matchAll(/^ {2}(\S+) /gm),
    ].map((m) => m[1]!);
    const wrong = await runCli(['lab', 'break', 'no-such-thing', '--dir', '/nonexistent']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain(`no scenario 'no-such-thing': one of ${listed.join(', ')}`);
    const texts = [
      (await runCli(['lab', '--help'])).stdout,
      r.stdout,
      readFileSync('README.md', 'utf8'),
      ...readdirSync('docs')
        .filter((f) => f.endsWith('.md'))
        .map((f) => readFileSync(join('docs', f), 'utf8')),
    ];
    const named = texts.flatMap((t) => [...t.matchAll(/lab break ([a-z][\w-]*)/g)].map((m) => m[1]!));
    expect(named.length).toBeGreaterThan(2);
    expect(named.filter((n) => !listed.includes(n))).toEqual([]);
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
