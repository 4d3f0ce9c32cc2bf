import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import service from '../../../src/modules/builtin/service.js';
import { via } from '../../../src/modules/support/service.js';
import systemd from '../../../src/modules/builtin/systemd.js';
import type { Module } from '../../../src/modules/types.js';
import { check, cleanup, makeCtx, run } from './context.js';

afterAll(cleanup);
const M = (m: unknown): Module => m as Module;

// A fake service: "running" means the flag file exists; every action is logged.
function commands(dir: string): Record<string, unknown> {
  const flag = join(dir, 'running');
  const log = join(dir, 'log');
  return {
    status_command: ['test', '-f', flag],
    start_command: ['sh', '-c', `touch '${flag}'; echo start >> '${log}'`],
    stop_command: ['sh', '-c', `rm -f '${flag}'; echo stop >> '${log}'`],
  };
}
const log = (dir: string): string[] => (existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8').trim().split('\n') : []);

describe('service (command manager)', () => {
  it('starts a stopped service, then is ok; check mode predicts without starting', async () => {
    const ctx = makeCtx({ checkMode: true });
    const args = { name: 'etcd', state: 'started', manager: 'command', ...commands(ctx.dir) };
    const p = await run(M(service), ctx, args);
    expect(p.status).toBe('changed');
    expect(p.predicted).toMatch(/^start etcd via command `sh -c 'touch /);
    expect(log(ctx.dir)).toEqual([]);
    const live = { ...ctx, checkMode: false };
    expect((await run(M(service), live, args)).status).toBe('changed');
    expect(log(ctx.dir)).toEqual(['start']);
    expect((await check(M(service), live, args)).kind).toBe('unchanged');
    expect((await run(M(service), live, { ...args, state: 'stopped' })).status).toBe('changed');
    expect((await run(M(service), live, { ...args, state: 'stopped' })).status).toBe('ok');
    expect(log(ctx.dir)).toEqual(['start', 'stop']);
  });

  it('restarted always acts (stop + start without a restart_command); commands may come from variables', async () => {
    const dir = makeCtx().dir;
    const c = commands(dir);
    const ctx = makeCtx({
      vars: {
        service_status_command: c['status_command'],
        service_start_command: { etcd: c['start_command'] },
        service_stop_command: c['stop_command'],
      },
    });
    const args = { name: 'etcd', state: 'restarted' };
    expect((await run(M(service), ctx, args)).status).toBe('changed');
    expect((await run(M(service), ctx, args)).status).toBe('changed');
    expect(log(dir)).toEqual(['stop', 'start', 'stop', 'start']);
  });

  it('fails clearly when a command fails or a status command is missing', async () => {
    const ctx = makeCtx();
    const r = await run(M(service), ctx, {
      name: 'x',
      state: 'started',
      manager: 'command',
      status_command: 'false',
      start_command: ['sh', '-c', 'echo boom >&2; exit 2'],
    });
    expect(r.status).toBe('failed');
    expect(r.msg).toBe('start x failed: boom');
    expect((await run(M(service), ctx, { name: 'x', state: 'started', manager: 'command', start_command: 'true' })).msg).toMatch(
      /status_command/,
    );
    expect((await run(M(service), ctx, { name: 'x' })).msg).toMatch(/one of state, enabled/);
    expect(
      (await run(M(service), ctx, { name: 'x', state: 'started', manager: 'command', status_command: 'true', enabled: true })).msg,
    ).toMatch(/enabled is not supported/);
  });
});

describe('systemd', () => {
  it('requires a name unless only daemon_reload is asked for', async () => {
    const ctx = makeCtx({ checkMode: true });
    expect((await run(M(systemd), ctx, { state: 'started' })).msg).toBe('name is required');
    const p = await check(M(systemd), ctx, { daemon_reload: true });
    expect(p.kind).toBe('change');
  });
});

describe('service says what it controls', () => {
  it('names the manager and the unit, script or commands in the plan', () => {
    expect(via('systemd', 'etcd', 'restart', {})).toBe('via systemd unit etcd.service');
    expect(via('systemd', 'etcd-lab.service', 'stop', {})).toBe('via systemd unit etcd-lab.service');
    expect(via('sysv', 'etcd', 'start', {})).toBe('via sysv script /etc/init.d/etcd');
    expect(via('command', 'etcd', 'restart', { stop: ['lab-etcd', 'stop'], start: ['lab-etcd', 'start', 'my dir'] })).toBe(
      "via command `lab-etcd stop` then `lab-etcd start 'my dir'`",
    );
  });

  it('auto without systemd nor an init script for the service fails instead of guessing sysv', async () => {
    if (existsSync('/run/systemd/system')) return; // this host runs systemd: auto finds it
    const r = await run(M(service), makeCtx(), { name: 'runbook-no-such-service', state: 'started' });
    expect(r.status).toBe('failed');
    expect(r.msg).toBe(
      "Could not find the requested service runbook-no-such-service: host (no service manager found: systemd does not run and there is no /etc/init.d/runbook-no-such-service; give manager:, or start_command/stop_command/status_command (for etcd: the inventory's etcd_service_* variables))",
    );
  });
});

// This machine: no systemd as PID 1, so the manager is sysv with Debian's /etc/init.d scripts.
describe('service (a service that does not exist)', () => {
  it('fails like Ansible for stopped, started and enabled, also in check mode; an existing one passes', async () => {
    const ctx = makeCtx();
    const missing = { name: 'runbook-no-such-service', state: 'stopped', manager: 'sysv' };
    const r = await run(M(service), ctx, missing);
    expect(r.status).toBe('failed');
    expect(r.msg).toBe('Could not find the requested service runbook-no-such-service: host');
    expect((await check(M(service), makeCtx({ checkMode: true }), { ...missing, state: 'started' })).kind).toBe('failed');
    expect((await run(M(service), ctx, { name: 'runbook-no-such-service', enabled: false, manager: 'sysv' })).msg).toMatch(
      /Could not find the requested service/,
    );
    expect((await check(M(service), makeCtx({ checkMode: true }), { name: 'procps', state: 'stopped', manager: 'sysv' })).kind).not.toBe(
      'failed',
    );
  });

  it('daemon_reload without a name needs systemd, as Ansible hands it to the systemd module', async () => {
    expect((await run(M(service), makeCtx(), { daemon_reload: true })).msg).toBe('missing required arguments: name');
  });
});
