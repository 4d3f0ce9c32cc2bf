// The lab's two service scripts (a plain member's and a static-pod member's) share their
// running/status/dispatch part (src/lab/etcd/service-script.ts): both are valid sh, and both
// tell a running etcd from a stopped one by the pid file and the binary, as LSB status does.
// Run here for real with /bin/sh; the "etcd" is this test's own node process.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabMember } from '../../../src/lab/etcd/model.js';
import { serviceScriptText } from '../../../src/lab/etcd/service-script.js';
import { staticPodScriptText } from '../../../src/lab/etcd/static-pod.js';

const dir = mkdtempSync(join(tmpdir(), 'lab-service-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const member = {
  name: 'etcd1',
  envFile: join(dir, 'etcd.env'),
  pidFile: join(dir, 'etcd.pid'),
  logFile: join(dir, 'etcd.log'),
  manifest: join(dir, 'manifests', 'etcd.yaml'),
  etcd: { version: '3.5.16', bin: realpathSync(process.execPath), etcdctl: '/bin/false' },
} as unknown as LabMember;

const scripts = { plain: serviceScriptText(member), 'static-pod': staticPodScriptText(member) };

function run(text: string, ...args: string[]): { rc: number | null; out: string } {
  const file = join(dir, 'etcd-service');
  writeFileSync(file, text, { mode: 0o755 });
  const r = spawnSync('/bin/sh', [file, ...args], { encoding: 'utf8' });
  return { rc: r.status, out: r.stdout + r.stderr };
}

describe.each(Object.entries(scripts))('the %s service script', (_kind, text) => {
  it('is valid sh', () => {
    expect(spawnSync('/bin/sh', ['-n', '-c', text]).status).toBe(0);
  });

  it('says stopped (exit 3) without a pid file, or when the pid is not the etcd binary', () => {
    rmSync(member.pidFile, { force: true });
    expect(run(text, 'status')).toEqual({ rc: 3, out: 'etcd1: stopped\n' });
    writeFileSync(member.pidFile, `${spawnSync('/bin/sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout}`);
    expect(run(text, 'status').rc).toBe(3);
  });

  it('says running (exit 0) when the pid file names a live process of the etcd binary', () => {
    writeFileSync(member.pidFile, `${process.pid}\n`);
    expect(run(text, 'status')).toEqual({ rc: 0, out: `etcd1: running (pid ${process.pid})\n` });
  });

  it('refuses an unknown command with its usage (exit 2)', () => {
    expect(run(text, 'bogus')).toEqual({ rc: 2, out: expect.stringMatching(/^usage: .*etcd-service start\|stop\|status\|restart\n$/) });
  });
});
