import { afterAll, describe, expect, it } from 'vitest';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import copy from '../../../src/modules/builtin/copy.js';
import template from '../../../src/modules/builtin/template.js';
import file from '../../../src/modules/builtin/file/index.js';
import stat from '../../../src/modules/builtin/stat.js';
import lineinfile from '../../../src/modules/builtin/lineinfile.js';
import replace from '../../../src/modules/builtin/replace/index.js';
import fetch from '../../../src/modules/builtin/fetch.js';
import type { Module } from '../../../src/modules/types.js';
import { check, cleanup, makeCtx, run } from './context.js';

afterAll(cleanup);
const M = (m: unknown): Module => m as Module;
const mode = (p: string): number => statSync(p).mode & 0o7777;

describe('copy', () => {
  it('predicts in check mode without writing, converges, then is ok', async () => {
    const ctx = makeCtx({ checkMode: true, diffMode: true });
    const dest = join(ctx.dir, 'etcd.conf');
    const r = await run(M(copy), ctx, { content: 'A=1\n', dest, mode: '0600' });
    expect(r.status).toBe('changed');
    expect(r.predicted).toMatch(/create/);
    expect(r.diff?.[0]).toEqual({ path: dest, before: '', after: 'A=1\n' });
    expect(existsSync(dest)).toBe(false);

    const live = { ...ctx, checkMode: false };
    const w = await run(M(copy), live, { content: 'A=1\n', dest, mode: '0600' });
    expect(w.status).toBe('changed');
    expect(readFileSync(dest, 'utf8')).toBe('A=1\n');
    expect(mode(dest)).toBe(0o600);
    expect(w.data?.['checksum']).toBe(createHash('sha1').update('A=1\n').digest('hex'));
    expect(w.data).toMatchObject({ dest, size: 4, mode: '0600' });
    const again = await check(M(copy), live, { content: 'A=1\n', dest, mode: '0600' });
    expect(again.kind).toBe('unchanged');
  });

  it('changes only the mode when the content is the same, and keeps the mode when not given', async () => {
    const ctx = makeCtx();
    const dest = join(ctx.dir, 'f');
    writeFileSync(dest, 'x');
    chmodSync(dest, 0o640);
    const p = await check(M(copy), ctx, { content: 'x', dest, mode: '0600' });
    expect(p.kind).toBe('change');
    if (p.kind === 'change') expect(p.summary).toMatch(/mode 0640 → 0600/);
    await run(M(copy), ctx, { content: 'y', dest });
    expect(mode(dest)).toBe(0o640);
    expect(readFileSync(dest, 'utf8')).toBe('y');
  });

  it('copies a controller file from files/ into a directory dest, with a backup', async () => {
    const ctx = makeCtx();
    mkdirSync(join(ctx.dir, 'files'));
    writeFileSync(join(ctx.dir, 'files', 'app.env'), 'NEW\n');
    const out = join(ctx.dir, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'app.env'), 'OLD\n');
    const r = await run(M(copy), ctx, { src: 'app.env', dest: out, backup: true });
    expect(r.status).toBe('changed');
    expect(readFileSync(join(out, 'app.env'), 'utf8')).toBe('NEW\n');
    const backup = r.data?.['backup_file'] as string;
    expect(readFileSync(backup, 'utf8')).toBe('OLD\n');
    expect(backup).toMatch(/app\.env\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/);
  });

  it('copies a file already on the host with remote_src; force: false keeps an existing file', async () => {
    const ctx = makeCtx();
    const a = join(ctx.dir, 'a');
    const b = join(ctx.dir, 'b');
    writeFileSync(a, 'remote');
    expect((await run(M(copy), ctx, { src: a, remote_src: true, dest: b })).status).toBe('changed');
    expect(readFileSync(b, 'utf8')).toBe('remote');
    writeFileSync(b, 'mine');
    expect((await run(M(copy), ctx, { src: a, remote_src: 'yes', dest: b, force: false })).status).toBe('ok');
    expect(readFileSync(b, 'utf8')).toBe('mine');
  });

  it('fails clearly for a missing src or a missing destination directory', async () => {
    const ctx = makeCtx();
    const r = await run(M(copy), ctx, { src: 'nope.txt', dest: join(ctx.dir, 'x') });
    expect(r.status).toBe('failed');
    expect(r.msg).toMatch(/Could not find or access 'nope.txt'/);
    const r2 = await run(M(copy), ctx, { content: 'x', dest: join(ctx.dir, 'no', 'such', 'f') });
    expect(r2.msg).toMatch(/Destination directory .* does not exist/);
    const r3 = await run(M(copy), ctx, { content: 'x', dest: ctx.dir });
    expect(r3.msg).toMatch(/is a directory/);
  });
});

