// The one size limit (4 MiB; a non-regular file refused unread) on every file runbook reads from
// the controller, beyond playbooks (validate-limits.test.ts): inventories (INI, YAML,
// group_vars/, host_vars/), `-e @file`, and the files read at run time (vars_files,
// include_vars, template, lookup('file')). Each answer is one positioned line, no stack trace.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'rb-read-limits-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  return p;
};
const BIG = '# ' + 'x'.repeat(78) + '\n';
const big = (name: string): string => file(name, BIG.repeat(60_000)); // 4.8 MB
const inv = file('inv.ini', '[all]\nlocalhost ansible_connection=local\n');
const pb = file('pb.yml', '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=ok\n');

/** one positioned line about `name`, and neither a stack trace nor the file's text */
function refused(stderr: string, name: RegExp, why: RegExp): void {
  expect(stderr).toMatch(new RegExp(`${name.source}:1:1: ${why.source}`));
  expect(stderr).not.toMatch(/\n\s+at |xxxxxxxxxx/);
  expect(stderr.length).toBeLessThan(2000);
}
const HUGE = /is \d+\.\d MiB, more than the 4 MiB/;

describe('the read limit covers every file runbook reads', () => {
  it('an INI inventory larger than 4 MiB, and a FIFO as an inventory', async () => {
    const r = await runCli(['plan', pb, '-i', big('huge.ini')]);
    expect(r.code).toBe(1);
    refused(r.stderr, /huge\.ini/, HUGE);
    const fifo = join(dir, 'fifo.ini');
    execFileSync('mkfifo', [fifo]);
    const f = await runCli(['plan', pb, '-i', fifo], { timeoutMs: 20_000 });
    expect(f.code).toBe(1);
    refused(f.stderr, /fifo\.ini/, /is not a regular file/);
  });

  it('a YAML inventory, and group_vars/ and host_vars/ files beside it', async () => {
    const y = await runCli(['plan', pb, '-i', big('yaml/huge.yml')]);
    expect(y.code).toBe(1);
    refused(y.stderr, /huge\.yml/, HUGE);
    file('gv/hosts.ini', '[web]\nlocalhost ansible_connection=local\n');
    big('gv/group_vars/web.yml');
    const g = await runCli(['plan', pb, '-i', join(dir, 'gv/hosts.ini')]);
    expect(g.code).toBe(1);
    refused(g.stderr, /group_vars\/web\.yml/, HUGE);
    file('hv/hosts.ini', '[web]\nlocalhost ansible_connection=local\n');
    big('hv/host_vars/localhost/main.yml');
    const h = await runCli(['plan', pb, '-i', join(dir, 'hv/hosts.ini')]);
    expect(h.code).toBe(1);
    refused(h.stderr, /host_vars\/localhost\/main\.yml/, HUGE);
  });

  it('-e @file: too large, and a device', async () => {
    const r = await runCli(['plan', pb, '-i', inv, '-e', `@${big('extra.yml')}`]);
    expect(r.code).toBe(1);
    refused(r.stderr, /extra\.yml/, HUGE);
    const z = await runCli(['plan', pb, '-i', inv, '-e', '@/dev/zero'], { timeoutMs: 20_000 });
    expect(z.code).toBe(1);
    refused(z.stderr, /\/dev\/zero/, /is not a regular file/);
  });

  it('at run time: vars_files, include_vars, template and lookup(file) refuse a huge file', async () => {
    big('run/vars/huge.yml');
    big('run/templates/huge.j2');
    big('run/files/huge.txt');
    const cases: [string, string][] = [
      ['vars_files', '- hosts: all\n  gather_facts: false\n  vars_files: [vars/huge.yml]\n  tasks:\n    - debug: msg=ok\n'],
      ['include_vars', '- hosts: all\n  gather_facts: false\n  tasks:\n    - include_vars: huge.yml\n'],
      ['template', `- hosts: all\n  gather_facts: false\n  tasks:\n    - template: src=huge.j2 dest=${dir}/out.txt\n`],
      ['lookup', "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=\"{{ lookup('file', 'huge.txt') }}\"\n"],
    ];
    for (const [what, text] of cases) {
      const p = file(`run/${what}.yml`, text);
      const r = await runCli(['apply', p, '-i', inv, '--yes', '-o', 'plain']);
      expect(r.code, what).toBe(2);
      const out = r.stdout + r.stderr;
      expect(out, what).toMatch(/huge\.(yml|j2|txt):1:1: is \d+\.\d MiB, more than the 4 MiB/);
      expect(out, what).not.toMatch(/xxxxxxxxxx/);
    }
  });
});
