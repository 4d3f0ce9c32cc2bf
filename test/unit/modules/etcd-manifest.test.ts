import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import etcdManifest from '../../../src/modules/etcd/manifest.js';
import type { Module } from '../../../src/modules/types.js';
import { check, cleanup, makeCtx, run } from './context.js';

afterAll(cleanup);
const M = etcdManifest as unknown as Module;
const MANIFEST = readFileSync(new URL('../../fixtures/static-pod/kubeadm-etcd.yaml', import.meta.url), 'utf8');

describe('etcd_manifest', () => {
  it('rewrites the stopped copy, keeps the old one aside once, then changes nothing', async () => {
    const ctx = makeCtx();
    const path = join(ctx.dir, 'manifests', 'etcd.yaml');
    const stopped = join(ctx.dir, 'manifests.stopped-by-runbook');
    mkdirSync(stopped, { recursive: true });
    writeFileSync(join(stopped, 'etcd.yaml'), MANIFEST);
    const args = {
      path,
      flags: {
        'initial-cluster': 'cp1=https://10.0.0.11:2380',
        'initial-cluster-state': 'new',
        'initial-cluster-token': 'etcd-recovery-7',
      },
      aside_suffix: 'before-7',
    };
    const planned = await run(M, { ...ctx, checkMode: true }, args);
    expect(planned.predicted).toBe(
      `set --initial-cluster, --initial-cluster-state, --initial-cluster-token in ${stopped}/etcd.yaml (the old one kept as ${stopped}/etcd.yaml.before-7)`,
    );
    const r = await run(M, ctx, args);
    expect(r.status).toBe('changed');
    expect(readFileSync(join(stopped, 'etcd.yaml.before-7'), 'utf8')).toBe(MANIFEST);
    const now = readFileSync(join(stopped, 'etcd.yaml'), 'utf8');
    expect(now).toContain('- --initial-cluster=cp1=https://10.0.0.11:2380\n');
    expect(now).toContain('- --initial-cluster-token=etcd-recovery-7\n');
    expect(existsSync(path)).toBe(false);
    expect((await check(M, ctx, args)).kind).toBe('unchanged');
    // a later change keeps the first original, not the intermediate file
    await run(M, ctx, { ...args, flags: { 'initial-cluster-state': 'existing' } });
    expect(readFileSync(join(stopped, 'etcd.yaml.before-7'), 'utf8')).toBe(MANIFEST);
  });

  it('reads the member; refuses a file that is not an etcd pod with its path', async () => {
    const ctx = makeCtx();
    const path = join(ctx.dir, 'etcd.yaml');
    writeFileSync(path, MANIFEST);
    const r = await run(M, ctx, { path });
    expect(r.status).toBe('ok');
    expect((r.data as { member: Record<string, string> }).member).toMatchObject({
      name: 'cp1',
      data_dir: '/var/lib/etcd',
      cacert: '/etc/kubernetes/pki/etcd/ca.crt',
    });
    writeFileSync(path, 'kind: Service\n');
    expect((await run(M, ctx, { path })).msg).toBe(`${path}: kind is Service, not Pod`);
    expect((await run(M, ctx, { path: join(ctx.dir, 'none.yaml') })).msg).toMatch(/^no manifest: neither /);
  });
});
