import { afterAll, describe, expect, it } from 'vitest';
import { createServer, type AddressInfo } from 'node:net';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import waitFor from '../../../src/modules/builtin/wait_for.js';
import type { Module } from '../../../src/modules/types.js';
import { check, cleanup, makeCtx, run } from './context.js';

afterAll(cleanup);
const M = (m: unknown): Module => m as Module;

describe('wait_for', () => {
  it('is read-only and skipped in check mode', async () => {
    expect(M(waitFor).readOnly).toBe(true);
    const r = await run(M(waitFor), makeCtx({ checkMode: true }), { port: 1, timeout: 1 });
    expect(r.status).toBe('skipped');
  });

  it('waits for a port to open (probed from the host), and for it to close', async () => {
    const server = createServer((s) => s.end());
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const port = (server.address() as AddressInfo).port;
    const ctx = makeCtx();
    const r = await run(M(waitFor), ctx, { port, timeout: 10, sleep: 0.2 });
    expect(r.status).toBe('ok');
    expect(r.data?.['port']).toBe(port);
    setTimeout(() => server.close(), 300);
    const s = await run(M(waitFor), ctx, { port: String(port), state: 'stopped', timeout: 10, sleep: 0.2 });
    expect(s.status).toBe('ok');
  });

  it('times out with Ansible’s message', async () => {
    const server = createServer();
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((res) => server.close(() => res()));
    const r = await run(M(waitFor), makeCtx(), { host: '127.0.0.1', port, timeout: 1, sleep: 0.3 });
    expect(r.status).toBe('failed');
    expect(r.msg).toBe(`Timeout when waiting for 127.0.0.1:${port}`);
    expect((await run(M(waitFor), makeCtx(), { port, timeout: 0.3, msg: 'etcd did not come up' })).msg).toBe('etcd did not come up');
  });

  it('waits for a file, for text in it, and for it to disappear', async () => {
    const ctx = makeCtx();
    const f = join(ctx.dir, 'ready');
    setTimeout(() => writeFileSync(f, 'starting\n'), 200);
    setTimeout(() => writeFileSync(f, 'starting\nserving client requests on 2379\n'), 500);
    const r = await run(M(waitFor), ctx, { path: f, search_regex: 'serving client requests on (\\d+)', timeout: 10, sleep: 0.1 });
    expect(r.status).toBe('ok');
    expect(r.data?.['match_groups']).toEqual(['2379']);
    setTimeout(() => rmSync(f), 200);
    expect((await run(M(waitFor), ctx, { path: f, state: 'absent', timeout: 10, sleep: 0.1 })).status).toBe('ok');
    const t = await run(M(waitFor), ctx, { path: f, timeout: 0.3, sleep: 0.1 });
    expect(t.msg).toBe(`Timeout when waiting for file ${f}`);
  });

  it('rejects contradictory arguments', async () => {
    const ctx = makeCtx();
    expect((await check(M(waitFor), ctx, { port: 1, path: '/x' })).kind).toBe('failed');
    expect((await check(M(waitFor), ctx, { port: 1, search_regex: 'x' })).kind).toBe('failed');
    expect((await check(M(waitFor), ctx, { port: 1, state: 'drained' })).kind).toBe('failed');
  });
});
