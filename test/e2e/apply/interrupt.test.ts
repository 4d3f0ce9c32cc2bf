// Ctrl-C during apply: the first stops starting new tasks and lets the running one finish;
// a second aborts the running one. Exit 130 either way, with the recap printed.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../../helpers/cli.js';
import { startSshHosts } from '../../helpers/ssh-hosts.js';

function start(pb: string, inv = 'localhost,'): { done: Promise<{ code: number | null; out: string; err: string }>; kill: () => void } {
  const child = spawn(process.execPath, [CLI, 'apply', pb, '-i', inv, '--yes', '--output', 'plain'], {
    env: { ...process.env, NO_COLOR: '1' },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, out, err })),
  );
  return { done, kill: () => child.kill('SIGINT') };
}

const waitFor = async (f: string): Promise<void> => {
  for (let i = 0; i < 200 && !existsSync(f); i++) await new Promise((r) => setTimeout(r, 25));
};

describe('interrupting apply', () => {
  it('first Ctrl-C: the running task finishes, no new task starts, exit 130', async () => {
    const d = mkdtempSync(join(tmpdir(), 'rb-int-'));
    const pb = join(d, 'pb.yml');
    writeFileSync(
      pb,
      `- hosts: all\n  tasks:\n    - shell: touch ${d}/started; sleep 1; touch ${d}/first-done\n    - file: path=${d}/second state=touch\n`,
    );
    const run = start(pb);
    await waitFor(join(d, 'started'));
    run.kill();
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(existsSync(join(d, 'first-done'))).toBe(true);
    expect(existsSync(join(d, 'second'))).toBe(false);
    expect(r.err).toMatch(/Interrupted/);
    expect(r.out).toMatch(/PLAY RECAP/);
  });

  it('second Ctrl-C aborts the running task', async () => {
    const d = mkdtempSync(join(tmpdir(), 'rb-int-'));
    const pb = join(d, 'pb.yml');
    writeFileSync(pb, `- hosts: all\n  tasks:\n    - shell: touch ${d}/started; sleep 5; touch ${d}/finished\n`);
    const t0 = Date.now();
    const run = start(pb);
    await waitFor(join(d, 'started'));
    run.kill();
    await new Promise((r) => setTimeout(r, 200));
    run.kill();
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(Date.now() - t0).toBeLessThan(4500);
    expect(existsSync(join(d, 'finished'))).toBe(false);
    expect(readFileSync(pb, 'utf8')).toContain('sleep 5');
  });

  // Over ssh the second Ctrl-C closes the session and exits at once; a command already
  // started remotely may run to its end there (as with ssh without a tty): not asserted.
  it('second Ctrl-C also stops waiting for a command running over ssh', async () => {
    const h = await startSshHosts(1, 55);
    try {
      const d = mkdtempSync(join(tmpdir(), 'rb-int-'));
      const pb = join(d, 'pb.yml');
      writeFileSync(pb, `- hosts: all\n  tasks:\n    - shell: touch ${d}/started; sleep 4; touch ${d}/finished\n`);
      const run = start(pb, h.inventory());
      await waitFor(join(d, 'started'));
      // timed from the first Ctrl-C, not from the start: start-up and connect are slow on a loaded machine
      const t0 = Date.now();
      run.kill();
      await new Promise((r) => setTimeout(r, 200));
      run.kill();
      const r = await run.done;
      expect(r.code).toBe(130);
      expect(Date.now() - t0).toBeLessThan(3000); // the remote sleep had 4 s to go
      expect(r.out).toMatch(/interrupted/);
      // and the command itself was stopped on the host, not left to finish
      await new Promise((res) => setTimeout(res, Math.max(0, 4500 - (Date.now() - t0))));
      expect(existsSync(join(d, 'finished'))).toBe(false);
    } finally {
      await h.stop();
    }
  });
});
