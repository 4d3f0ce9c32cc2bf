// async/poll over real sshd (127.0.102.x), then side by side with ansible-playbook 2.14 (local
// connection: ansible-playbook hangs on these sshd here, see compat/ansible-compat.test.ts):
// test/fixtures/async/jobs.yml. Jobs run on the host in the background: the assertions read
// when each job ran from the files the jobs wrote, never the test's own clock.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { startSshHosts, type SshHosts } from '../../helpers/ssh-hosts.js';

const JOBS = fileURLToPath(new URL('../../fixtures/async/jobs.yml', import.meta.url));
const LEFT = fileURLToPath(new URL('../../fixtures/async/left.yml', import.meta.url));
let h: SshHosts;
let inv: string;

type Json = Record<string, any>;

beforeAll(async () => {
  h = await startSshHosts(1, 102);
  inv = h.inventory({ vars: { ansible_python_interpreter: '/usr/bin/python3' } });
});
afterAll(async () => {
  await h?.stop();
});

function outDir(name: string): string {
  const d = join(realpathSync(h.dir), name);
  mkdirSync(d, { recursive: true });
  return d;
}

async function runbook(playbook: string, inventory: string, out: string): Promise<Json> {
  const r = await runCli(
    ['apply', playbook, '-i', inventory, '--yes', '--output', 'json', '-e', `out=${out}`, '--state-dir', join(out, 'state')],
    {
      timeoutMs: 120_000,
    },
  );
  expect(r.code, r.stderr + r.stdout.slice(-3000)).toBe(0);
  return existsSync(join(out, 'report.json')) ? (JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Json) : {};
}

/** ansible-playbook's output goes to a file: a job it left running keeps inherited pipes open. */
function ansible(playbook: string, inventory: string, out: string): Promise<Json> {
  const log = join(out, 'ansible.log');
  const fd = openSync(log, 'w');
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0' };
    const child = spawn('ansible-playbook', ['-i', inventory, playbook, '-e', `out=${out}`], { env, stdio: ['ignore', fd, fd] });
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      closeSync(fd);
      if (code !== 0) return reject(new Error(`ansible-playbook exited ${code}:\n${readFileSync(log, 'utf8').slice(-3000)}`));
      resolve(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Json);
    });
  });
}

const num = (out: string, f: string): number => Number(readFileSync(join(out, f), 'utf8').trim());
/** a process that is gone, or a zombie no one reaped yet (it runs no more either way) */
function gone(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z');
  } catch {
    return true;
  }
}

describe('async jobs over ssh', () => {
  let out: string;
  let rep: Json;
  beforeAll(async () => {
    out = outDir('ssh');
    rep = await runbook(JOBS, inv, out);
  }, 150_000);

  it('poll: 0 registers the started job and goes on: two jobs on one host run side by side', () => {
    expect(rep['a']).toMatchObject({ started: 1, finished: 0, failed: 0, changed: true });
    expect(rep['a'].ansible_job_id).toMatch(/^j\d+\.\d+$/);
    expect(rep['a'].results_file).toBe(`/root/.ansible_async/${rep['a'].ansible_job_id}`);
    // the second job started before the first one ended, and the other way round
    expect(num(out, 'b.start')).toBeLessThan(num(out, 'a.end'));
    expect(num(out, 'a.start')).toBeLessThan(num(out, 'b.end'));
    expect(rep['a_running']).toMatchObject({ started: 1, finished: 0, changed: false, failed: false, stdout: '' });
  });

  it('async_status until finished gives the job result; a failed command fails it; cleanup removes the file', () => {
    expect(rep['a_done']).toMatchObject({ finished: 1, started: 1, rc: 0, stdout: 'one', changed: true, failed: false });
    expect(rep['b_done']).toMatchObject({ finished: 1, rc: 3, stderr: 'two', failed: true, changed: true, msg: 'non-zero return code' });
    expect(rep['a_clean']).toMatchObject({ erased: rep['a'].results_file, changed: false });
    expect(existsSync(rep['a'].results_file)).toBe(false);
    expect(existsSync(rep['b'].results_file)).toBe(true);
  });

  it('poll > 0 waits for the job (and removes its file), or fails when the time limit passes', () => {
    expect(rep['polled']).toMatchObject({ finished: 1, started: 1, stdout: 'polled', changed: true });
    expect(existsSync(rep['polled'].results_file)).toBe(false);
    expect(rep['pinged']).toMatchObject({ finished: 1, ping: 'in the background', changed: false });
    expect(rep['late']).toMatchObject({ failed: true, changed: false, msg: 'async task did not complete within the requested time - 2s' });
    expect(rep['late'].async_result).toMatchObject({ finished: 0, started: 1 });
  });

  it('a job past its time limit is killed, and async_status says so', () => {
    expect(rep['k_done']).toMatchObject({ finished: 1, failed: true, msg: 'Timeout exceeded' });
    expect(gone(num(out, 'killed.pid'))).toBe(true);
  });

  it('a job outlives the run and its SSH connection, and writes its result file whole', async () => {
    const o = outDir('left');
    await runbook(LEFT, inv, o);
    const left = JSON.parse(readFileSync(join(o, 'left.json'), 'utf8')) as Json;
    expect(existsSync(join(o, 'left.done'))).toBe(false); // the run did not wait for it
    for (let i = 0; i < 100 && !existsSync(join(o, 'left.done')); i++) await new Promise((r) => setTimeout(r, 200));
    for (let i = 0; i < 50 && !readFileSync(left['results_file'], 'utf8').includes('"rc"'); i++)
      await new Promise((r) => setTimeout(r, 200));
    expect(readFileSync(join(o, 'left.done'), 'utf8')).toBe('done\n');
    expect(JSON.parse(readFileSync(left['results_file'], 'utf8'))).toMatchObject({ rc: 0, changed: true });
  }, 60_000);
});

