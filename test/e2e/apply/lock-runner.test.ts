// The host lock records the remote runner (the SSH session's process group and session id), so
// a new run never takes over while a command of a killed run still runs, over real sshd on
// net 11: a controller SIGKILLed during `sleep`, then another apply at once → it takes over only
// once the old command is provably gone (its first command finds none), and a command of the old
// run that survives the hangup — also one that left the process group but not the session — is
// named (pid and command line) in the refusal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, runCli } from '../../helpers/cli.js';
import { startSshHosts, type SshHosts } from '../../helpers/ssh-hosts.js';

let hosts: SshHosts;
beforeAll(async () => {
  hosts = await startSshHosts(2, 11);
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

function book(tasks: string[]): string {
  const d = mkdtempSync(join(tmpdir(), 'rb-lockrun-'));
  const pb = join(d, 'pb.yml');
  writeFileSync(pb, `- hosts: nodes\n  gather_facts: false\n  tasks:\n${tasks.map((t) => `    - ${t}\n`).join('')}`);
  return pb;
}

/** an apply of `task` killed with SIGKILL once its command runs on both hosts */
async function killedDuring(task: string, secs: string, inv: string): Promise<void> {
  const child = spawn(process.execPath, [CLI, 'apply', book([task]), '-i', inv, '--yes', '--output', 'plain'], { stdio: 'ignore' });
  const done = new Promise((resolve) => child.on('close', resolve));
  for (let i = 0; i < 200 && sleepers(secs).length < 2; i++) await sleep(50);
  expect(sleepers(secs)).toHaveLength(2);
  child.kill('SIGKILL');
  await done;
}

describe('the host lock and the old run’s remote commands', () => {
  it('SIGKILL during `sleep`, another apply at once: it takes over only once the sleep is gone', async () => {
    const secs = '30.111';
    const inv = hosts.inventory({ file: 'at-once.yml' });
    await killedDuring(`command: sleep ${secs}`, secs, inv);
    // the first command of the new run, right after the lock: no sleep of the old run is left
    const next = await runCli(['apply', book([`shell: "! pgrep -f '^sleep ${secs}$'"`]), '-i', inv, '--yes', '--output', 'json']);
    expect(next.code, next.stdout.slice(-2000) + next.stderr).toBe(0);
    expect(next.stdout + next.stderr).toMatch(/took over the stale lock/);
    expect(sleepers(secs)).toEqual([]);
  });

  it('a command that ignores the hangup: the next apply is refused, naming its pid and command', async () => {
    const secs = '30.112';
    const inv = hosts.inventory({ file: 'nohup.yml' });
    await killedDuring(`command: nohup sleep ${secs}`, secs, inv);
    const next = await runCli(['apply', book(['command: "true"']), '-i', inv, '--yes', '--output', 'json']);
    const alive = sleepers(secs);
    expect(alive).toHaveLength(2);
    expect(next.code).toBe(4);
    const named = new Set(
      [...next.stdout.matchAll(/its commands still run on the host: pid (\d+) `sleep 30\.112`/g)].map((m) => Number(m[1])),
    );
    expect([...named].sort()).toEqual([...alive].sort());
    for (const pid of alive) process.kill(pid);
  });

  it('a command that left the process group but not the session still holds the host', async () => {
    const secs = '30.113';
    const inv = hosts.inventory({ file: 'pgroup.yml' });
    // a process group of its own (as a shell with job control gives its jobs): the hangup of the
    // session's group does not reach it, but it is still in the run's session
    await killedDuring(`command: perl -e 'setpgrp(0, 0); exec qw(sleep ${secs})'`, secs, inv);
    const next = await runCli(['apply', book(['command: "true"']), '-i', inv, '--yes', '--output', 'json']);
    const alive = sleepers(secs);
    expect(alive).toHaveLength(2);
    expect(next.code, next.stdout.slice(-2000)).toBe(4);
    expect(next.stdout).toMatch(/pid \d+ `sleep 30\.113` \(process group \d+, session \d+\)/);
    for (const pid of alive) process.kill(pid);
    await sleep(300);
    const after = await runCli(['apply', book(['command: "true"']), '-i', inv, '--yes', '--output', 'json']);
    expect(after.code, after.stderr).toBe(0);
  });
});
