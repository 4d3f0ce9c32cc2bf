// A host whose login user has a heavy ~/.bashrc (pyenv init, rvm, conda...). A `bash -c`
// started under sshd reads ~/.bashrc even when not interactive (bash's rshd heuristic), so a
// port probe written as `timeout 1 bash -c ...` timed out there and every member read as
// "nothing listens" (CI failed so on this machine, whose root runs `pyenv init`). The probes
// run bash with --norc. The slow rc file is given through HOME, which is what bash reads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Lab } from '../../../src/lab/etcd/index.js';
import { runCli } from '../../helpers/cli.js';
import { lab } from '../../helpers/dr.js';

let l: Lab;
beforeAll(async () => {
  l = await lab(84, 1, { keys: 10 });
});
afterAll(async () => {
  await l?.down();
});

describe('a login user with a slow ~/.bashrc', () => {
  it('etcd_status and wait_for still see the running member', async () => {
    const home = join(dirname(l.inventoryDir), 'slow-home');
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, '.bashrc'), 'sleep 3\n');
    const book = join(dirname(l.inventoryDir), 'slow.yml');
    const url = new URL(l.member('etcd1').clientUrl);
    writeFileSync(
      book,
      `- hosts: etcd
  gather_facts: false
  environment:
    HOME: ${home}
  tasks:
    - etcd_status:
        name: "{{ etcd_name }}"
        client_url: "{{ etcd_client_url }}"
        etcdctl_path: "{{ etcdctl_path | default(omit) }}"
    - assert:
        that: etcd_status.healthy
    - wait_for:
        host: ${url.hostname}
        port: ${url.port}
        timeout: 2
`,
    );
    const r = await runCli(['apply', book, '-i', l.inventoryDir, '--yes', '--output', 'plain']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/etcd1\s+:\s+ok=3\s+changed=0\s+unreachable=0\s+failed=0/);
  });
});
