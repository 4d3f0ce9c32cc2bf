// clientPortStateBeside on this machine (LocalConnection, /bin/sh, bash, ss): the client port's
// state read beside another script in one round trip, the other's stdout, stderr and exit code
// exactly as if it had run alone; a port nothing listens on, one that accepts, one whose process
// never accepts (a sleeping python that only listens) and a URL that is none.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { clientPortStateBeside, splitBeside } from '../../../src/modules/etcd/unready.js';
import { cleanup, makeCtx } from '../modules/context.js';

const OTHER = 'printf "%s\\n" "$1"; printf "no newline"; echo "to stderr" >&2; exit 3';
const servers: Server[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const s of servers) s.close();
  for (const c of children) c.kill('SIGKILL');
  cleanup();
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function expectOther(other: { rc: number; stdout: string; stderr: string }): void {
  expect(other.rc).toBe(3);
  expect(other.stdout).toBe('one word\nno newline');
  expect(other.stderr).toContain('to stderr');
}

describe('clientPortStateBeside', () => {
  it('nothing listens: refused, and the other script ran as alone', async () => {
    const r = await clientPortStateBeside(makeCtx(), `http://127.0.0.1:${await freePort()}`, OTHER, ['one word']);
    expect(r.port).toBe('refused');
    expectOther(r.other);
  });

  it('a server that accepts: listening', async () => {
    const s = createServer((c) => c.destroy());
    servers.push(s);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const r = await clientPortStateBeside(makeCtx(), `http://127.0.0.1:${(s.address() as AddressInfo).port}`, OTHER, ['one word']);
    expect(r.port).toBe('listening');
    expectOther(r.other);
  });

  it('a process that listens and never accepts, asleep: unready', async () => {
    const port = await freePort();
    const py = spawn('python3', [
      '-c',
      `import socket, sys, time\ns = socket.socket()\ns.bind(("127.0.0.1", ${port}))\ns.listen(8)\nprint("up", flush=True)\ntime.sleep(60)`,
    ]);
    children.push(py);
    await new Promise<void>((resolve, reject) => {
      py.stdout.once('data', () => resolve());
      py.once('error', reject);
    });
    const r = await clientPortStateBeside(makeCtx(), `http://127.0.0.1:${port}`, OTHER, ['one word']);
    expect(r.port).toBe('unready');
    expectOther(r.other);
  });

  it('no URL: listening (cannot tell), the other run alone', async () => {
    const r = await clientPortStateBeside(makeCtx(), 'not a url', OTHER, ['one word']);
    expect(r.port).toBe('listening');
    expectOther(r.other);
  });
});

describe('splitBeside', () => {
  it('the other output before the first marker, the samples up to the last, its exit code', () => {
    expect(splitBeside('a\nb\n@@m\nx 1 S\n--\n\n@@m 0\n', '@@m')).toEqual({ other: 'a\nb', rc: 0, samples: 'x 1 S\n--\n' });
    expect(splitBeside('\n@@m\n\n@@m 1\n', '@@m')).toEqual({ other: '', rc: 1, samples: '' });
  });
  it('no marker, or another one at the end: undefined', () => {
    expect(splitBeside('a\n', '@@m')).toBeUndefined();
    expect(splitBeside('a\n@@m\nx\n@@n 0\n', '@@m')).toBeUndefined();
  });
});