describe('template', () => {
  it('renders with the task variables, keeps the trailing newline and is idempotent', async () => {
    const ctx = makeCtx({ vars: { name: 'etcd1' }, diffMode: true });
    mkdirSync(join(ctx.dir, 'templates'));
    writeFileSync(join(ctx.dir, 'templates', 'conf.j2'), 'ETCD_NAME={{ name }}\n');
    const dest = join(ctx.dir, 'etcd.env');
    const r = await run(M(template), ctx, { src: 'conf.j2', dest, mode: '0644' });
    expect(r.status).toBe('changed');
    expect(readFileSync(dest, 'utf8')).toBe('ETCD_NAME=etcd1\n');
    expect(r.diff?.[0]?.after).toBe('ETCD_NAME=etcd1\n');
    expect((await check(M(template), ctx, { src: 'conf.j2', dest, mode: '0644' })).kind).toBe('unchanged');
  });

  it('fails for a missing template', async () => {
    const ctx = makeCtx();
    const r = await run(M(template), ctx, { src: 'missing.j2', dest: join(ctx.dir, 'x') });
    expect(r.status).toBe('failed');
    expect(r.msg).toMatch(/missing\.j2/);
  });
});

describe('file', () => {
  it('creates a directory with a mode, predicts nothing on disk in check mode, then is ok', async () => {
    const ctx = makeCtx({ checkMode: true });
    const d = join(ctx.dir, 'a', 'b');
    const p = await run(M(file), ctx, { path: d, state: 'directory', mode: '0750' });
    expect(p.status).toBe('changed');
    expect(existsSync(d)).toBe(false);
    const live = { ...ctx, checkMode: false };
    expect((await run(M(file), live, { path: d, state: 'directory', mode: '0750' })).status).toBe('changed');
    expect(statSync(d).isDirectory()).toBe(true);
    expect(mode(d)).toBe(0o750);
    expect((await check(M(file), live, { path: d, state: 'directory', mode: '0750' })).kind).toBe('unchanged');
  });

  it('touches, sets modes, links and removes', async () => {
    const ctx = makeCtx();
    const f = join(ctx.dir, 'marker');
    expect((await run(M(file), ctx, { path: f, state: 'touch', mode: 384 })).status).toBe('changed'); // 384 = 0o600
    expect(mode(f)).toBe(0o600);
    expect((await run(M(file), ctx, { dest: f, mode: '0644' })).status).toBe('changed');
    expect(mode(f)).toBe(0o644);
    expect((await run(M(file), ctx, { name: f, state: 'file', mode: '0644' })).status).toBe('ok');
    expect((await check(M(file), ctx, { path: f, state: 'touch', modification_time: 'preserve', access_time: 'preserve' })).kind).toBe(
      'unchanged',
    );

    const l = join(ctx.dir, 'link');
    expect((await run(M(file), ctx, { path: l, state: 'link', src: f })).status).toBe('changed');
    expect(readlinkSync(l)).toBe(f);
    expect((await run(M(file), ctx, { path: l, state: 'link', src: f })).status).toBe('ok');

    const d = join(ctx.dir, 'tree');
    mkdirSync(join(d, 'sub'), { recursive: true });
    writeFileSync(join(d, 'sub', 'x'), 'x');
    expect((await run(M(file), ctx, { path: d, state: 'absent' })).status).toBe('changed');
    expect(existsSync(d)).toBe(false);
    expect((await run(M(file), ctx, { path: d, state: 'absent' })).status).toBe('ok');
  });

  it('fails clearly: state=file on a missing path, a link over a file without force', async () => {
    const ctx = makeCtx();
    const r = await run(M(file), ctx, { path: join(ctx.dir, 'nope'), state: 'file' });
    expect(r.status).toBe('failed');
    expect(r.msg).toMatch(/is absent, cannot continue/);
    const f = join(ctx.dir, 'f');
    writeFileSync(f, '');
    const l = await run(M(file), ctx, { path: f, state: 'link', src: '/etc/hostname' });
    expect(l.msg).toMatch(/refusing to convert/);
    const forced = await run(M(file), ctx, { path: f, state: 'link', src: '/nonexistent', force: true });
    expect(forced.status).toBe('changed');
    expect(lstatSync(f).isSymbolicLink()).toBe(true);
    const bad = await run(M(file), ctx, { path: join(ctx.dir, 'x'), state: 'link', src: join(ctx.dir, 'missing') });
    expect(bad.msg).toMatch(/src file does not exist/);
  });
});

describe('stat', () => {
  it('reports files, directories, links and absence like Ansible', async () => {
    const ctx = makeCtx();
    const f = join(ctx.dir, 'f');
    writeFileSync(f, 'hello');
    chmodSync(f, 0o640);
    const r = await run(M(stat), ctx, { path: f });
    expect(r.status).toBe('ok');
    const s = r.data?.['stat'] as Record<string, unknown>;
    expect(s).toMatchObject({
      exists: true,
      isreg: true,
      isdir: false,
      mode: '0640',
      size: 5,
      checksum: 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d',
    });
    expect(typeof s['pw_name']).toBe('string');
    const d = (await run(M(stat), ctx, { path: ctx.dir })).data?.['stat'] as Record<string, unknown>;
    expect(d['isdir']).toBe(true);
    const l = join(ctx.dir, 'l');
    symlinkSync(f, l);
    const ls = (await run(M(stat), ctx, { path: l })).data?.['stat'] as Record<string, unknown>;
    expect(ls).toMatchObject({ islnk: true, lnk_target: f });
    const lf = (await run(M(stat), ctx, { path: l, follow: true })).data?.['stat'] as Record<string, unknown>;
    expect(lf).toMatchObject({ isreg: true, islnk: false });
    expect((await run(M(stat), ctx, { path: join(ctx.dir, 'none') })).data?.['stat']).toEqual({ exists: false });
    const nosum = (await run(M(stat), ctx, { path: f, get_checksum: false })).data?.['stat'] as Record<string, unknown>;
    expect(nosum['checksum']).toBeUndefined();
  });
});

