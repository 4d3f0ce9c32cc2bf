// ansible-playbook's connection options that runbook cannot honour are refused before anything
// runs, in one line naming the option (the ones it honours: test/e2e/compat/precedence.test.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

describe('ansible-playbook options runbook refuses', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rb-opts-'));
  writeFileSync(join(dir, 'pb.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: "true"\n');
  writeFileSync(join(dir, 'inv'), 'h1 ansible_host=127.0.0.1\n');
  for (const [args, message] of [
    [['-c', 'docker'], '-c/--connection docker: runbook connects with ssh or local'],
    [['-k'], '-k/--ask-pass: password logins are not supported'],
    [['--become-method', 'su'], '--become-method su: become always runs sudo'],
    [['-T', 'abc'], "--connect-timeout / -T must be a number of seconds, got 'abc'"],
  ] as const)
    it(`${args.join(' ')}: exit 1, one line, nothing run`, async () => {
      const r = await runCli(['apply', 'pb.yml', '-i', 'inv', '--yes', ...args], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining(`runbook: error: ${message}`)]);
      expect(r.stdout).not.toMatch(/TASK \[/);
    });
});
