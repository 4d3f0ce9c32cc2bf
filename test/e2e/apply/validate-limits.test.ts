// validate with limits (issue 16, case 7), through the built CLI: a huge playbook is refused
// unread, an error-heavy one prints a bounded report, a device is never read, and YAML-level
// errors (unresolved alias, too many aliases) and a 500-deep template carry FILE:LINE:COL
// without stopping the other files of the command.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'rb-validate-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const good = file('good.yml', '- hosts: all\n  tasks:\n    - debug: msg=ok\n');

describe('validate with limits', () => {
  it('a 20 MB playbook is refused unread, and the next file is still checked', async () => {
    const big = file('big.yml', '- hosts: all\n  tasks:\n' + '    - debug: msg=0123456789012345678901234567890123456789\n'.repeat(400_000));
    const r = await runCli(['validate', big, good], { timeoutMs: 30_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/big\.yml:1:1: is \d+\.\d MiB, more than the 4 MiB/);
    expect(r.stdout).toMatch(/good\.yml: ok/);
    expect(r.stderr.length).toBeLessThan(1000);
  });

  it('an error-heavy playbook: at most 50 errors, then "and N more"; each source line shown once', async () => {
    const tasks = Array.from({ length: 1000 }, (_, i) => `    - comand${i}: x\n      bogus_keyword: 1\n`).join('');
    const heavy = file('heavy.yml', `- hosts: all\n  tasks:\n${tasks}`);
    const r = await runCli(['validate', heavy, good], { timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter((l) => /^.*heavy\.yml:\d+:\d+: /.test(l))).toHaveLength(50);
    expect(r.stderr).toMatch(/heavy\.yml: and \d+ more errors \(the first 50 are shown\)/);
    expect(r.stderr.length).toBeLessThan(20_000);
    const excerpts = r.stderr.split('\n').filter((l) => /^ {4}\S/.test(l) && !/^ {4}\^/.test(l.trim() === '^' ? '    ^' : l));
    expect(new Set(excerpts).size).toBe(excerpts.length);
    expect(r.stdout).toMatch(/good\.yml: ok/);
  });

  it('import_playbook of /dev/zero is refused, not read', async () => {
    const z = file('zero.yml', '- import_playbook: /dev/zero\n');
    const r = await runCli(['validate', z, good], { timeoutMs: 30_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\/dev\/zero:1:1: is not a regular file/);
    expect(r.stdout).toMatch(/good\.yml: ok/);
  });

  it('unresolved alias, alias bomb and a 500-deep template: positioned errors; the other files still checked', async () => {
    const alias = file('alias.yml', '- hosts: all\n  tasks:\n    - debug: *nope\n');
    const lines = ['- hosts: all', '  vars:', '    a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      lines.push(
        `    a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const bomb = file('bomb.yml', lines.join('\n') + '\n  tasks: []\n');
    const deep = file('deep.yml', `- hosts: all\n  tasks:\n    - debug: msg="{{ ${'('.repeat(500)}1${')'.repeat(500)} }}"\n`);
    const r = await runCli(['validate', alias, bomb, deep, good], { timeoutMs: 30_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/alias\.yml:3:14: YAML error: unresolved alias \*nope/);
    expect(r.stderr).toMatch(/bomb\.yml:\d+:\d+: YAML error: aliases expand to too many nodes/);
    expect(r.stderr).toMatch(/deep\.yml:3:\d+: template syntax error: expression nested more than 100 deep/);
    expect(r.stderr).not.toMatch(/call stack|runbook: error/);
    expect(r.stdout).toMatch(/good\.yml: ok/);
  });
});
