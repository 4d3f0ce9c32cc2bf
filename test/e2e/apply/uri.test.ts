// The built-in uri over real SSH, and the webhook notification pattern of docs/notifications.md
// (playbooks/tasks/notify.yml), against a Node HTTP server on 127.0.20.1 that records every
// request; the "hosts" are two sshd on 127.0.21.x (this machine). The built CLI, as an operator
// runs it.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../../helpers/cli.js';
import { startSshHosts, type SshHosts } from '../../helpers/ssh-hosts.js';

const NOTIFY = fileURLToPath(new URL('../../../playbooks/tasks/notify.yml', import.meta.url));
const TOKEN = 'T0KEN-9f3c1e';

interface Post {
  method: string;
  path: string;
  type: string | null;
  body: string;
}

let h: SshHosts;
let inv: string;
let server: Server;
let base = '';
let posts: Post[] = [];
let n = 0;

const why = (r: CliResult): string => `exit ${r.code}\n${r.stderr}\n${r.stdout}`;
const texts = (): string[] => posts.filter((p) => p.path.startsWith('/hooks/')).map((p) => (JSON.parse(p.body) as { text: string }).text);

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      posts.push({ method: req.method ?? '', path: req.url ?? '', type: req.headers['content-type'] ?? null, body });
      if ((req.url ?? '').startsWith('/hooks/down')) {
        res.writeHead(503);
        return void res.end('maintenance');
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ ok: true, method: req.method, body }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.20.1', r));
  base = `http://127.0.20.1:${(server.address() as { port: number }).port}`;
  h = await startSshHosts(2, 21);
  inv = h.inventory();
  mkdirSync(join(h.dir, 'files'));
  writeFileSync(join(h.dir, 'files', 'event.json'), '{"from": "controller"}\n');
});

afterAll(async () => {
  server?.close();
  await h?.stop();
});

beforeEach(() => {
  posts = [];
});

function playbook(body: string, name = 'rolling restart'): string {
  const p = join(h.dir, `pb${++n}.yml`);
  writeFileSync(p, `- name: ${name}\n  hosts: nodes\n  gather_facts: false\n${body}`);
  return p;
}

function apply(pb: string, ...extra: string[]): Promise<CliResult> {
  return runCli(['apply', pb, '-i', inv, '--output', 'json', '--yes', ...extra], { cwd: h.dir });
}

/** every file under dir, as text (the journal, saved plans, reports) */
function allText(dir: string): string {
  if (!existsSync(dir)) return '';
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile())
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
}

describe('uri over SSH', () => {
  it('each host sends its own request: GET json, a body from a controller file and from a host file, a download to dest; --check sends nothing', async () => {
    writeFileSync(join(h.dir, 'host-event.json'), '{"from": "host"}');
    const pb = playbook(`  tasks:
    - name: get
      uri: { url: "${base}/api/{{ inventory_hostname }}" }
      register: got
    - name: seen
      debug: { msg: "{{ got.status }} {{ got.json.method }} {{ got.url | basename }} {{ got.changed }}" }
      when: not ansible_check_mode
    - name: post controller file
      uri: { url: "${base}/api/up", method: POST, src: event.json, headers: { Content-Type: application/json } }
    - name: post host file
      uri: { url: "${base}/api/up", method: PUT, src: "${h.dir}/host-event.json", remote_src: true }
    - name: download
      uri: { url: "${base}/api/dl", dest: "${h.dir}/{{ inventory_hostname }}.json", mode: "0600" }
      register: dl
    - name: downloaded
      debug: { msg: "{{ dl.changed }} {{ dl.mode }} {{ dl.path | basename }}" }
      when: not ansible_check_mode
`);
    const dry = await apply(pb, '--check');
    expect(dry.code, why(dry)).toBe(0);
    expect(posts).toEqual([]);
    expect(dry.results('get')['node1'], why(dry)).toMatchObject({ status: 'skipped' });

    const r = await apply(pb);
    expect(r.code, why(r)).toBe(0);
    expect(r.results('seen')['node1']?.['data']?.['msg']).toBe('200 GET node1 False');
    expect(r.results('seen')['node2']?.['data']?.['msg']).toBe('200 GET node2 False');
    expect(r.results('downloaded')['node2']?.['data']?.['msg']).toBe('True 0600 node2.json');
    expect(posts.filter((p) => p.path.startsWith('/api/node')).map((p) => p.path).sort()).toEqual(['/api/node1', '/api/node2']);
    const ups = posts.filter((p) => p.path === '/api/up');
    expect(ups.filter((p) => p.method === 'POST').map((p) => [p.body, p.type])).toEqual([['{"from": "controller"}\n', 'application/json'], ['{"from": "controller"}\n', 'application/json']]);
    expect(ups.filter((p) => p.method === 'PUT').map((p) => p.body)).toEqual(['{"from": "host"}', '{"from": "host"}']);
    expect(JSON.parse(readFileSync(join(h.dir, 'node1.json'), 'utf8'))).toEqual({ ok: true, method: 'GET', body: '' });
    expect(statSync(join(h.dir, 'node1.json')).mode & 0o777).toBe(0o600);
  });
});