describe('async in check mode (the plan)', () => {
  it('starts nothing: the job is predicted as its module is, and its status is unknown until apply', async () => {
    const o = outDir('check');
    const pb = join(o, 'check.yml');
    writeFileSync(
      pb,
      [
        '- hosts: all',
        '  gather_facts: false',
        '  tasks:',
        `    - shell: touch ${o}/ran`,
        '      async: 10',
        '      poll: 0',
        '      register: j',
        '    - async_status: jid={{ j.ansible_job_id }}',
        '      register: s',
        '      until: s.finished',
        '      retries: 3',
        '      delay: 0',
        '',
      ].join('\n'),
    );
    const r = await runCli(['apply', pb, '-i', inv, '--check', '--output', 'json', '--state-dir', join(o, 'state')]);
    expect(r.code, r.stderr).toBe(0);
    const results = r.events().filter((e) => e['type'] === 'host-result');
    // a plan that failed these would predict no change, and apply would then run without asking
    expect(results.map((e) => [e['result']['status'], e['result']['prediction']])).toEqual([
      ['skipped', 'unknown'],
      ['skipped', 'unknown'],
    ]);
    expect(existsSync(join(o, 'ran'))).toBe(false);
  });
});

/** what both tools must register alike: the keys, and the values that are not ids, paths, times or retry counts */
function shape(rep: Json, out: string): Json {
  const drop = new Set(['ansible_job_id', 'results_file', 'erased', 'start', 'end', 'delta', 'child_pid', 'attempts']);
  const norm = (v: any): any =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .filter((k) => k !== 'invocation') // Ansible's module arguments
            .sort()
            .map((k) => [k, drop.has(k) ? typeof v[k] : norm(v[k])]),
        )
      : typeof v === 'string'
        ? v.split(out).join('OUT')
        : v;
  return norm(rep);
}

describe('side by side with ansible-playbook 2.14', () => {
  it('registers the same values at every step', async () => {
    const local = join(outDir('compat'), 'hosts.ini');
    writeFileSync(
      local,
      `local1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3 runbook_lock_file=${join(h.dir, 'l.lock')}\n`,
    );
    const [ao, ro] = [outDir('compat-ansible'), outDir('compat-runbook')];
    const a = shape(await ansible(JOBS, local, ao), ao);
    const r = shape(await runbook(JOBS, local, ro), ro);
    expect(Object.keys(a).length).toBe(11);
    for (const k of Object.keys(a)) expect({ k, ...r[k] }).toEqual({ k, ...a[k] });
  }, 300_000);
});
