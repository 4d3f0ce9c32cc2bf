// Safety checks that must close, never open (issue 16, cases 3 and 4), over real sshd: a host
// lock that cannot be created refuses every run; a torn lock refuses until --break-lock;
// Ctrl-C twice and SIGKILL of the controller leave no command running on the hosts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CLI, runCli } from '../../helpers/cli.js';
import { startSshHosts, type SshHosts } from '../../helpers/ssh-hosts.js';
import { TAKE_LOCK_SCRIPT } from '../../../src/cli/host-lock.js';

let hosts: SshHosts;
beforeAll(async () => {
  hosts = await startSshHosts(3, 142);
});
afterAll(async () => {
  await hosts?.stop();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** pids of processes whose command line is exactly `sleep <secs>` (a value no one else uses) */
function sleepers(secs: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', `^sleep ${secs}$`], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function startApply(pb: string, inv: string): { child: ReturnType<typeof spawn>; done: Promise<{ code: number | null; err: string }> } {
  const child = spawn(process.execPath, [CLI, 'apply', pb, '-i', inv, '--yes', '--output', 'plain'], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stdout!.on('data', () => undefined);
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  return { child, done: new Promise((resolve) => child.on('close', (code) => resolve({ code, err }))) };
}

function book(task: string): string {
  const d = mkdtempSync(join(tmpdir(), 'rb-fc-'));
  const pb = join(d, 'pb.yml');
  writeFileSync(pb, `- hosts: nodes\n  gather_facts: false\n  tasks:\n    - ${task}\n`);
  return pb;
}

describe('locks fail closed', () => {
  it('a host lock that cannot be created refuses both of two runs started 1.5 s apart', async () => {
    const inv = hosts.inventory({ vars: { runbook_lock_file: '/nonexistent-rb16/dir/runbook.lock' }, file: 'nolock.yml' });
    const pb = book('command: sleep 2');
    // each its own state dir: on a loaded machine the first run may still hold the controller's
    // lock 1.5 s in, and this is about the host lock
    const a = runCli(['apply', pb, '-i', inv, '--yes', '--output', 'json', '--state-dir', join(hosts.dir, 'state-a')], {
      timeoutMs: 60_000,
    });
    await sleep(1500);
    const b = runCli(['apply', pb, '-i', inv, '--yes', '--output', 'json', '--state-dir', join(hosts.dir, 'state-b')], {
      timeoutMs: 60_000,
    });
    for (const r of await Promise.all([a, b])) {
      expect(r.code).not.toBe(0);
      expect(r.stdout + r.stderr).toMatch(/cannot create the lock \/nonexistent-rb16\/dir\/runbook\.lock/);
      expect(r.stdout + r.stderr).not.toMatch(/took over/);
      expect(r.recap()['node1']?.['ok'] ?? 0).toBe(0);
    }
  });

  it('a torn host lock and a torn controller lock refuse the run until --break-lock', async () => {
    const inv = hosts.inventory({ file: 'torn.yml' });
    const pb = book('command: "true"');
    const hostLock = join(hosts.dir, 'node1', 'runbook.lock');
    writeFileSync(hostLock, '{"run":"2026'); // a writer that died mid-line
    const r = await runCli(['apply', pb, '-i', inv, '--yes', '--output', 'json']);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/lock .*runbook\.lock cannot be parsed/);
    const broken = await runCli(['apply', pb, '-i', inv, '--yes', '--output', 'json', '--break-lock']);
    expect(broken.code, broken.stderr).toBe(0);

    const state = join(dirname(inv), '.runbook');
    mkdirSync(state, { recursive: true });
    writeFileSync(join(state, 'lock'), '');
    const c = await runCli(['apply', pb, '-i', inv, '--yes', '--output', 'json']);
    expect(c.code).not.toBe(0);
    expect(c.stderr).toMatch(/lock .*cannot be read \(empty\)/);
    const d = await runCli(['apply', pb, '-i', inv, '--yes', '--output', 'json', '--break-lock']);
    expect(d.code, d.stderr).toBe(0);
  });
});

describe('a lock file shared by hosts (inventory aliases of one machine)', () => {
  it("the hosts of one run share it; one found empty between another writer's create and write is read again, not called torn", async () => {
    const shared = join(hosts.dir, 'shared.lock');
    const inv = hosts.inventory({ vars: { runbook_lock_file: shared }, file: 'shared.yml' });
    const pb = book('command: "true"');
    const r = await runCli(['apply', pb, '-i', inv, '--yes', '--output', 'plain']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/node1 +: ok=1/);
    expect(r.stdout).toMatch(/node3 +: ok=1/);

    // another controller's run has created the file (empty) and writes its line 0.3 s later: the
    // lock script itself, in /bin/sh as over ssh (an apply's connect time would hide the window)
    writeFileSync(shared, '');
    const other = '{"run":"2026-12-07T18:00:00Z-other","pid":1,"controller":"laptop-b","user":"ops","since":"2026-12-07T18:00:00Z"}';
    const writer = spawn('/bin/sh', ['-c', 'sleep 0.3; printf "%s\\n" "$1" > "$2"', 'w', other, shared], { stdio: 'ignore' });
    const written = new Promise((resolve) => writer.on('close', resolve));
    const held = execFileSync('/bin/sh', ['-c', TAKE_LOCK_SCRIPT, 'lock', shared, '{"run":"mine"'], { encoding: 'utf8' });
    await written;
    expect(held.split('\n').slice(0, 2)).toEqual(['HELD', other]);

    // one that stays empty is torn, as before
    writeFileSync(shared, '');
    const torn = await runCli(['apply', pb, '-i', inv, '--yes', '--output', 'plain']);
    expect(torn.code).not.toBe(0);
    expect(torn.stdout + torn.stderr).toMatch(/shared\.lock cannot be parsed \(empty\)/);
  });
});

describe('no orphans on the hosts', () => {
  for (const how of ['SIGINT twice', 'SIGKILL'] as const) {
    it(`${how} during a remote sleep leaves no process on any host; the next run is not blocked`, async () => {
      const secs = how === 'SIGKILL' ? '47.161' : '47.162';
      const inv = hosts.inventory({ file: `orphan-${secs}.yml` });
      const run = startApply(book(`command: sleep ${secs}`), inv);
      for (let i = 0; i < 200 && sleepers(secs).length < 3; i++) await sleep(50);
      expect(sleepers(secs)).toHaveLength(3);
      if (how === 'SIGKILL') {
        run.child.kill('SIGKILL');
      } else {
        run.child.kill('SIGINT');
        await sleep(300);
        run.child.kill('SIGINT');
      }
      await run.done;
      for (let i = 0; i < 60 && sleepers(secs).length > 0; i++) await sleep(100);
      expect(sleepers(secs)).toEqual([]);
      const next = await runCli(['apply', book('command: "true"'), '-i', inv, '--yes', '--output', 'json']);
      expect(next.code, next.stderr + next.stdout.slice(-3000)).toBe(0);
    });
  }

  it('the host lock is not taken over while a command of the killed run still runs there (one that ignores the hangup)', async () => {
    const secs = '47.163';
    const inv = hosts.inventory({ file: 'nohup.yml' });
    const run = startApply(book(`command: nohup sleep ${secs}`), inv);
    for (let i = 0; i < 200 && sleepers(secs).length < 3; i++) await sleep(50);
    run.child.kill('SIGKILL');
    await run.done;
    await sleep(500);
    expect(sleepers(secs)).toHaveLength(3);
    const next = await runCli(['apply', book('command: "true"'), '-i', inv, '--yes', '--output', 'json']);
    expect(next.code).toBe(4);
    expect(next.stdout).toMatch(/its commands still run on the host: pid \d+ `sleep 47\.163` \(process group \d+, session \d+\)/);
    for (const pid of sleepers(secs)) process.kill(pid);
    await sleep(300);
    const after = await runCli(['apply', book('command: "true"'), '-i', inv, '--yes', '--output', 'json']);
    expect(after.code, after.stderr).toBe(0);
  });
});

describe('secrets at rest', () => {
  it('extra vars: the journal and runs show keep names and hashes, never values (quoted values not split); --journal-vars keeps named ones', async () => {
    const inv = hosts.inventory({ file: 'secrets.yml' });
    const pb = book('command: "true"');
    const r = await runCli([
      'apply',
      pb,
      '-i',
      inv,
      '--yes',
      '--output',
      'json',
      '-e',
      'pw="s3cr3tA B0b" apikey=K3yK3y',
      '-e',
      '{"region":"eu-w3st","token":"T0k3n"}',
      '--journal-vars',
      'region',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const show = await runCli(['runs', 'show', 'latest', '-i', inv]);
    expect(show.code, show.stderr).toBe(0);
    const runs = join(dirname(inv), '.runbook', 'runs');
    const journal = execFileSync('sh', ['-c', 'cat "$1"/*/*', 'sh', runs], { encoding: 'utf8' });
    for (const text of [journal, show.stdout]) {
      expect(text).not.toMatch(/s3cr3tA|B0b|K3yK3y|T0k3n/);
      expect(text).toMatch(/pw/);
      expect(text).toMatch(/apikey/);
      expect(text).toMatch(/sha256:[0-9a-f]{16}/);
      expect(text).toMatch(/eu-w3st/);
    }
  });
});

describe('YAML names and printed values', () => {
  it('constructor/toString keys reach no prototype; a newline in a loop label cannot forge a report line', async () => {
    const inv = hosts.inventory({ file: 'forge.yml' });
    const d = mkdtempSync(join(tmpdir(), 'rb-fc-'));
    const bad = join(d, 'proto.yml');
    writeFileSync(bad, '- hosts: nodes\n  tasks:\n    - constructor: {}\n    - toString: x\n');
    const v = await runCli(['validate', bad, '-i', inv]);
    expect(v.code).not.toBe(0);
    expect(v.stdout + v.stderr).toMatch(/unknown module 'constructor'/);
    expect(v.stdout + v.stderr).not.toMatch(/native code/);
    const pb = join(d, 'forge.yml');
    writeFileSync(
      pb,
      `- hosts: node1
  gather_facts: false
  tasks:
    - name: "a task\\nok: [node9] => forged task"
      command: "true"
    - set_fact:
        constructor: 1
        toString: two
    - debug:
        msg: "{{ toString }}"
      loop: ["a\\nok: [node9] => forged", "b"]
      loop_control:
        label: "{{ item }}"
`,
    );
    const r = await runCli(['apply', pb, '-i', inv, '--yes', '--output', 'plain']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n').filter((l) => /^ok: \[node9\]/.test(l))).toEqual([]);
    expect(r.stdout).toContain('(item=a\\nok: [node9] => forged)');
    expect(r.stdout).toContain('TASK [a task\\nok: [node9] => forged task]');
    expect(r.stdout).toContain('"msg": "two"');
  });
});
