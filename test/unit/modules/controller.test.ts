import { afterAll, describe, expect, it } from 'vitest';
import debug from '../../../src/modules/builtin/debug.js';
import setFact from '../../../src/modules/builtin/set_fact.js';
import assertModule from '../../../src/modules/builtin/assert.js';
import fail from '../../../src/modules/builtin/fail.js';
import addHost from '../../../src/modules/builtin/add_host.js';
import groupBy from '../../../src/modules/builtin/group_by.js';
import pause from '../../../src/modules/builtin/pause.js';
import meta from '../../../src/modules/builtin/meta.js';
import type { Module } from '../../../src/modules/types.js';
import { cleanup, makeCtx, run } from './context.js';

afterAll(cleanup);
const M = (m: unknown): Module => m as Module;

describe('controller-only modules', () => {
  it('are marked controllerOnly', () => {
    for (const m of [debug, setFact, assertModule, fail, addHost, groupBy, pause, meta]) expect(M(m).controllerOnly).toBe(true);
  });

  it('debug prints msg, or a variable under its name', async () => {
    const ctx = makeCtx({ vars: { cluster: { state: 'existing' } } });
    expect(await run(M(debug), ctx, { msg: 'hi' })).toMatchObject({ status: 'ok', msg: 'hi', data: { msg: 'hi' } });
    expect((await run(M(debug), ctx, {})).data).toEqual({ msg: 'Hello world!' });
    expect((await run(M(debug), ctx, { var: 'cluster.state' })).data).toEqual({ 'cluster.state': 'existing' });
    expect((await run(M(debug), ctx, { var: 'nope' })).data).toEqual({ nope: 'VARIABLE IS NOT DEFINED!' });
    expect((await run(M(debug), ctx, { msg: 'a', var: 'b' })).status).toBe('failed');
  });

  it('set_fact returns the arguments as facts, without cacheable', async () => {
    const r = await run(M(setFact), makeCtx(), { a: 1, b: ['x'], cacheable: true });
    expect(r.status).toBe('ok');
    expect(r.ansible_facts).toEqual({ a: 1, b: ['x'] });
  });

  it('assert passes, or fails with fail_msg and the failing assertion', async () => {
    const ctx = makeCtx({ vars: { state: 'new', n: 3 } });
    expect(await run(M(assertModule), ctx, { that: ["state == 'new'", 'n == 3'] })).toMatchObject({
      status: 'ok',
      msg: 'All assertions passed',
    });
    const r = await run(M(assertModule), ctx, { that: ["state == 'new'", "state == 'existing'"], fail_msg: 'cluster is new' });
    expect(r).toMatchObject({ status: 'failed', msg: 'cluster is new', data: { assertion: "state == 'existing'", evaluated_to: false } });
    expect((await run(M(assertModule), ctx, { that: 'n == 4' })).msg).toBe('Assertion failed');
    expect((await run(M(assertModule), ctx, { that: 'n == 4', msg: 'custom' })).msg).toBe('custom');
    expect((await run(M(assertModule), ctx, { that: 'n == 3', success_msg: 'fine' })).msg).toBe('fine');
    // as Ansible's assert: the message either way; without quiet the result is shown without -v (_ansible_verbose_always)
    expect(await run(M(assertModule), ctx, { that: 'n == 3', quiet: true })).toMatchObject({ msg: 'All assertions passed' });
    expect((await run(M(assertModule), ctx, { that: 'n == 3', quiet: true })).verboseAlways).toBeUndefined();
    expect((await run(M(assertModule), ctx, { that: 'n == 3' })).verboseAlways).toBe(true);
    expect((await run(M(assertModule), ctx, { that: 'missing_var' })).status).toBe('failed');
  });

  it('fail fails with its message', async () => {
    expect(await run(M(fail), makeCtx(), {})).toMatchObject({ status: 'failed', msg: 'Failed as requested from task' });
    expect((await run(M(fail), makeCtx(), { msg: 'stop' })).msg).toBe('stop');
  });

  it('add_host reports the host, groups and host vars (also in check mode)', async () => {
    const r = await run(M(addHost), makeCtx({ checkMode: true }), { name: 'new1:2222', groups: 'etcd,new', ansible_host: '10.0.0.9' });
    expect(r.status).toBe('changed');
    expect(r.data?.['add_host']).toEqual({
      host_name: 'new1',
      groups: ['etcd', 'new'],
      host_vars: { ansible_host: '10.0.0.9', ansible_port: 2222 },
    });
    const r2 = await run(M(addHost), makeCtx(), { hostname: 'h', group: ['a'], groupname: 'b' });
    expect(r2.data?.['add_host']).toMatchObject({ host_name: 'h', groups: ['a', 'b'] });
    expect((await run(M(addHost), makeCtx(), { groups: 'x' })).status).toBe('failed');
  });

  it('group_by names the group (as Ansible: add_group, parent_groups)', async () => {
    const r = await run(M(groupBy), makeCtx(), { key: 'role-etcd leader' });
    expect(r.status).toBe('ok'); // Ansible's group_by reports changed: false;
    expect(r.data).toEqual({ add_group: 'role_etcd_leader', parent_groups: ['all'] });
    expect((await run(M(groupBy), makeCtx(), { key: 'k', parents: 'a,b' })).data?.['parent_groups']).toEqual(['a', 'b']);
  });

  it('pause sleeps (also in check mode) and stops when aborted', async () => {
    const t = Date.now();
    const r = await run(M(pause), makeCtx({ checkMode: true }), { seconds: 0.2 });
    expect(r.status).toBe('ok');
    expect(Date.now() - t).toBeGreaterThanOrEqual(180);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const t2 = Date.now();
    const a = await run(M(pause), makeCtx({ signal: ac.signal }), { minutes: 5 });
    expect(a.status).toBe('failed');
    expect(Date.now() - t2).toBeLessThan(2000);
    expect((await run(M(pause), makeCtx(), { prompt: 'press enter' })).msg).toMatch(/no interactive prompt/);
  });

  it('meta names the action for the executor', async () => {
    expect(await run(M(meta), makeCtx(), { _raw_params: 'flush_handlers' })).toMatchObject({
      status: 'ok',
      data: { meta: 'flush_handlers' },
    });
    expect((await run(M(meta), makeCtx(), { _raw_params: 'end_batch' })).status).toBe('failed');
  });
});