describe('webhook notifications (playbooks/tasks/notify.yml)', () => {
  const NOTIFY_PLAY = (url: string, failOn = 'none', extra = ''): string => `  vars:
    notify_webhook_url: "${url}"${extra}
  tasks:
    - include_tasks: ${NOTIFY}
      vars: { notify_event: start }
    - block:
        - name: restart the member
          command: "true"
        - name: health gate
          fail: { msg: "member {{ inventory_hostname }} is not healthy" }
          when: inventory_hostname == '${failOn}'
      rescue:
        - include_tasks: ${NOTIFY}
          vars: { notify_event: failure }
        - name: the run stays failed
          fail: { msg: "{{ ansible_failed_result.msg }}" }
    - include_tasks: ${NOTIFY}
      vars: { notify_event: end }
`;

  it('a good run posts start and end once each, as {"text": ...} JSON; the token is in no output and no file of the run', async () => {
    const r = await apply(playbook(NOTIFY_PLAY(`${base}/hooks/${TOKEN}`)));
    expect(r.code, why(r)).toBe(0);
    expect(posts.map((p) => [p.method, p.path, p.type])).toEqual([
      ['POST', `/hooks/${TOKEN}`, 'application/json'],
      ['POST', `/hooks/${TOKEN}`, 'application/json'],
    ]);
    expect(texts()[0]).toMatch(/^▶ runbook: rolling restart started on node1, node2 by /);
    expect(texts()[1]).toBe('✅ runbook: rolling restart finished: 2 of 2 hosts ok (node1, node2)');
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
    const state = allText(join(h.dir, '.runbook'));
    expect(state).toContain('rolling restart'); // the run was recorded there...
    expect(state).not.toContain(TOKEN); // ...without the webhook's secret
  });

  it('a host that fails posts the failure (host, task, reason), the others finish and post the end; the run fails', async () => {
    const r = await apply(playbook(NOTIFY_PLAY(`${base}/hooks/${TOKEN}`, 'node2')));
    expect(r.code, why(r)).toBe(2);
    expect(r.recap()['node2']).toMatchObject({ failed: 1, rescued: 1 });
    expect(texts()).toHaveLength(3);
    expect(texts()[1]).toBe("❌ runbook: rolling restart FAILED on node2 at 'health gate': member node2 is not healthy");
    expect(texts()[2]).toBe('✅ runbook: rolling restart finished: 1 of 2 hosts ok (node1)');
  });

  it('a webhook that is down does not stop the run (reported, ignored); notify_required makes it fail', async () => {
    const r = await apply(playbook(NOTIFY_PLAY(`${base}/hooks/down/${TOKEN}`)));
    expect(r.code, why(r)).toBe(0);
    expect(posts).toHaveLength(2);
    expect(r.results('Notify the webhook')['node1'], why(r)).toMatchObject({ status: 'failed', ignored: true });
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
    posts = [];
    const strict = await apply(playbook(NOTIFY_PLAY(`${base}/hooks/down/${TOKEN}`, 'none', '\n    notify_required: true')));
    expect(strict.code, why(strict)).toBe(2);
    expect(posts).toHaveLength(1); // start failed: nothing else ran
  });

  it('--check and the plan before a confirmation post nothing; no URL (nor $RUNBOOK_WEBHOOK_URL) posts nothing', async () => {
    const pb = playbook(NOTIFY_PLAY(`${base}/hooks/${TOKEN}`));
    const dry = await apply(pb, '--check');
    expect(dry.code, why(dry)).toBe(0);
    const plan = await runCli(['plan', pb, '-i', inv], { cwd: h.dir });
    expect(plan.code, why(plan)).toBe(0);
    expect(plan.stdout).toMatch(/\? \[node1 -> localhost\] Notify the webhook: cannot predict/);
    expect(plan.stdout + dry.stdout).not.toContain(TOKEN);
    expect(posts).toEqual([]);
    const off = await apply(playbook(NOTIFY_PLAY('')));
    expect(off.code, why(off)).toBe(0);
    expect(posts).toEqual([]);
    const env = await runCli(['apply', playbook(NOTIFY_PLAY('')), '-i', inv, '--yes', '--output', 'json'], { cwd: h.dir, env: { RUNBOOK_WEBHOOK_URL: `${base}/hooks/from-env` } });
    expect(env.code, why(env)).toBe(0);
    expect(posts.map((p) => p.path)).toEqual(['/hooks/from-env', '/hooks/from-env']);
  });
});
