// get_url on an existing dest without a checksum, side by side with ansible-playbook 2.14 (local
// connection, a real HTTP server in this process that honours If-Modified-Since): a dest older
// than the server's file is downloaded again and replaced, a newer one is left (304 Not
// Modified), a 404 fails, and check mode asks the server with HEAD (a 404 fails there too)
// and writes nothing. Needs ansible-core, curl.
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ansibleMessages, runbookMessages } from './side-by-side.js';

const BODY = 'new content\n';
const MODIFIED = new Date('2024-06-01T00:00:00Z');
let server: Server;
let url = '';
const heads: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.method === 'HEAD') heads.push(req.url ?? '');
    if (req.url !== '/f.txt') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no');
      return;
    }
    const since = req.headers['if-modified-since'];
    if (since && Date.parse(since) >= MODIFIED.getTime()) {
      res.writeHead(304).end();
      return;
    }
    res.writeHead(200, { 'Last-Modified': MODIFIED.toUTCString(), 'Content-Length': String(BODY.length) });
    res.end(req.method === 'HEAD' ? undefined : BODY);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const PLAYBOOK = `- hosts: localhost
  gather_facts: false
  tasks:
    - get_url: { url: "{{ u }}/f.txt", dest: "{{ d }}/old.txt" }
      register: r1
    - get_url: { url: "{{ u }}/f.txt", dest: "{{ d }}/new.txt" }
      register: r2
    - get_url: { url: "{{ u }}/missing.txt", dest: "{{ d }}/m.txt" }
      register: r3
      ignore_errors: true
    - get_url: { url: "{{ u }}/f.txt", dest: "{{ d }}/absent.txt" }
      register: r4
    - debug: msg="{{ [r1.changed, r1.status_code | default(none), r2.changed, r2.msg, r2.status_code, r3.failed, r3.status_code, r4.changed] | to_json }}"
`;

/** a fresh directory for one engine: old.txt older than the server's file, new.txt newer */
function dest(dir: string, name: string): string {
  const d = join(dir, name);
  mkdirSync(d);
  writeFileSync(join(d, 'old.txt'), 'old\n');
  utimesSync(join(d, 'old.txt'), new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
  writeFileSync(join(d, 'new.txt'), 'mine\n');
  utimesSync(join(d, 'new.txt'), new Date('2025-01-01T00:00:00Z'), new Date('2025-01-01T00:00:00Z'));
  return d;
}

describe('get_url If-Modified-Since and check-mode HEAD: the same as ansible-playbook 2.14', () => {
  it('replaces an older dest, leaves a newer one (304), fails a 404; check mode asks with HEAD and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-compat-geturl-'));
    writeFileSync(join(dir, 'pb.yml'), PLAYBOOK);
    writeFileSync(join(dir, 'inv.ini'), '[all]\nlocalhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
    const vars = (d: string): string[] => ['-e', `u=${url}`, '-e', `d=${d}`];
    for (const check of [true, false]) {
      const mode = check ? ['--check'] : [];
      const a = dest(dir, `ans${check ? '-check' : ''}`);
      const r = dest(dir, `rb${check ? '-check' : ''}`);
      heads.length = 0;
      const want = await ansibleMessages(dir, 'pb.yml', 'inv.ini', 'localhost', [...vars(a), ...mode]);
      const ansibleHeads = heads.length;
      heads.length = 0;
      const got = await runbookMessages(dir, 'pb.yml', 'inv.ini', 'localhost', [...vars(r), ...mode]);
      expect(want.at(-1)).toBe(`[true, ${check ? 'null' : '200'}, false, "HTTP Error 304: Not Modified", 304, true, 404, true]`);
      expect(got.at(-1)).toEqual(want.at(-1));
      for (const d of [a, r]) {
        expect(readFileSync(join(d, 'old.txt'), 'utf8')).toBe(check ? 'old\n' : BODY);
        expect(readFileSync(join(d, 'new.txt'), 'utf8')).toBe('mine\n');
      }
      if (check) {
        expect(ansibleHeads).toBe(4);
        expect(heads.length).toBe(4);
      }
    }
  });
});
