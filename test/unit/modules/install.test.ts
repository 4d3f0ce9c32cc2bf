// get_url and unarchive on this machine (LocalConnection): file:// downloads, tar and zip
// archives, check mode, idempotency and the failure messages. HTTP and sshd: test/e2e/apply/install-modules.test.ts.
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import getUrl from '../../../src/modules/builtin/get_url.js';
import unarchive from '../../../src/modules/builtin/unarchive/index.js';
import type { Module } from '../../../src/modules/types.js';
import { check, cleanup, makeCtx, run, tempDir } from './context.js';

afterAll(cleanup);
const M = (m: unknown): Module => m as Module;
const mode = (p: string): number => statSync(p).mode & 0o7777;
const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');
const has = (tool: string): boolean => {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`]);
    return true;
  } catch {
    return false;
  }
};

/** a release-like tree: etcd-v3.5.0-linux-amd64/{etcd,etcdctl,README.md} */
function release(): string {
  const d = tempDir();
  const top = join(d, 'etcd-v3.5.0-linux-amd64');
  mkdirSync(top);
  writeFileSync(join(top, 'etcd'), '#!/bin/sh\necho etcd 3.5.0\n', { mode: 0o755 });
  writeFileSync(join(top, 'etcdctl'), '#!/bin/sh\necho etcdctl 3.5.0\n', { mode: 0o755 });
  writeFileSync(join(top, 'README.md'), '# etcd\n', { mode: 0o644 });
  return d;
}

/** PATH holding links to every tool of /usr/bin and /bin except `without` */
function pathWithout(without: readonly string[]): string {
  const d = tempDir();
  for (const dir of ['/usr/bin', '/bin']) {
    for (const name of readdirSync(dir)) {
      if (without.includes(name) || existsSync(join(d, name))) continue;
      symlinkSync(join(dir, name), join(d, name));
    }
  }
  return d;
}

describe('get_url (file:// URLs, this machine)', () => {
  it('downloads with a checksum, is ok the second time, and refuses a wrong checksum leaving nothing', async () => {
    const src = join(tempDir(), 'etcd.tgz');
    writeFileSync(src, 'archive bytes');
    const ctx = makeCtx();
    const dest = join(ctx.dir, 'etcd.tgz');
    const args = { url: `file://${src}`, dest, checksum: `sha256:${sha256('archive bytes')}`, mode: '0640' };
    const r = await run(M(getUrl), ctx, args);
    expect(r.status, r.msg).toBe('changed');
    expect(readFileSync(dest, 'utf8')).toBe('archive bytes');
    expect(mode(dest)).toBe(0o640);
    expect(r.data).toMatchObject({ dest, url: `file://${src}`, size: 13, mode: '0640', checksum_dest: null, state: 'file' });
    expect(r.data?.['checksum_src']).toBe(createHash('sha1').update('archive bytes').digest('hex'));
    expect(r.msg).toBe('OK (13 bytes)');
    expect((await check(M(getUrl), ctx, args)).kind).toBe('unchanged');

    const other = join(ctx.dir, 'other.tgz');
    const bad = await run(M(getUrl), ctx, { ...args, dest: other, checksum: `sha256:${'0'.repeat(64)}` });
    expect(bad.status).toBe('failed');
    expect(bad.msg).toBe(
      `The checksum for file://${src} did not match ${'0'.repeat(64)}; it was ${sha256('archive bytes')} (sha256). ${other} was left as it was.`,
    );
    expect(readdirSync(ctx.dir).sort()).toEqual(['etcd.tgz']);
  });

  it('a file:// URL is fetched again without force (Ansible 2.14: no If-Modified-Since for it), replaced only when the content differs', async () => {
    const src = join(tempDir(), 'f.txt');
    writeFileSync(src, 'new');
    const ctx = makeCtx();
    const dest = join(ctx.dir, 'f.txt');
    writeFileSync(dest, 'old');
    const fetched = await run(M(getUrl), ctx, { url: `file://${src}`, dest });
    expect(fetched).toMatchObject({ status: 'changed', msg: 'OK (3 bytes)' });
    expect(readFileSync(dest, 'utf8')).toBe('new');
    writeFileSync(dest, 'old');
    const forced = await run(M(getUrl), ctx, { url: `file://${src}`, dest, force: true });
    expect(forced.status).toBe('changed');
    expect(readFileSync(dest, 'utf8')).toBe('new');
    const same = await run(M(getUrl), ctx, { url: `file://${src}`, dest, force: true });
    expect(same.status).toBe('ok');
  });

  it('a directory dest receives the URL file name; check mode predicts without downloading', async () => {
    const src = join(tempDir(), 'etcd-v3.5.0-linux-amd64.tar.gz');
    writeFileSync(src, 'x');
    const ctx = makeCtx({ checkMode: true });
    const r = await run(M(getUrl), ctx, {
      url: `file://${src}`,
      dest: ctx.dir,
      checksum: `sha1:${createHash('sha1').update('x').digest('hex')}`,
    });
    expect(r.status).toBe('changed');
    expect(r.predicted).toBe(`download file://${src} to ${join(ctx.dir, 'etcd-v3.5.0-linux-amd64.tar.gz')}`);
    expect(readdirSync(ctx.dir)).toEqual([]);
    const live = await run(M(getUrl), { ...ctx, checkMode: false }, { url: `file://${src}`, dest: ctx.dir });
    expect(live.status).toBe('changed');
    expect(readdirSync(ctx.dir)).toEqual(['etcd-v3.5.0-linux-amd64.tar.gz']);
  });

  it('says so when the host has neither curl nor wget, also for a checksum file', async () => {
    const ctx = makeCtx({ env: { PATH: pathWithout(['curl', 'wget']) } });
    const r = await run(M(getUrl), ctx, { url: 'file:///etc/hostname', dest: join(ctx.dir, 'h') });
    expect(r.status).toBe('failed');
    expect(r.msg).toBe('neither curl nor wget is installed on localhost: get_url downloads with one of them (install curl)');
    const u = await run(M(getUrl), ctx, { url: 'http://h/e.tgz', dest: join(ctx.dir, 'e'), checksum: 'sha256:http://h/SHA256SUMS' });
    expect(u.msg).toMatch(/^Request failed: neither curl nor wget is installed.* \(http:\/\/h\/SHA256SUMS\)$/);
  });

  it('checksum: <algorithm>:<url of a SHA256SUMS file>: the line for the file is used, as Ansible', async () => {
    const src = join(tempDir(), 'etcd-v3.5.0-linux-amd64.tar.gz');
    writeFileSync(src, 'etcd bytes');
    const digest = createHash('sha256').update('etcd bytes').digest('hex');
    const sums = join(tempDir(), 'SHA256SUMS');
    writeFileSync(sums, `${'0'.repeat(64)}  etcd-v3.5.0-linux-arm64.tar.gz\n${digest}  etcd-v3.5.0-linux-amd64.tar.gz\n`);
    const ctx = makeCtx({});
    const ok1 = await run(M(getUrl), ctx, { url: `file://${src}`, dest: join(ctx.dir, 'e.tgz'), checksum: `sha256:file://${sums}` });
    expect(ok1.status).toBe('changed');
    const again = await run(M(getUrl), ctx, { url: `file://${src}`, dest: join(ctx.dir, 'e.tgz'), checksum: `sha256:file://${sums}` });
    expect(again.status).toBe('ok');
    writeFileSync(sums, `${'0'.repeat(64)}  other.tgz\n`);
    const none = await run(M(getUrl), ctx, { url: `file://${src}`, dest: join(ctx.dir, 'f.tgz'), checksum: `sha256:file://${sums}` });
    expect(none.msg).toBe(`Unable to find a checksum for file 'etcd-v3.5.0-linux-amd64.tar.gz' in 'file://${sums}'`);
    writeFileSync(sums, `${'0'.repeat(64)}  etcd-v3.5.0-linux-amd64.tar.gz\n`);
    const wrong = await run(M(getUrl), ctx, { url: `file://${src}`, dest: join(ctx.dir, 'g.tgz'), checksum: `sha256:file://${sums}` });
    expect(wrong.status).toBe('failed');
    expect(readdirSync(ctx.dir)).not.toContain('g.tgz');
  });
});