describe('lineinfile', () => {
  it('edits a KEY=VALUE env file: check mode predicts with a diff, apply converges, then ok', async () => {
    const ctx = makeCtx({ checkMode: true, diffMode: true });
    const env = join(ctx.dir, 'etcd.env');
    writeFileSync(env, 'ETCD_NAME=etcd1\nETCD_INITIAL_CLUSTER_STATE=new\n');
    chmodSync(env, 0o600);
    const args = { path: env, regexp: '^ETCD_INITIAL_CLUSTER_STATE=', line: 'ETCD_INITIAL_CLUSTER_STATE=existing' };
    const p = await run(M(lineinfile), ctx, args);
    expect(p.status).toBe('changed');
    expect(p.diff?.[0]?.after).toContain('=existing');
    expect(readFileSync(env, 'utf8')).toContain('=new');
    const live = { ...ctx, checkMode: false };
    const r = await run(M(lineinfile), live, { ...args, backup: true });
    expect(r.status).toBe('changed');
    expect(r.msg).toBe('line replaced');
    expect(readFileSync(env, 'utf8')).toBe('ETCD_NAME=etcd1\nETCD_INITIAL_CLUSTER_STATE=existing\n');
    expect(mode(env)).toBe(0o600);
    expect(readdirSync(ctx.dir).filter((n) => n.endsWith('~'))).toHaveLength(1);
    expect((await run(M(lineinfile), live, args)).status).toBe('ok');
  });

  it('fails on a missing file unless create, and is ok removing from a missing file', async () => {
    const ctx = makeCtx();
    const f = join(ctx.dir, 'new.conf');
    const r = await run(M(lineinfile), ctx, { path: f, line: 'a=1' });
    expect(r.status).toBe('failed');
    expect(r.msg).toMatch(/does not exist/);
    expect((await run(M(lineinfile), ctx, { path: f, line: 'a=1', state: 'absent' })).status).toBe('ok');
    expect((await run(M(lineinfile), ctx, { path: f, line: 'a=1', create: true, mode: '0640' })).status).toBe('changed');
    expect(readFileSync(f, 'utf8')).toBe('a=1\n');
    expect(mode(f)).toBe(0o640);
    expect((await run(M(lineinfile), ctx, { path: f, regexp: '^a=', state: 'absent' })).status).toBe('changed');
    expect(readFileSync(f, 'utf8')).toBe('');
  });
});

describe('replace', () => {
  it('replaces, then is ok; check mode leaves the file alone', async () => {
    const ctx = makeCtx({ checkMode: true });
    const f = join(ctx.dir, 'hosts');
    writeFileSync(f, 'server old1\nserver old2\n');
    const args = { path: f, regexp: '^server old(\\d)$', replace: 'server new\\1' };
    expect((await run(M(replace), ctx, args)).status).toBe('changed');
    expect(readFileSync(f, 'utf8')).toBe('server old1\nserver old2\n');
    const live = { ...ctx, checkMode: false };
    const r = await run(M(replace), live, args);
    expect(r.msg).toBe('2 replacements made');
    expect(readFileSync(f, 'utf8')).toBe('server new1\nserver new2\n');
    expect((await run(M(replace), live, args)).status).toBe('ok');
    expect((await run(M(replace), live, { path: join(ctx.dir, 'none'), regexp: 'x' })).msg).toMatch(/does not exist/);
  });
});

describe('fetch', () => {
  it('fetches into dest/<host>/<path>, then is ok; flat fetches to dest itself', async () => {
    const ctx = makeCtx();
    const src = join(ctx.dir, 'remote.conf');
    writeFileSync(src, 'data');
    const r = await run(M(fetch), ctx, { src, dest: 'backup' });
    expect(r.status).toBe('changed');
    const expected = join(ctx.dir, 'backup', 'localhost', src);
    expect(readFileSync(expected, 'utf8')).toBe('data');
    expect((await run(M(fetch), ctx, { src, dest: 'backup' })).status).toBe('ok');
    const flat = join(ctx.dir, 'flat.conf');
    expect((await run(M(fetch), ctx, { src, dest: flat, flat: true })).status).toBe('changed');
    expect(readFileSync(flat, 'utf8')).toBe('data');
  });

  it('fails on a missing remote file unless fail_on_missing: false', async () => {
    const ctx = makeCtx();
    const src = join(ctx.dir, 'nope');
    expect((await run(M(fetch), ctx, { src, dest: 'b' })).status).toBe('failed');
    expect((await run(M(fetch), ctx, { src, dest: 'b', fail_on_missing: false })).status).toBe('ok');
  });
});
