// Lookups and with_<lookup> loops, side by side with ansible-playbook 2.14 on the same small
// playbook (local connection): flattened, first_found, varnames, inventory_hostnames, url
// (file:// and http://), fileglob; with_subelements, with_fileglob, with_inventory_hostnames,
// with_flattened. Every task's message must be the same in both engines.
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ansibleMessages, runbookMessages } from './side-by-side.js';

let dir: string;
let server: Server;
let port: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rb-compat-lookups-'));
  mkdirSync(join(dir, 'files', 'conf.d'), { recursive: true });
  for (const f of ['b.conf', 'a.conf', 'c.conf']) writeFileSync(join(dir, 'files', 'conf.d', f), f);
  mkdirSync(join(dir, 'files', 'conf.d', 'sub.conf')); // a directory: fileglob skips it
  writeFileSync(join(dir, 'files', 'hi.txt'), 'hello\n');
  writeFileSync(join(dir, 'lines.txt'), 'l1\nl2\n');
  server = createServer((req, res) => {
    res.writeHead(req.url === '/sums' ? 200 : 404, { 'content-type': 'text/plain' });
    res.end(req.url === '/sums' ? 'abc  a.tgz\ndef  b.tgz\n' : 'no');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
  writeFileSync(
    join(dir, 'inv.ini'),
    '[etcd]\ne1 ansible_connection=local\ne2 ansible_connection=local\n[web]\nw1 ansible_connection=local\n',
  );
  writeFileSync(
    join(dir, 'pb.yml'),
    `- hosts: e1
  gather_facts: false
  vars:
    users:
      - { name: alice, keys: [k1, k2] }
      - { name: bob, keys: [k3] }
      - { name: carol }
    nested: [1, [2, [3, [4]]], null, "x"]
    app_port: 1
    app_host: 2
  tasks:
    - debug: msg="{{ lookup('flattened', nested) }}"
    - debug: msg="{{ query('community.general.flattened', nested, [5]) }}"
    - debug: msg="{{ lookup('first_found', ['nope.txt', 'hi.txt']) | basename }}"
    - debug:
        msg: "{{ lookup('first_found', {'files': ['nope', 'hi.txt'], 'paths': ['files']}) | basename }}"
    - debug: msg="{{ query('first_found', ['nope.txt'], skip=True) }}"
    - debug: msg="{{ query('varnames', '^app_') | sort }}"
    - debug: msg="{{ lookup('varnames', '^app_h', '^app_p') }}"
    - debug: msg="{{ query('inventory_hostnames', 'etcd:web') }}"
    - debug: msg="{{ lookup('inventory_hostnames', 'all:!w1') }}"
    - debug: msg="{{ lookup('url', 'file://${dir}/lines.txt') }}"
    - debug: msg="{{ query('url', 'file://${dir}/lines.txt', split_lines=False) }}"
    - debug: msg="{{ lookup('url', 'http://127.0.0.1:${port}/sums') }}"
    - debug: msg="{{ query('fileglob', 'conf.d/*.conf') | map('basename') | sort }}"
    - debug: msg="{{ query('fileglob', 'nothing*') }}"
    - debug: msg="{{ item.0.name }} {{ item.1 }}"
      with_subelements: [ "{{ users }}", keys, { skip_missing: true } ]
    - debug: msg="{{ item | basename }}"
      with_fileglob: ["conf.d/a*", "conf.d/c*"]
    - debug: msg="{{ item }}"
      with_inventory_hostnames: etcd
    - debug: msg="{{ item }}"
      with_flattened: [1, [2, [3]], "{{ nested }}"]
    - debug: msg="{{ item }}"
      with_community.general.flattened: [[a], [[b]]]
`,
  );
});

afterAll(() => {
  server?.close();
});

describe('lookups and with_<lookup> loops: the same as ansible-playbook 2.14', () => {
  it('every task says the same', async () => {
    const want = await ansibleMessages(dir, 'pb.yml', 'inv.ini', 'e1');
    const got = await runbookMessages(dir, 'pb.yml', 'inv.ini', 'e1');
    expect(want.length).toBe(19);
    expect(got).toEqual(want);
  });
});
