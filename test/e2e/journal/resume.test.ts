// Runs that survive (issue 8), over real sshd: the journal after a SIGKILL, --resume, locks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, runCli } from '../../helpers/cli.js';
import { startSshHosts, type SshHosts } from '../../helpers/ssh-hosts.js';

let h: SshHosts;
let inv: string;
let n = 0;
beforeAll(async () => {
  h = await startSshHosts(2, 58);
  inv = h.inventory();
});
afterAll(async () => {
  await h?.stop();
});

function setup(tasks: string): { dir: string; pb: string } {
  const dir = join(h.dir, `t${++n}`);
  mkdirSync(dir, { recursive: true });
  const pb = join(dir, 'pb.yml');
  writeFileSync(pb, `- hosts: nodes\n  tasks:\n${tasks.replaceAll('$D', dir)}`);
  return { dir, pb };
}

/** apply, SIGKILLed `delayMs` after the task named `at` starts */
function killedAt(pb: string, at: string, delayMs: number, ...extra: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'apply', pb, '-i', inv, '--yes', '--output', 'json', ...extra], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let hit = false;
    child.stdout.on('data', (b: Buffer) => {
      if (
        !hit &&
        b.toString().includes(`"type":"task-start","id"`) &&
        b
          .toString()
          .split('\n')
          .some((l) => l.includes(`"task":"${at}"`) && l.includes('task-start'))
      ) {
        hit = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.on('close', () => resolve(hit));
  });
}

const TASKS = `    - name: one
      shell: date +%s%N | tee -a $D/{{ inventory_hostname }}.one
      register: first
    - name: two
      shell: sleep 2; echo two >> $D/{{ inventory_hostname }}.two
    - name: three
      copy:
        dest: $D/{{ inventory_hostname }}.three
        content: "{{ first.stdout }}\\n"
`;

