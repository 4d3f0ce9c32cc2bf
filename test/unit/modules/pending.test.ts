// What a module reads may be made by an earlier task (a directory, a group): check() says
// `pending`, and the executor decides — a predicted change in check mode, the failure once the
// earlier tasks ran (modules/types.ts, executor/invoke.ts settle()).
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import copy from '../../../src/modules/builtin/copy.js';
import getUrl from '../../../src/modules/builtin/get_url.js';
import unarchive from '../../../src/modules/builtin/unarchive/index.js';
import type { Module } from '../../../src/modules/types.js';
import { check, cleanup, makeCtx, run, tempDir } from './context.js';

afterAll(cleanup);
const M = (m: unknown): Module => m as Module;

describe('a missing directory an earlier task may create', () => {
  it('copy: pending on the directory; predicted in check mode, failed otherwise', async () => {
    const ctx = makeCtx({ checkMode: true });
    const dest = join(ctx.dir, 'conf.d', 'a.conf');
    expect((await check(M(copy), ctx, { content: 'x', dest })).kind).toBe('pending');
    const r = await run(M(copy), ctx, { content: 'x', dest });
    expect(r.status).toBe('changed');
    expect(r.predicted).toMatch(/does not exist yet: an earlier task must create it/);
    const live = await run(M(copy), { ...ctx, checkMode: false }, { content: 'x', dest });
    expect(live.status).toBe('failed');
    expect(live.msg).toBe(`Destination directory ${join(ctx.dir, 'conf.d')} does not exist`);
    expect(existsSync(dest)).toBe(false);
  });

  it('get_url into a missing dest/: the URL file name, pending on the directory', async () => {
    const src = join(tempDir(), 'etcd.tgz');
    writeFileSync(src, 'bytes');
    const ctx = makeCtx({ checkMode: true });
    const dir = join(ctx.dir, 'downloads');
    const args = { url: `file://${src}`, dest: `${dir}/` };
    const r = await run(M(getUrl), ctx, args);
    expect(r.status).toBe('changed');
    expect(r.predicted).toContain(`download file://${src} to ${join(dir, 'etcd.tgz')}`);
    const live = await run(M(getUrl), { ...ctx, checkMode: false }, args);
    expect(live.status).toBe('failed');
    expect(live.msg).toBe(`Destination ${dir} does not exist`);
  });

  it('unarchive into a missing dest: pending, after the source and before the archive handler (Ansible order)', async () => {
    const d = tempDir();
    writeFileSync(join(d, 'f'), 'x');
    const tgz = join(d, 'a.tgz');
    execFileSync('tar', ['-czf', tgz, '-C', d, 'f']);
    const ctx = makeCtx({ checkMode: true });
    const dest = join(ctx.dir, 'opt');
    const args = { src: tgz, dest, remote_src: true };
    expect((await check(M(unarchive), ctx, args)).kind).toBe('pending');
    const r = await run(M(unarchive), ctx, args);
    expect(r.status).toBe('changed');
    expect(r.predicted).toMatch(/does not exist yet/);
    const live = await run(M(unarchive), { ...ctx, checkMode: false }, args);
    expect(live.status).toBe('failed');
    expect(live.msg).toBe(`Destination '${dest}' is not a directory`);
    // not an archive and no dest: the destination is what Ansible names first
    const bad = await run(M(unarchive), { ...ctx, checkMode: false }, { src: join(d, 'f'), dest, remote_src: true });
    expect(bad.msg).toBe(`Destination '${dest}' is not a directory`);
  });
});
