// The built-in uri over real SSH, and the webhook notification pattern of docs/notifications.md
// (playbooks/tasks/notify.yml), against a Node HTTP server on 127.0.20.1 that records every
// request; the "hosts" are two sshd on 127.0.21.x (this machine). The built CLI, as an operator
// runs it.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
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
let tls: Server;
let tlsBase = '';
let hang: Server;
let hangBase = '';

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
  // a CA, a server certificate for 127.0.20.1 and a client certificate (TLS client auth)
  const pki = join(h.dir, 'pki');
  mkdirSync(pki);
  const ossl = (...a: string[]): void => void execFileSync('openssl', a, { cwd: pki, stdio: 'ignore' });
  const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ossl('req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=rb-uri-test-ca');
  writeFileSync(join(pki, 'san.ext'), 'subjectAltName=IP:127.0.20.1\n');
  for (const [name, cn] of [
    ['server', '127.0.20.1'],
    ['client', 'rb-client'],
  ] as const) {
    ossl('req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    ossl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      ...(name === 'server' ? ['-extfile', 'san.ext'] : []),
    );
  }
  const read = (f: string): Buffer => readFileSync(join(pki, f));
  tls = createHttpsServer(
    { key: read('server.key'), cert: read('server.pem'), ca: read('ca.pem'), requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      const client = (req.socket as import('node:tls').TLSSocket).authorized;
      res.writeHead(client ? 200 : 403, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ client }));
    },
  );
  await new Promise<void>((r) => tls.listen(0, '127.0.20.1', r));
  tlsBase = `https://127.0.20.1:${(tls.address() as { port: number }).port}`;
  // accepts and never answers
  hang = createServer(() => {});
  await new Promise<void>((r) => hang.listen(0, '127.0.20.1', r));
  hangBase = `http://127.0.20.1:${(hang.address() as { port: number }).port}`;
});

afterAll(async () => {
  server?.close();
  tls?.close();
  hang?.closeAllConnections?.();
  hang?.close();
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
    expect(
      posts
        .filter((p) => p.path.startsWith('/api/node'))
        .map((p) => p.path)
        .sort(),
    ).toEqual(['/api/node1', '/api/node2']);
    const ups = posts.filter((p) => p.path === '/api/up');
    expect(ups.filter((p) => p.method === 'POST').map((p) => [p.body, p.type])).toEqual([
      ['{"from": "controller"}\n', 'application/json'],
      ['{"from": "controller"}\n', 'application/json'],
    ]);
    expect(ups.filter((p) => p.method === 'PUT').map((p) => p.body)).toEqual(['{"from": "host"}', '{"from": "host"}']);
    expect(JSON.parse(readFileSync(join(h.dir, 'node1.json'), 'utf8'))).toEqual({ ok: true, method: 'GET', body: '' });
    expect(statSync(join(h.dir, 'node1.json')).mode & 0o777).toBe(0o600);
  });
  it('https: an unknown CA fails, ca_path or validate_certs: false pass, client_cert/client_key authenticate; a silent server times out; no curl on the host is said plainly', async () => {
    const pki = join(h.dir, 'pki');
    const pb = playbook(`  tasks:
    - name: unknown ca
      uri: { url: "${tlsBase}/", status_code: 403 }
      ignore_errors: true
    - name: insecure
      uri: { url: "${tlsBase}/", status_code: 403, validate_certs: false }
    - name: our ca
      uri: { url: "${tlsBase}/", status_code: 403, ca_path: "${pki}/ca.pem" }
    - name: client cert
      uri: { url: "${tlsBase}/", ca_path: "${pki}/ca.pem", client_cert: "${pki}/client.pem", client_key: "${pki}/client.key" }
      register: cc
    - name: silent
      uri: { url: "${hangBase}/", timeout: 1 }
      ignore_errors: true
    - name: no curl
      uri: { url: "${base}/api/x" }
      environment: { PATH: /var/empty }
      ignore_errors: true
`);
    const r = await apply(pb, '--limit', 'node1');
    expect(r.code, why(r)).toBe(0);
    const one = (task: string): Record<string, any> => r.results(task)['node1'] ?? {};
    expect(one('unknown ca'), why(r)).toMatchObject({ status: 'failed', data: { status: -1 } });
    expect(String(one('unknown ca')['msg'])).toMatch(
      /^Status code was -1 and not \[403\]: Request failed: curl: \(60\) SSL certificate problem/,
    );
    expect(one('insecure')).toMatchObject({ status: 'ok', data: { status: 403, json: { client: false } } });
    expect(one('our ca')).toMatchObject({ status: 'ok', data: { status: 403 } });
    expect(one('client cert')).toMatchObject({ status: 'ok', data: { status: 200, json: { client: true } } });
    expect(one('silent')).toMatchObject({ status: 'failed', msg: 'Status code was -1 and not [200]: Connection failure: timed out' });
    expect(one('no curl')).toMatchObject({
      status: 'failed',
      msg: 'curl is not installed on node1: the built-in uri sends its request with curl (install curl)',
    });
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
    const env = await runCli(['apply', playbook(NOTIFY_PLAY('')), '-i', inv, '--yes', '--output', 'json'], {
      cwd: h.dir,
      env: { RUNBOOK_WEBHOOK_URL: `${base}/hooks/from-env` },
    });
    expect(env.code, why(env)).toBe(0);
    expect(posts.map((p) => p.path)).toEqual(['/hooks/from-env', '/hooks/from-env']);
  });
});
