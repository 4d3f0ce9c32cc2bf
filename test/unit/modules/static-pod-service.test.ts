import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import service from '../../../src/modules/builtin/service.js';
import { parsePodState, podAction, staticPodOf } from '../../../src/modules/support/static-pod.js';
import type { Module } from '../../../src/modules/types.js';
import { check, cleanup, makeCtx, run } from './context.js';

afterAll(cleanup);
const M = (m: unknown): Module => m as Module;
const MANIFEST = readFileSync(new URL('../../fixtures/static-pod/kubeadm-etcd.yaml', import.meta.url), 'utf8');

describe('service manager static-pod', () => {
  it('defaults to kubeadm paths, the stopped copy outside the manifests directory', () => {
    expect(staticPodOf('etcd', undefined, undefined, undefined)).toEqual({
      manifest: '/etc/kubernetes/manifests/etcd.yaml',
      stoppedDir: '/etc/kubernetes/manifests.stopped-by-runbook',
      timeoutMs: 90_000,
    });
  });

  it("finds the manifest's etcd by --name and --data-dir, not another etcd", () => {
    const out = `@@live\n${MANIFEST}@@proc 10\netcd\n--name=cp1\n--data-dir=/var/lib/etcd\n@@proc 11\n/usr/bin/etcd\n--name\ncp1\n--data-dir\n/var/lib/etcd\n@@proc 12\netcd\n--name=cp1\n--data-dir=/srv/other\n`;
    const s = parsePodState(out);
    expect(s).toMatchObject({ live: true, kept: false, pids: [10, 11] });
    expect(podAction('started', s)).toBeUndefined();
    expect(podAction('stopped', s)).toBe('stop');
    expect(podAction('restarted', s)).toBe('restart');
    // manifest moved out but its etcd still runs: stopping is not done yet
    const going = parsePodState(`@@kept\n${MANIFEST}@@proc 10\netcd\n--name=cp1\n--data-dir=/var/lib/etcd\n`);
    expect(podAction('stopped', going)).toBe('stop');
    expect(podAction('started', going)).toBe('start');
    expect(podAction('stopped', parsePodState(`@@kept\n${MANIFEST}`))).toBeUndefined();
    expect(parsePodState('@@live\nkind: Pod\nspec: {}\n').error).toMatch(/no spec.containers/);
  });

  it('stop moves the manifest out of the manifests directory; check mode says so and moves nothing', async () => {
    const ctx = makeCtx({ checkMode: true });
    const dir = join(ctx.dir, 'manifests');
    mkdirSync(dir);
    const manifest = join(dir, 'etcd.yaml');
    // a data dir no etcd on this machine uses
    writeFileSync(manifest, MANIFEST.replace('--data-dir=/var/lib/etcd', `--data-dir=${ctx.dir}/data`));
    const args = { name: 'etcd', state: 'stopped', manager: 'static-pod', manifest };
    const p = await run(M(service), ctx, args);
    expect(p.status).toBe('changed');
    expect(p.predicted).toBe(
      `stop etcd via static pod: move ${manifest} to ${dir}.stopped-by-runbook/etcd.yaml, wait for its etcd to exit`,
    );
    expect(existsSync(manifest)).toBe(true);
    const live = { ...ctx, checkMode: false };
    expect((await run(M(service), live, args)).status).toBe('changed');
    expect(existsSync(manifest)).toBe(false);
    expect(existsSync(`${dir}.stopped-by-runbook/etcd.yaml`)).toBe(true);
    expect((await check(M(service), live, args)).kind).toBe('unchanged');
    expect((await check(M(service), live, { ...args, state: 'started' })).kind).toBe('change');
    expect((await run(M(service), live, { ...args, enabled: true })).msg).toMatch(/enabled is not supported by the static-pod/);
  });

  it('start without any manifest fails naming both places', async () => {
    const ctx = makeCtx();
    const manifest = join(ctx.dir, 'm', 'etcd.yaml');
    const r = await run(M(service), ctx, { name: 'etcd', state: 'started', manager: 'static-pod', manifest });
    expect(r.status).toBe('failed');
    expect(r.msg).toBe(
      `start etcd: no manifest to start: neither ${manifest} nor ${join(ctx.dir, 'm')}.stopped-by-runbook/etcd.yaml exists`,
    );
  });
});
