// `-e 'k=v ...'` side by side with ansible-playbook 2.14 (local connection): the same words give
// the same values, corner cases included (doubled quotes, a value only partly quoted, escapes
// decoded, a quote after a backslash). The one difference is on purpose: where Ansible cuts a
// value at a backslash-escaped space and silently drops the rest (`y=c\ d` → `c\`), runbook
// refuses with one line.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { ansibleMessages, runbookMessages } from './side-by-side.js';

const CASES: Record<string, string> = {
  v1: "v1='it''s'",
  v2: 'v2="it""s"',
  v3: "v3='a b'c",
  v4: 'v4=a\\"b',
  v5: 'v5=c\\\\d',
  v6: 'v6="a\\\\b"',
  v7: 'v7=a\\nb',
  v8: 'v8="a b" v8b=1',
  v9: 'v9=a=b',
  v10: 'v10=',
  v11: `v11="a'b"`,
  v12: 'v12=\'x "y" z\'',
};

describe('-e key=value as ansible-playbook reads it', () => {
  it('every case gives the value ansible-playbook 2.14 gives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-extra-'));
    writeFileSync(join(dir, 'inv.ini'), '[all]\nlocalhost ansible_connection=local\n');
    const names = [...Object.keys(CASES), 'v8b'];
    const tasks = names.map((n) => `    - debug: msg="{{ ${n} | to_json }}"\n`).join('');
    writeFileSync(join(dir, 'pb.yml'), `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks}`);
    const extra = Object.values(CASES).flatMap((e) => ['-e', e]);
    const want = await ansibleMessages(dir, 'pb.yml', 'inv.ini', 'localhost', extra);
    const got = await runbookMessages(dir, 'pb.yml', 'inv.ini', 'localhost', extra);
    expect(want).toHaveLength(names.length);
    expect(Object.fromEntries(names.map((n, i) => [n, got[i]]))).toEqual(Object.fromEntries(names.map((n, i) => [n, want[i]])));
    // spot checks, so a change in both engines is seen too
    expect(want[0]).toBe(JSON.stringify("it''s"));
    expect(want[6]).toBe(JSON.stringify('a\nb'));
  });

  it('a backslash-escaped space: Ansible cuts the value and drops the rest, runbook refuses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-extra-'));
    writeFileSync(join(dir, 'inv.ini'), '[all]\nlocalhost ansible_connection=local\n');
    writeFileSync(join(dir, 'pb.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg="{{ y | to_json }}"\n');
    expect(await ansibleMessages(dir, 'pb.yml', 'inv.ini', 'localhost', ['-e', 'y=c\\ d'])).toEqual([JSON.stringify('c\\')]);
    const r = await runCli(['apply', 'pb.yml', '-i', 'inv.ini', '--yes', '-e', 'y=c\\ d'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/-e 'y=c\\ d': 'd' is not key=value \(a backslash does not escape a space here/);
  });
});
