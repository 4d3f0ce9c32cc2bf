// Built-in uri side by side with ansible-playbook 2.14 against a small Node HTTP server on
// 127.0.20.1 (local connection): every registered value must be the same (the Date header
// aside), and the server must have received the same requests (method, path, body,
// Content-Type, Authorization). In --check both skip every uri task the same way.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { ansibleMessages, runbookMessages } from './side-by-side.js';
import { runCli } from '../../helpers/cli.js';

const NOTIFY = fileURLToPath(new URL('../../../playbooks/tasks/notify.yml', import.meta.url));

interface Seen {
  method: string;
  url: string;
  body: string;
  type: string | null;
  auth: string | null;
}

let server: Server;
let base = '';
let seen: Seen[] = [];

function reply(req: IncomingMessage, body: string, res: import('node:http').ServerResponse): void {
  const json = (status: number, v: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(v));
  };
  const path = (req.url ?? '/').split('?')[0];
  if (path?.startsWith('/hooks/')) return json(200, { ok: true });
  if (path === '/echo')
    return json(200, { method: req.method, body, type: req.headers['content-type'] ?? null }, { 'X-Request-Id': 'r-1' });
  if (path === '/missing') return json(404, { error: 'no such thing' });
  if (path === '/created') {
    res.writeHead(201, { 'Content-Type': 'text/plain', 'Set-Cookie': 'session=abc; Path=/' });
    return void res.end('made\n');
  }
  if (path === '/moved') {
    res.writeHead(302, { Location: '/echo' });
    return void res.end();
  }
  if (path === '/private') {
    if (req.headers.authorization !== `Basic ${Buffer.from('deploy:Tr0ub4dor&3').toString('base64')}`) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="hooks"', 'Content-Type': 'text/plain' });
      return void res.end('who are you?\n');
    }
    return json(200, { hello: 'deploy' });
  }
  res.writeHead(500);
  res.end();
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        body,
        type: req.headers['content-type'] ?? null,
        auth: req.headers.authorization ?? null,
      });
      reply(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.20.1', r));
  base = `http://127.0.20.1:${(server.address() as { port: number }).port}`;
});

afterAll(() => {
  server?.close();
});

const TASKS: string[] = [
  `uri: { url: "${'{{ base }}'}/echo" }`,
  `uri: { url: "${'{{ base }}'}/echo", method: POST, body_format: json, body: { text: "run ✓ started", attachments: [1, true, null] }, return_content: true }`,
  `uri: { url: "${'{{ base }}'}/echo", method: put, body_format: form-urlencoded, body: { a: "x y&z", b: [1, 2] } }`,
  `uri: { url: "${'{{ base }}'}/echo", method: POST, body: "raw text\\n", headers: { Content-Type: text/plain } }`,
  `uri: { url: "${'{{ base }}'}/echo", status_code: 201 }`,
  `uri: { url: "${'{{ base }}'}/missing", return_content: true }`,
  `uri: { url: "${'{{ base }}'}/missing", status_code: [200, 404] }`,
  `uri: { url: "${'{{ base }}'}/created", status_code: "200,201", return_content: true }`,
  `uri: { url: "${'{{ base }}'}/moved" }`,
  `uri: { url: "${'{{ base }}'}/moved", follow_redirects: none, status_code: 302 }`,
  `uri: { url: "${'{{ base }}'}/private" }`,
  `uri: { url: "${'{{ base }}'}/private", url_username: deploy, url_password: "Tr0ub4dor&3" }`,
  `uri: { url: "${'{{ base }}'}/private", url_username: deploy, url_password: "Tr0ub4dor&3", force_basic_auth: true }`,
  `uri: { url: "${'{{ base }}'}/echo", dest: "{{ playbook_dir }}/saved.json" }`,
  `uri: { url: "${'{{ base }}'}/echo", creates: "{{ playbook_dir }}/saved.json" }`,
];

