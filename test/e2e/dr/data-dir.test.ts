// The data dir etcd really uses (issue 16, cases 1 and 2), on a real lab: an inventory whose
// etcd_data_dir is the parent of the real one (Debian: /var/lib/etcd vs ETCD_DATA_DIR=
// /var/lib/etcd/default) is refused before anything is touched, in plan and apply; with the
// right path the same cluster is recovered with every key. A move-aside target that is not
// an etcd data dir is refused with the reason.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { Lab } from '../../../src/lab/etcd/index.js';
import { runCli } from '../../helpers/cli.js';
import { failures, lab, PLAYBOOK, recover } from '../../helpers/dr.js';

let current: Lab | undefined;
afterEach(async () => {
  await current?.down();
  current = undefined;
});

/** Sets one host var of one member in the lab's inventory (the file keeps the lab's mark). */
function setHostVar(l: Lab, host: string, key: string, value: string): () => void {
  const file = join(l.inventoryDir, 'hosts.yml');
  const text = readFileSync(file, 'utf8');
  const mark = text.slice(0, text.indexOf('\n') + 1);
  const inv = parse(text) as { all: { children: { etcd: { hosts: Record<string, Record<string, unknown>> } } } };
  inv.all.children.etcd.hosts[host]![key] = value;
  writeFileSync(file, mark + stringify(inv));
  return () => writeFileSync(file, text);
}

const listing = (dir: string): string[] => readdirSync(dir).sort();