describe('unarchive (this machine)', () => {
  function tarball(flag: string, name: string): string {
    const out = join(tempDir(), name);
    execFileSync('tar', [flag, '-f', out, '-C', release(), 'etcd-v3.5.0-linux-amd64']);
    return out;
  }

  for (const [flag, name] of [
    ['-cz', 'etcd.tar.gz'],
    ['-cj', 'etcd.tar.bz2'],
    ['-cJ', 'etcd.tar.xz'],
    ['-c', 'etcd.tar'],
  ] as const) {
    it(`${name}: strips the top directory, then is ok; check mode predicts without unpacking`, async () => {
      const archive = tarball(flag, name);
      const ctx = makeCtx({ checkMode: true });
      const args = { src: archive, dest: ctx.dir, remote_src: true, extra_opts: ['--strip-components=1'], list_files: true };
      const predicted = await run(M(unarchive), ctx, args);
      expect(predicted.status, predicted.msg).toBe('changed');
      expect(readdirSync(ctx.dir)).toEqual([]);
      const live = { ...ctx, checkMode: false };
      const r = await run(M(unarchive), live, args);
      expect(r.status, r.msg).toBe('changed');
      expect(readdirSync(ctx.dir).sort()).toEqual(['README.md', 'etcd', 'etcdctl']);
      expect(mode(join(ctx.dir, 'etcd'))).toBe(0o755);
      expect(r.data).toMatchObject({ dest: ctx.dir, src: archive, files: ['etcd', 'etcdctl', 'README.md'], state: 'directory' });
      expect((await run(M(unarchive), live, args)).status).toBe('ok');
      writeFileSync(join(ctx.dir, 'etcd'), 'tampered');
      expect((await run(M(unarchive), ctx, args)).status).toBe('changed');
      expect((await run(M(unarchive), live, args)).status).toBe('changed');
      expect(readFileSync(join(ctx.dir, 'etcd'), 'utf8')).toContain('etcd 3.5.0');
    });
  }

  it('copies a controller archive over, applies mode to every member, honours creates and exclude', async () => {
    const archive = tarball('-cz', 'etcd-v3.5.0-linux-amd64.tar.gz');
    const ctx = makeCtx();
    const args = { src: archive, dest: ctx.dir, mode: '0750', exclude: ['*/README.md'] };
    const r = await run(M(unarchive), ctx, args);
    expect(r.status, r.msg).toBe('changed');
    const top = join(ctx.dir, 'etcd-v3.5.0-linux-amd64');
    expect(readdirSync(top).sort()).toEqual(['etcd', 'etcdctl']);
    for (const p of [top, join(top, 'etcd'), join(top, 'etcdctl')]) expect(mode(p)).toBe(0o750);
    expect(r.data?.['handler']).toBe('TgzArchive');
    expect(String(r.data?.['src'])).not.toBe(archive); // the temp copy on the host, as Ansible reports it
    expect(existsSync(String(r.data?.['src']))).toBe(false);
    expect((await run(M(unarchive), ctx, args)).status).toBe('ok');
    const skipped = await run(M(unarchive), ctx, { ...args, creates: join(top, 'etcd') });
    expect(skipped).toMatchObject({ status: 'skipped', msg: `skipped, since ${join(top, 'etcd')} exists` });
  });

  it('unpacks a zip (unzip), compares it by content, and is ok the second time', async (t) => {
    if (!has('zip') || !has('unzip')) return t.skip('zip/unzip not installed here');
    const dir = release();
    const archive = join(tempDir(), 'etcd.zip');
    execFileSync('zip', ['-qr', archive, 'etcd-v3.5.0-linux-amd64'], { cwd: dir });
    const ctx = makeCtx();
    const args = { src: archive, dest: ctx.dir, remote_src: true };
    const predicted = await run(M(unarchive), { ...ctx, checkMode: true }, args);
    expect(predicted.status, predicted.msg).toBe('changed');
    expect(readdirSync(ctx.dir)).toEqual([]);
    const r = await run(M(unarchive), ctx, args);
    expect(r.status, r.msg).toBe('changed');
    expect(r.data?.['handler']).toBe('ZipArchive');
    expect(mode(join(ctx.dir, 'etcd-v3.5.0-linux-amd64', 'etcd'))).toBe(0o755);
    expect((await run(M(unarchive), ctx, args)).status).toBe('ok');
    writeFileSync(join(ctx.dir, 'etcd-v3.5.0-linux-amd64', 'etcdctl'), 'tampered');
    expect((await run(M(unarchive), ctx, args)).status).toBe('changed');
  });

  it('fails clearly: no unzip, missing src, dest not a directory, not an archive, URL src, keep_newer', async (t) => {
    const ctx = makeCtx();
    expect((await run(M(unarchive), ctx, { src: join(ctx.dir, 'none.tgz'), dest: ctx.dir, remote_src: true })).msg).toBe(
      `Source '${join(ctx.dir, 'none.tgz')}' does not exist`,
    );
    expect((await run(M(unarchive), ctx, { src: '/etc/hostname', dest: join(ctx.dir, 'nope'), remote_src: true })).msg).toBe(
      `Destination '${join(ctx.dir, 'nope')}' is not a directory`,
    );
    const text = join(ctx.dir, 'notes.txt');
    writeFileSync(text, 'hello');
    expect((await run(M(unarchive), ctx, { src: text, dest: ctx.dir, remote_src: true })).msg).toMatch(
      /^Failed to find handler for ".*notes.txt"\. .* It is not a tar .* or zip archive\.$/,
    );
    expect((await run(M(unarchive), ctx, { src: 'https://h/e.tgz', dest: ctx.dir, remote_src: true })).msg).toMatch(
      /is a URL: runbook's unarchive does not download; fetch it with get_url/,
    );
    expect((await run(M(unarchive), ctx, { src: text, dest: ctx.dir, remote_src: true, keep_newer: true })).msg).toMatch(
      /^keep_newer is not supported by runbook/,
    );
    if (!has('zip')) return t.skip('zip not installed here');
    const archive = join(tempDir(), 'a.zip');
    execFileSync('zip', ['-q', archive, text]);
    const noUnzip = makeCtx({ env: { PATH: pathWithout(['unzip']) } });
    const r = await run(M(unarchive), noUnzip, { src: archive, dest: noUnzip.dir, remote_src: true });
    expect(r.msg).toBe(
      `Failed to find handler for "${archive}". Make sure the required command to extract the file is installed. Unable to find required 'unzip' binary in the path on localhost: install unzip to unpack zip archives.`,
    );
  });
});