function project(tasks: readonly string[] = TASKS): string {
  const dir = mkdtempSync(join(tmpdir(), 'rb-compat-uri-'));
  writeFileSync(join(dir, 'inv.ini'), '[all]\nlocalhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
  const body = tasks.map((t) => `    - ${t}\n      register: r\n      ignore_errors: true\n    - debug: { msg: "{{ r }}" }\n`).join('');
  writeFileSync(join(dir, 'pb.yml'), `- hosts: localhost\n  gather_facts: false\n  vars:\n    base: ${base}\n  tasks:\n${body}`);
  return dir;
}

/** the registered values (every second message), the Date header dropped and the project dir named DIR */
function registered(msgs: unknown[], dir: string): Record<string, unknown>[] {
  return msgs
    .filter((_, i) => i % 2 === 1)
    .map((m) => {
      const v = JSON.parse(JSON.stringify(m).split(dir).join('DIR')) as Record<string, unknown>;
      delete v['date'];
      return v;
    });
}

describe('uri: the same as ansible-playbook 2.14', () => {
  it('registers the same values and sends the same requests', async () => {
    const a = project();
    const b = project();
    seen = [];
    const want = registered(await ansibleMessages(a, 'pb.yml', 'inv.ini', 'localhost'), a);
    const wantSeen = seen;
    seen = [];
    const got = registered(await runbookMessages(b, 'pb.yml', 'inv.ini', 'localhost'), b);
    expect(want.length).toBe(TASKS.length);
    for (let i = 0; i < TASKS.length; i++) expect(got[i], TASKS[i]).toEqual(want[i]);
    expect(seen).toEqual(wantSeen);
    expect(readFileSync(join(b, 'saved.json'), 'utf8')).toBe(readFileSync(join(a, 'saved.json'), 'utf8'));
    // what the table above covers, so a silently empty comparison cannot pass
    expect(want.map((v) => v['status'])).toEqual([200, 200, 200, 200, 200, 404, 404, 201, 200, 302, 401, 200, 200, 200, undefined]);
    expect(want[5]).toMatchObject({
      failed: true,
      msg: 'Status code was 404 and not [200]: HTTP Error 404: Not Found',
      content: '{"error":"no such thing"}',
    });
  });

  it('--check: every uri task is skipped, nothing is sent', async () => {
    // a GET, a POST, a PUT and a download: each kind of plan prediction (ansible-playbook is slow here)
    const some = [TASKS[0]!, TASKS[1]!, TASKS[2]!, TASKS[13]!];
    const a = project(some);
    const b = project(some);
    seen = [];
    const want = registered(await ansibleMessages(a, 'pb.yml', 'inv.ini', 'localhost', ['--check']), a);
    const got = registered(await runbookMessages(b, 'pb.yml', 'inv.ini', 'localhost', ['--check']), b);
    expect(seen).toEqual([]);
    expect(want.length).toBe(some.length);
    for (let i = 0; i < some.length; i++) expect(got[i], some[i]).toMatchObject(want[i]!);
    expect(want[0]).toEqual({
      changed: false,
      failed: false,
      skipped: true,
      msg: 'remote module (ansible.legacy.uri) does not support check mode',
    });
  });

  it('the notification pattern (playbooks/tasks/notify.yml) posts the same start, failure and end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-compat-notify-'));
    writeFileSync(
      join(dir, 'inv.ini'),
      'a ansible_connection=local ansible_python_interpreter=/usr/bin/python3\nb ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n',
    );
    writeFileSync(
      join(dir, 'pb.yml'),
      `- name: rolling restart
  hosts: all
  gather_facts: false
  vars: { notify_webhook_url: "${base}/hooks/T0KEN" }
  tasks:
    - include_tasks: ${NOTIFY}
      vars: { notify_event: start }
    - block:
        - name: health gate
          fail: { msg: "member {{ inventory_hostname }} is not healthy" }
          when: inventory_hostname == 'b'
      rescue:
        - include_tasks: ${NOTIFY}
          vars: { notify_event: failure }
        - fail: { msg: "{{ ansible_failed_result.msg }}" }
    - include_tasks: ${NOTIFY}
      vars: { notify_event: end }
`,
    );
    const env = { USER: 'operator', SUDO_USER: '' };
    seen = [];
    await new Promise<void>((resolve) => {
      execFile('ansible-playbook', ['-i', 'inv.ini', 'pb.yml'], { cwd: dir, env: { ...process.env, ...env } }, () => resolve());
    });
    const want = seen.map((x) => [x.method, x.url, x.type, x.body]);
    seen = [];
    const r = await runCli(['apply', 'pb.yml', '-i', 'inv.ini', '--yes'], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(seen.map((x) => [x.method, x.url, x.type, x.body])).toEqual(want);
    expect(want.map((w) => JSON.parse(String(w[3])).text)).toEqual([
      '▶ runbook: rolling restart started on a, b by operator',
      "❌ runbook: rolling restart FAILED on b at 'health gate': member b is not healthy",
      '✅ runbook: rolling restart finished: 1 of 2 hosts ok (a)',
    ]);
  });
});