describe('the data dir etcd really uses', () => {
  it('survivor etcd_data_dir = parent of its real dir: refused in plan and apply, nothing touched; the right path recovers every key', async () => {
    const l = (current = await lab(140, 3, { keys: 1000 }));
    await l.breakLab('quorum-loss');
    const sv = l.member('etcd3');
    const parent = dirname(sv.dataDir);
    const restore = setHostVar(l, 'etcd3', 'etcd_data_dir', parent);
    const before = { files: listing(parent), env: readFileSync(sv.envFile, 'utf8'), data: listing(sv.dataDir) };

    const plan = await runCli(['plan', PLAYBOOK, '-i', l.inventoryDir, '--output', 'json'], { timeoutMs: 120_000 });
    expect(plan.code).not.toBe(0);
    expect(failures(plan)).toContain(`etcd_data_dir is ${parent} but etcd reads ${sv.dataDir}`);

    const r = await recover(l);
    expect(r.code).not.toBe(0);
    const why = failures(r);
    expect(why).toContain(`etcd_data_dir is ${parent} but etcd reads ${sv.dataDir}`);
    // nothing moved, stopped or restored: only the read-only first play ran
    expect(r.events().some((e) => e['type'] === 'task-start' && /Stop etcd|Restore|Move/.test(String(e['task'])))).toBe(false);
    expect(listing(parent)).toEqual(before.files);
    expect(listing(sv.dataDir)).toEqual(before.data);
    expect(readFileSync(sv.envFile, 'utf8')).toBe(before.env);
    expect(await l.etcdPid('etcd3')).toBeDefined();

    restore();
    const ok = await recover(l);
    expect(ok.code, failures(ok)).toBe(0);
    const v = await l.verify();
    expect(v.ok).toBe(true);
    expect(v.found).toBe(1000);
  });

  it('a move-aside target that is not an etcd data dir is refused with the reason, in plan and apply', async () => {
    const l = (current = await lab(141, 1, { keys: 10 }));
    const m = l.member('etcd1');
    const stray = join(dirname(m.dataDir), 'not-etcd');
    mkdirSync(join(stray, 'sub'), { recursive: true });
    writeFileSync(join(stray, 'notes.txt'), 'keep me\n');
    const book = join(dirname(l.inventoryDir), 'aside.yml');
    const task = (path: string): string => `
- hosts: etcd
  gather_facts: false
  tasks:
    - name: Move aside
      etcd_move_aside:
        path: ${path}
        suffix: test
        env_file: "{{ etcd_env_file }}"
        backup_dir: "{{ etcd_backup_dir }}"
        name: "{{ etcd_name }}"
`;
    const cases: [string, RegExp][] = [
      [stray, /holds no member\/ directory: not an etcd data dir/],
      [dirname(m.dataDir), /holds the env file .*etcd\.env: not an etcd data dir/],
      ['/', /path may not be \/|\/ is not an etcd data dir/],
    ];
    for (const [path, why] of cases) {
      writeFileSync(book, task(path));
      for (const cmd of ['plan', 'apply']) {
        const r = await runCli([cmd, book, '-i', l.inventoryDir, '--yes', '--output', 'json']);
        expect(r.code, `${cmd} ${path}`).not.toBe(0);
        expect(failures(r), `${cmd} ${path}`).toMatch(why);
      }
    }
    expect(listing(stray)).toEqual(['notes.txt', 'sub']);
    expect(readFileSync(m.envFile, 'utf8')).toMatch(/ETCD_DATA_DIR=/);
    // the real data dir (it holds member/) is moved
    writeFileSync(book, task(m.dataDir));
    await l.stopMember('etcd1');
    const r = await runCli(['apply', book, '-i', l.inventoryDir, '--yes', '--output', 'json']);
    expect(r.code, failures(r)).toBe(0);
    expect(listing(dirname(m.dataDir))).toContain('data.test');
  });

  it('env values with $(...), backticks, quotes and backslashes stay inert through the sourcing service script; other lines kept byte for byte', async () => {
    const l = (current = await lab(143, 1, { keys: 10 }));
    const m = l.member('etcd1');
    const base = dirname(m.dataDir);
    const nasty = `h2$(touch ${base}/pwned1)\`touch ${base}/pwned2\`"q" 's' \\back $HOME`;
    const book = join(dirname(l.inventoryDir), 'env.yml');
    writeFileSync(
      book,
      `
- hosts: etcd
  gather_facts: false
  tasks:
    - name: Set it
      lineinfile:
        path: "{{ etcd_env_file }}"
        regexp: "^(export +)?{{ item.key }}="
        line: "{{ item.key }}={{ item.value | env_quote }}"
      loop: "{{ {'ETCD_RB_TEST': nasty, 'ETCD_RB_PLAIN': 'a,b=c:d'} | dict2items }}"
    - name: Restart it (the script sources the env file)
      shell: "{{ etcd_service_restart }}"
`,
    );
    const before = readFileSync(m.envFile, 'utf8');
    const r = await runCli(['apply', book, '-i', l.inventoryDir, '--yes', '--output', 'json', '-e', JSON.stringify({ nasty })]);
    expect(r.code, failures(r) + JSON.stringify(r.results('Restart it (the script sources the env file)'))).toBe(0);
    const after = readFileSync(m.envFile, 'utf8');
    expect(after.startsWith(before)).toBe(true); // every earlier line kept byte for byte
    expect(after.slice(before.length)).toBe(
      `ETCD_RB_TEST="h2\\$(touch ${base}/pwned1)\\\`touch ${base}/pwned2\\\`\\"q\\" 's' \\\\back \\$HOME"\nETCD_RB_PLAIN=a,b=c:d\n`,
    );
    expect(readdirSync(base).filter((f) => f.startsWith('pwned'))).toEqual([]);
    const pid = await l.etcdPid('etcd1');
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    expect(environ).toContain(`ETCD_RB_TEST=${nasty}`);
    expect(environ).toContain('ETCD_RB_PLAIN=a,b=c:d');
    // a second run changes nothing
    const again = await runCli(['apply', book, '-i', l.inventoryDir, '--yes', '--output', 'json', '-e', JSON.stringify({ nasty })]);
    expect(again.results('Set it')['etcd1']?.['status']).toBe('ok');
    // a newline is refused, nothing written
    const nl = await runCli([
      'apply',
      book,
      '-i',
      l.inventoryDir,
      '--yes',
      '--output',
      'json',
      '-e',
      JSON.stringify({ nasty: 'a\nETCD_FORCE_NEW_CLUSTER=true' }),
    ]);
    expect(nl.code).not.toBe(0);
    expect(nl.stdout).toMatch(/env_quote: a value with a newline/);
    expect(readFileSync(m.envFile, 'utf8')).toBe(after);
  });
});
