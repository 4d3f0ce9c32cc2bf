// get_url and unarchive end to end, the way etcd deploy roles install etcd from a release
// tarball: the built CLI (`runbook apply ... --yes --output json`) against two real sshd
// "hosts" on 127.0.65.x; the release is served by an HTTP server in this test process on
// 127.0.0.1 (the hosts are this machine, so they reach it). Each test checks the files on
// disk, that a second apply changes nothing and downloads nothing, and that --check touches
// nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runCli, type CliResult } from '../../helpers/cli.js';
import { startSshHosts, type SshHosts } from '../../helpers/ssh-hosts.js';
import { treeSnapshot } from '../../helpers/tree.js';

let h: SshHosts;
let inv: string;
let n = 0;
let server: Server;
let base: string;
/** what the server serves, by path */
const served = new Map<string, Buffer>();
/** the request headers of /private/ requests */
const seenHeaders: Record<string, unknown>[] = [];
/** GET requests per path */
const gets = new Map<string, number>();
let tarball: Buffer;
let zipball: Buffer | undefined;

const ETCD = '#!/bin/sh\necho "etcd Version: 3.5.0"\n';
const ETCDCTL = '#!/bin/sh\necho "etcdctl version: 3.5.0"\n';
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const sha1 = (b: Buffer): string => createHash('sha1').update(b).digest('hex');
const mode = (p: string): number => statSync(p).mode & 0o7777;
const why = (r: CliResult): string => `exit ${r.code}\n${r.stderr}\n${r.stdout}`;
const has = (tool: string): boolean => {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`]);
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  h = await startSshHosts(2, 65);
  inv = h.inventory();
  // a release as etcd publishes it: one top directory holding the binaries
  const rel = join(h.dir, 'release');
  const top = join(rel, 'etcd-v3.5.0-linux-amd64');
  mkdirSync(top, { recursive: true });
  writeFileSync(join(top, 'etcd'), ETCD);
  writeFileSync(join(top, 'etcdctl'), ETCDCTL);
  chmodSync(join(top, 'etcd'), 0o755);
  chmodSync(join(top, 'etcdctl'), 0o755);
  execFileSync('tar', ['czf', join(h.dir, 'etcd.tar.gz'), '-C', rel, 'etcd-v3.5.0-linux-amd64']);
  tarball = readFileSync(join(h.dir, 'etcd.tar.gz'));
  served.set('/v3.5.0/etcd-v3.5.0-linux-amd64.tar.gz', tarball);
  if (has('zip') && has('unzip')) {
    execFileSync('zip', ['-qr', join(h.dir, 'etcd.zip'), 'etcd-v3.5.0-linux-amd64'], { cwd: rel });
    zipball = readFileSync(join(h.dir, 'etcd.zip'));
    served.set('/v3.5.0/etcd-v3.5.0-darwin-amd64.zip', zipball);
  }
  server = createServer((req, res) => {
    const path = req.url ?? '';
    if (req.method === 'GET') gets.set(path, (gets.get(path) ?? 0) + 1);
    if (path.startsWith('/private/')) {
      seenHeaders.push(req.headers);
      if (
        req.headers['authorization'] !== `Basic ${Buffer.from('etcd:s3cret').toString('base64')}` ||
        req.headers['x-release-token'] !== 'abc'
      ) {
        res.writeHead(401, { 'Content-Type': 'text/plain' });
        res.end('unauthorized\n');
        return;
      }
    }
    const body = served.get(path.replace(/^\/private/, ''));
    if (!body) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('404 page not found\n');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length });
    res.end(body);
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((res) => (server ? server.close(() => res()) : res()));
  await h?.stop();
});

function playbook(text: string): string {
  const p = join(h.dir, `pb${++n}.yml`);
  writeFileSync(p, text);
  return p;
}

const apply = (pb: string, ...extra: string[]): Promise<CliResult> =>
  runCli(['apply', pb, '-i', inv, '--yes', '--output', 'json', ...extra]);

const snapshot = treeSnapshot;

/** the install play: directories, the download (sha256), the unpack (strip the top directory) */
function installPlaybook(root: string, url: string, checksum: string, archive = 'etcd-v3.5.0-linux-amd64.tar.gz'): string {
  return playbook(`- hosts: nodes
  vars:
    root: ${root}/{{ inventory_hostname }}
  tasks:
    - name: directories
      file: { path: "{{ root }}/{{ item }}", state: directory, mode: "0755" }
      loop: [downloads, etcd]
    - name: download
      get_url:
        url: ${url}
        dest: "{{ root }}/downloads/${archive}"
        checksum: "${checksum}"
        mode: "0644"
    - name: unpack
      unarchive:
        src: "{{ root }}/downloads/${archive}"
        dest: "{{ root }}/etcd"
        remote_src: true
        extra_opts: [--strip-components=1]
        list_files: true
`);
}

describe('install etcd from a release tarball', () => {
  it('get_url with a sha256 checksum, unarchive remote_src stripping the top directory; converged; --check touches nothing', async () => {
    const root = join(h.dir, 'install');
    const url = `${base}/v3.5.0/etcd-v3.5.0-linux-amd64.tar.gz`;
    const pb = installPlaybook(root, url, `sha256:${sha256(tarball)}`);

    // a plan of the whole install on fresh hosts: every step predicted, nothing created
    const plan = await runCli(['apply', pb, '-i', inv, '--check', '--output', 'json']);
    expect(plan.code, why(plan)).toBe(0);
    for (const host of h.names) expect(plan.recap()[host]).toMatchObject({ changed: 3, failed: 0 });
    expect(plan.results('unpack')['node1']).toMatchObject({ status: 'changed' });
    expect(existsSync(root)).toBe(false);
    expect(gets.get('/v3.5.0/etcd-v3.5.0-linux-amd64.tar.gz') ?? 0).toBe(0);

    const first = await apply(pb);
    expect(first.code, why(first)).toBe(0);
    expect(gets.get('/v3.5.0/etcd-v3.5.0-linux-amd64.tar.gz')).toBe(2);
    for (const host of h.names) {
      expect(first.recap()[host]).toMatchObject({ changed: 3, failed: 0 });
      const dest = join(root, host, 'downloads/etcd-v3.5.0-linux-amd64.tar.gz');
      expect(sha256(readFileSync(dest))).toBe(sha256(tarball));
      expect(mode(dest)).toBe(0o644);
      expect(first.results('download')[host]).toMatchObject({
        status: 'changed',
        msg: `OK (${tarball.length} bytes)`,
        data: { dest, url, status_code: 200, checksum_src: sha1(tarball), checksum_dest: null, size: tarball.length, mode: '0644' },
      });
      const etcd = join(root, host, 'etcd');
      expect(readdirSync(etcd).sort()).toEqual(['etcd', 'etcdctl']);
      expect(readFileSync(join(etcd, 'etcd'), 'utf8')).toBe(ETCD);
      expect(readFileSync(join(etcd, 'etcdctl'), 'utf8')).toBe(ETCDCTL);
      expect(mode(join(etcd, 'etcd'))).toBe(0o755);
      expect(mode(join(etcd, 'etcdctl'))).toBe(0o755);
      expect(execFileSync(join(etcd, 'etcd'), { encoding: 'utf8' })).toBe('etcd Version: 3.5.0\n');
      expect(first.results('unpack')[host]).toMatchObject({
        status: 'changed',
        data: { dest: etcd, handler: 'TgzArchive', files: ['etcd', 'etcdctl'] },
      });
      // no temp file left beside the download
      expect(readdirSync(join(root, host, 'downloads'))).toEqual(['etcd-v3.5.0-linux-amd64.tar.gz']);
    }

    // converged: --check predicts nothing and touches nothing; a second apply changes nothing
    const before = snapshot(root);
    const check = await runCli(['apply', pb, '-i', inv, '--check', '--diff', '--output', 'json']);
    expect(check.code, why(check)).toBe(0);
    for (const host of h.names) expect(check.recap()[host]).toMatchObject({ changed: 0, failed: 0 });
    expect(snapshot(root)).toEqual(before);
    const again = await apply(pb);
    expect(again.code, why(again)).toBe(0);
    for (const host of h.names) {
      expect(again.recap()[host]).toMatchObject({ changed: 0, failed: 0 });
      expect(again.results('download')[host]).toMatchObject({ status: 'ok', msg: 'file already exists' });
    }
    expect(snapshot(root)).toEqual(before);
    // the checksum matched: nothing was downloaded again
    expect(gets.get('/v3.5.0/etcd-v3.5.0-linux-amd64.tar.gz')).toBe(2);

    // a tampered binary is put back by the next run, and only on that host
    writeFileSync(join(root, 'node2', 'etcd', 'etcdctl'), 'tampered');
    const repair = await apply(pb);
    expect(repair.code, why(repair)).toBe(0);
    expect(repair.recap()['node1']).toMatchObject({ changed: 0 });
    expect(repair.recap()['node2']).toMatchObject({ changed: 1 });
    expect(readFileSync(join(root, 'node2', 'etcd', 'etcdctl'), 'utf8')).toBe(ETCDCTL);
  });

  it('unarchive copies a controller archive over ssh, with mode on every member', async () => {
    const root = join(h.dir, 'from-controller');
    const pb = playbook(`- hosts: nodes
  tasks:
    - file: { path: "${root}/{{ inventory_hostname }}", state: directory }
    - name: unpack
      unarchive: { src: ${join(h.dir, 'etcd.tar.gz')}, dest: "${root}/{{ inventory_hostname }}", mode: "0750" }
`);
    const first = await apply(pb);
    expect(first.code, why(first)).toBe(0);
    for (const host of h.names) {
      const top = join(root, host, 'etcd-v3.5.0-linux-amd64');
      for (const p of [top, join(top, 'etcd'), join(top, 'etcdctl')]) expect(mode(p), p).toBe(0o750);
      expect(readFileSync(join(top, 'etcd'), 'utf8')).toBe(ETCD);
    }
    const before = snapshot(root);
    const check = await runCli(['apply', pb, '-i', inv, '--check', '--output', 'json']);
    expect(check.code, why(check)).toBe(0);
    for (const host of h.names) expect(check.recap()[host]).toMatchObject({ changed: 0, failed: 0 });
    const again = await apply(pb);
    for (const host of h.names) expect(again.recap()[host]).toMatchObject({ changed: 0, failed: 0 });
    expect(snapshot(root)).toEqual(before);
  });

  it('a wrong checksum fails clearly and leaves no file; a 404 fails with the HTTP error and the URL', async () => {
    const root = join(h.dir, 'bad');
    const url = `${base}/v3.5.0/etcd-v3.5.0-linux-amd64.tar.gz`;
    const wrong = 'a'.repeat(64);
    const bad = await apply(installPlaybook(root, url, `sha256:${wrong}`));
    expect(bad.code, why(bad)).toBe(2);
    for (const host of h.names) {
      const dest = join(root, host, 'downloads/etcd-v3.5.0-linux-amd64.tar.gz');
      expect(bad.results('download')[host]).toMatchObject({
        status: 'failed',
        msg: `The checksum for ${url} did not match ${wrong}; it was ${sha256(tarball)} (sha256). ${dest} was left as it was.`,
      });
      expect(readdirSync(join(root, host, 'downloads'))).toEqual([]);
    }

    const missing = `${base}/v3.5.0/etcd-v9.9.9-linux-amd64.tar.gz`;
    const nf = await apply(installPlaybook(join(h.dir, 'missing'), missing, `sha256:${sha256(tarball)}`));
    expect(nf.code, why(nf)).toBe(2);
    for (const host of h.names) {
      expect(nf.results('download')[host]).toMatchObject({
        status: 'failed',
        msg: `Request failed: HTTP Error 404: Not Found (${missing})`,
        data: { status_code: 404, response: 'HTTP Error 404: Not Found', url: missing },
      });
      expect(readdirSync(join(h.dir, 'missing', host, 'downloads'))).toEqual([]);
    }
  });

  it('a zip release (unzip on the host) installs and converges', async (t) => {
    if (!zipball) return t.skip('zip or unzip is not installed on this machine');
    const root = join(h.dir, 'zip');
    const url = `${base}/v3.5.0/etcd-v3.5.0-darwin-amd64.zip`;
    const pb = playbook(`- hosts: nodes
  vars:
    root: ${root}/{{ inventory_hostname }}
  tasks:
    - file: { path: "{{ root }}/opt", state: directory }
    - name: download
      get_url: { url: "${url}", dest: "{{ root }}/", checksum: "sha256:${sha256(zipball)}" }
    - name: unpack
      unarchive: { src: "{{ root }}/etcd-v3.5.0-darwin-amd64.zip", dest: "{{ root }}/opt", remote_src: yes }
`);
    const first = await apply(pb);
    expect(first.code, why(first)).toBe(0);
    for (const host of h.names) {
      const top = join(root, host, 'opt', 'etcd-v3.5.0-linux-amd64');
      expect(readFileSync(join(top, 'etcdctl'), 'utf8')).toBe(ETCDCTL);
      expect(mode(join(top, 'etcd'))).toBe(0o755);
      expect(first.results('unpack')[host]).toMatchObject({ status: 'changed', data: { handler: 'ZipArchive' } });
    }
    const before = snapshot(root);
    const check = await runCli(['apply', pb, '-i', inv, '--check', '--output', 'json']);
    expect(check.code, why(check)).toBe(0);
    for (const host of h.names) expect(check.recap()[host]).toMatchObject({ changed: 0, failed: 0 });
    const again = await apply(pb);
    expect(again.code, why(again)).toBe(0);
    for (const host of h.names) expect(again.recap()[host]).toMatchObject({ changed: 0, failed: 0 });
    expect(snapshot(root)).toEqual(before);
  });

  it('sends headers and basic auth; with only wget on the host it downloads and words errors the same', async () => {
    // a PATH holding every tool of this machine but curl
    const noCurl = join(h.dir, 'no-curl-bin');
    mkdirSync(noCurl, { recursive: true });
    for (const dir of ['/usr/bin', '/bin']) {
      for (const name of readdirSync(dir))
        if (name !== 'curl' && !existsSync(join(noCurl, name))) symlinkSync(join(dir, name), join(noCurl, name));
    }
    const root = join(h.dir, 'auth');
    const url = `${base}/private/v3.5.0/etcd-v3.5.0-linux-amd64.tar.gz`;
    const play = (env: string, password: string): string =>
      playbook(`- hosts: nodes
  ${env}
  tasks:
    - file: { path: "${root}/{{ inventory_hostname }}", state: directory }
    - name: download
      get_url:
        url: ${url}
        dest: "${root}/{{ inventory_hostname }}/etcd.tgz"
        headers: { X-Release-Token: abc }
        url_username: etcd
        url_password: ${password}
        force: true
`);
    const curl = await apply(play('vars: {}', 's3cret'));
    expect(curl.code, why(curl)).toBe(0);
    for (const host of h.names) expect(readFileSync(join(root, host, 'etcd.tgz'))).toEqual(tarball);
    expect(seenHeaders.at(-1)).toMatchObject({ 'x-release-token': 'abc', 'user-agent': 'ansible-httpget' });
    expect(seenHeaders.at(-1)?.['accept-encoding']).toBeUndefined(); // curl's request
    // the password travels as a header on stdin: not in any result
    expect(curl.stdout).not.toContain(Buffer.from('etcd:s3cret').toString('base64'));

    const wrong = await apply(play(`environment: { PATH: ${noCurl} }`, 'wrong'));
    expect(wrong.code, why(wrong)).toBe(2);
    for (const host of h.names)
      expect(wrong.results('download')[host]).toMatchObject({
        status: 'failed',
        msg: `Request failed: HTTP Error 401: Unauthorized (${url})`,
      });

    rmSync(root, { recursive: true });
    const wget = await apply(play(`environment: { PATH: ${noCurl} }`, 's3cret'));
    expect(wget.code, why(wget)).toBe(0);
    for (const host of h.names) {
      expect(readFileSync(join(root, host, 'etcd.tgz'))).toEqual(tarball);
      expect(wget.results('download')[host]).toMatchObject({ status: 'changed', data: { status_code: 200, checksum_src: sha1(tarball) } });
    }
    expect(seenHeaders.at(-1)).toMatchObject({ 'user-agent': 'ansible-httpget', 'accept-encoding': 'identity' }); // wget's request
    // force: true and the same content: downloaded again, nothing replaced
    const again = await apply(play(`environment: { PATH: ${noCurl} }`, 's3cret'));
    for (const host of h.names)
      expect(again.results('download')[host]).toMatchObject({ status: 'ok', msg: `OK (${tarball.length} bytes)` });
  });
});