describe('journal, resume and locks', () => {
  it('a run killed mid-task leaves a readable journal; --resume replays what finished and runs the rest', async () => {
    const { dir, pb } = setup(TASKS);
    expect(await killedAt(pb, 'two', 400)).toBe(true);
    const runsDir = join(h.dir, '.runbook', 'runs');
    const crashed = await runCli(['runs', '-i', inv]);
    expect(crashed.stdout).toMatch(/crashed/);
    const resumed = await runCli(['apply', pb, '-i', inv, '--yes', '--output', 'json', '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resuming run \S+ \(crashed\): 2 finished results are replayed/);
    for (const host of h.names) {
      // 'one' ran once; its registered value reached 'three' through the journal
      const one = readFileSync(join(dir, `${host}.one`), 'utf8');
      expect(one.trim().split('\n')).toHaveLength(1);
      expect(readFileSync(join(dir, `${host}.three`), 'utf8')).toBe(one);
    }
    const replayed = resumed.events().filter((e) => e['type'] === 'host-result' && e['resumed']);
    expect(replayed.map((e) => `${e['task']} ${e['host']}`).sort()).toEqual(['one node1', 'one node2']);
    const show = await runCli(['runs', 'show', 'latest', '-i', inv]);
    expect(show.stdout).toMatch(/ok \(exit 0\)/);
    expect(readdirSync(runsDir).length).toBeGreaterThanOrEqual(2);
  });

  it('replayed results are marked replayed, not changed, and runbook runs does not count them again', async () => {
    const { pb } = setup(TASKS);
    expect(await killedAt(pb, 'two', 400)).toBe(true);
    const resumed = await runCli(['apply', pb, '-i', inv, '--yes', '--output', 'plain', '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    for (const host of h.names) {
      expect(resumed.stdout).toContain(`replayed: [${host}] (changed in the run resumed: not run again)`);
      // one replayed; two and three run now: changed=2, and the replayed one on its own
      expect(resumed.stdout).toMatch(
        new RegExp(`${host} +: ok=2 +changed=2 +unreachable=0 +failed=0 +skipped=0 +rescued=0 +ignored=0 +replayed=1`),
      );
    }
    const runs = await runCli(['runs', '-i', inv]);
    const latest = runs.stdout.split('\n')[1]!.trim().split(/\s+/);
    expect(latest[1]).toBe('ok');
    expect(latest[3]).toBe('4'); // two and three on 2 hosts; 'one' was counted by the run that did it
    const show = await runCli(['runs', 'show', 'latest', '-i', inv]);
    expect(show.stdout).toMatch(/replayed +\[node1\] one/);
    expect(show.stdout).not.toMatch(/changed +\[node1\] one/);
  });

  it.each([
    ['one', 100],
    ['two', 1200],
    ['three', 50],
  ])('killed as %s runs, then resumed: every task done once where it finished, values carried over', async (at, delay) => {
    const { dir, pb } = setup(TASKS);
    expect(await killedAt(pb, at, delay)).toBe(true);
    const resumed = await runCli(['apply', pb, '-i', inv, '--yes', '--output', 'json', '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    for (const host of h.names) {
      const one = readFileSync(join(dir, `${host}.one`), 'utf8');
      expect(readFileSync(join(dir, `${host}.three`), 'utf8')).toBe(one.trim().split('\n').pop() + '\n');
      expect(existsSync(join(dir, `${host}.two`))).toBe(true);
    }
  });

  it('resume is refused after the playbook changed (naming it), unless --force', async () => {
    const { pb } = setup(TASKS);
    expect(await killedAt(pb, 'two', 200)).toBe(true);
    appendFileSync(pb, '    - debug: msg=added\n');
    const refused = await runCli(['apply', pb, '-i', inv, '--yes', '--resume']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(`refusing to resume run \\S+: ${pb.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} changed since it began`),
    );
    const forced = await runCli(['apply', pb, '-i', inv, '--yes', '--resume', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
  });

  it('two concurrent applies on the same inventory: the second is refused with the owner; a stale lock is taken over', async () => {
    const { pb } = setup(`    - shell: sleep 2\n`);
    const first = runCli(['apply', pb, '-i', inv, '--yes']);
    await new Promise((r) => setTimeout(r, 800));
    const second = await runCli(['apply', pb, '-i', inv, '--yes']);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/another run holds this inventory: .*lock is held by run \S+ of \S+@\S+ \(pid \d+\)/);
    expect((await first).code).toBe(0);
    expect(existsSync(join(h.dir, '.runbook', 'lock'))).toBe(false);
    expect(await killedAt(pb, 'shell', 200)).toBe(true);
    expect(existsSync(join(h.dir, '.runbook', 'lock'))).toBe(true);
    const after = await runCli(['apply', pb, '-i', inv, '--yes']);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stderr).toMatch(/took over the stale lock: run \S+/);
  });

  it('a host locked by a run on another controller is refused with the owner; --break-lock takes it', async () => {
    const { dir, pb } = setup(`    - file: path=$D/{{ inventory_hostname }}.done state=touch\n`);
    const lockFile = join(dir, 'host.lock');
    const locked = h.inventory({ file: `inv-lock-${n}.yml`, vars: { runbook_lock_file: lockFile } });
    writeFileSync(
      lockFile,
      JSON.stringify({ run: 'R-other', pid: 1, controller: 'laptop-of-alice', user: 'alice', since: '2026-11-23T03:00:00Z' }) + '\n',
    );
    const refused = await runCli(['apply', pb, '-i', locked, '--yes', '--output', 'plain']);
    expect(refused.code).toBe(4);
    expect(refused.stdout).toMatch(/node1.*UNREACHABLE.*locked by run R-other of alice@laptop-of-alice \(pid 1\)/);
    expect(existsSync(join(dir, 'node1.done'))).toBe(false);
    const broken = await runCli(['apply', pb, '-i', locked, '--yes', '--break-lock']);
    expect(broken.code, broken.stderr).toBe(0);
    // a warning event of that host (the run's bus): in the output, where the other warnings are
    // (the hosts share one lock file on this machine: whichever host takes it first breaks it)
    expect(broken.stdout).toMatch(/\[WARNING\]: \[node\d\] took over the broken \(--break-lock\) lock/);
    expect(existsSync(join(dir, 'node1.done'))).toBe(true);
    expect(existsSync(lockFile)).toBe(false); // released at the end of the run
  });

  it('a saved plan is applied as planned, and refused after the hosts drifted', async () => {
    const { dir, pb } = setup(`    - name: conf
      copy:
        dest: $D/{{ inventory_hostname }}.conf
        content: "v1\\n"
`);
    const planFile = join(dir, 'plan.json');
    const plan = await runCli(['plan', pb, '-i', inv, '--out', planFile]);
    expect(plan.code, plan.stderr + plan.stdout).toBe(0);
    expect(plan.stderr).toMatch(/Plan saved to/);
    const applied = await runCli(['apply', planFile, '--output', 'json']);
    expect(applied.code, applied.stderr).toBe(0);
    for (const host of h.names) expect(readFileSync(join(dir, `${host}.conf`), 'utf8')).toBe('v1\n');
    // a new plan sees nothing to do; then node2 drifts before it is applied
    const plan2 = await runCli(['plan', pb, '-i', inv, '--out', planFile]);
    expect(plan2.stdout).toMatch(/0 to change/);
    writeFileSync(join(dir, 'node2.conf'), 'edited by hand\n');
    const refused = await runCli(['apply', planFile]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/hosts changed since the plan was made .*node2 \S+ 'conf': the plan saw no change, now a change/);
    expect(readFileSync(join(dir, 'node2.conf'), 'utf8')).toBe('edited by hand\n');
  });

  it('a saved plan keeps secret-looking extra vars only as a hash: apply plan.json asks for them again and checks them', async () => {
    const { dir, pb } = setup(`    - name: conf
      copy:
        dest: $D/{{ inventory_hostname }}.conf
        content: "{{ who }} {{ db_password }}\\n"
`);
    const planFile = join(dir, 'plan.json');
    const plan = await runCli(['plan', pb, '-i', inv, '--out', planFile, '-e', 'who=ops', '-e', 'db_password=s3cret-value']);
    expect(plan.code, plan.stderr).toBe(0);
    const text = readFileSync(planFile, 'utf8');
    expect(text).not.toContain('s3cret-value');
    expect(JSON.parse(text)).toMatchObject({
      extraVars: { who: 'ops' },
      secretVars: { db_password: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    const missing = await runCli(['apply', planFile]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/give them again with -e \(db_password=\.\.\.\)/);
    const wrong = await runCli(['apply', planFile, '-e', 'db_password=other']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/-e db_password: not the value the plan was made with/);
    const other = await runCli(['apply', planFile, '-e', 'db_password=s3cret-value', '-e', 'who=me']);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/-e who is not one of its secret variables/);
    for (const host of h.names) expect(existsSync(join(dir, `${host}.conf`))).toBe(false);
    const applied = await runCli(['apply', planFile, '-e', 'db_password=s3cret-value']);
    expect(applied.code, applied.stderr).toBe(0);
    for (const host of h.names) expect(readFileSync(join(dir, `${host}.conf`), 'utf8')).toBe('ops s3cret-value\n');
  });
});
