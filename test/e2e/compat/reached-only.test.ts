// What ansible-playbook 2.14 finds wrong only when a host reaches it, side by side (local
// connection, four hosts, each reaching one broken branch): an include_tasks of a file that does
// not exist, and module argument errors (get_url without dest, a wrong choice, copy without dest
// inside an include) under a `when:`. Both engines run every task on the hosts that do not reach
// them and fail only the one that does, at the same task. Needs ansible-core.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - get_url: { url: "http://127.0.0.1:1/x" }
      when: inventory_hostname == 'a'
    - file: { path: "{{ playbook_dir }}/x", state: sideways }
      when: inventory_hostname == 'b'
    - include_tasks: inc.yml
      when: inventory_hostname == 'c'
    - include_tasks: missing.yml
      when: inventory_hostname == 'd'
    - debug: msg=after
`;

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rb-compat-reached-'));
  const files: Record<string, string> = {
    'site.yml': PLAYBOOK,
    'inc.yml': '- debug: msg=inc-before\n- copy: { content: x }\n- debug: msg=inc-after\n',
    'hosts.ini': ['a', 'b', 'c', 'd', 'e']
      .map((h) => `${h} ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n`)
      .join(''),
  };
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

type Seen = Record<string, string[]>;

async function ansible(dir: string): Promise<{ seen: Seen; msgs: Record<string, string>; code: number }> {
  const out = await promisify(execFile)('ansible-playbook', ['-i', 'hosts.ini', 'site.yml'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0' },
  }).then(
    (x) => ({ stdout: x.stdout, code: 0 }),
    (e: { stdout: string; code: number }) => ({ stdout: e.stdout, code: e.code }),
  );
  const doc = JSON.parse(out.stdout.slice(out.stdout.indexOf('{'))) as {
    plays: { tasks: { task: { name: string }; hosts: Record<string, Record<string, unknown>> }[] }[];
  };
  const seen: Seen = {};
  const msgs: Record<string, string> = {};
  for (const t of doc.plays.flatMap((p) => p.tasks))
    for (const [host, r] of Object.entries(t.hosts)) {
      const status = r['failed'] ? 'failed' : r['skipped'] ? 'skipped' : r['changed'] ? 'changed' : 'ok';
      // an include that brought its file is not a result of its own in runbook's json
      if (t.task.name === 'include_tasks' && status === 'ok') continue;
      (seen[host] ??= []).push(`${t.task.name}: ${status}`);
      if (status === 'failed') msgs[host] = String(r['msg'] ?? r['reason']);
    }
  return { seen, msgs, code: out.code };
}

async function runbook(dir: string): Promise<{ seen: Seen; msgs: Record<string, string>; code: number; validate: string }> {
  const v = await runCli(['validate', 'site.yml', '-i', 'hosts.ini'], { cwd: dir });
  expect(v.code).toBe(0);
  const r = await runCli(['apply', 'site.yml', '-i', 'hosts.ini', '--yes', '-o', 'json', '-e', `runbook_lock_file=${dir}/l`], { cwd: dir });
  const seen: Seen = {};
  const msgs: Record<string, string> = {};
  for (const e of r.events()) {
    if (e['type'] !== 'host-result') continue;
    const res = e['result'] as { status: string; msg?: string };
    (seen[e['host'] as string] ??= []).push(`${String(e['task'])}: ${res.status}`);
    if (res.status === 'failed') msgs[e['host'] as string] = String(res.msg);
  }
  return { seen, msgs, code: r.code, validate: v.stderr + v.stdout };
}

describe('refused only when a host reaches it: the same as ansible-playbook 2.14', () => {
  it('each host fails at the broken task it reaches, the others run on', async () => {
    const dir = project();
    const a = await ansible(dir);
    const r = await runbook(dir);
    expect(r.seen).toEqual(a.seen);
    expect(a.seen['e']).toEqual(['get_url: skipped', 'file: skipped', 'include_tasks: skipped', 'include_tasks: skipped', 'debug: ok']);
    expect(a.seen['c']).toEqual(['get_url: skipped', 'file: skipped', 'debug: ok', 'copy: failed']);
    expect(r.code !== 0).toBe(a.code !== 0);
    // the file is named as Ansible names it; the arguments each message is about
    expect(a.msgs['d']).toBe(`Could not find or access '${dir}/missing.yml' on the Ansible Controller.`);
    expect(r.msgs['d']).toBe(`include_tasks 'missing.yml': ${a.msgs['d']}`);
    expect(r.msgs['a']).toMatch(/dest/);
    expect(r.msgs['b']).toMatch(/state.*sideways/);
    expect(r.msgs['c']).toMatch(/dest/);
    expect(r.validate).toMatch(/site\.yml:10:22: warning: included file 'missing\.yml' does not exist/);
    expect(r.validate).toMatch(/site\.yml:4:16: warning: module 'get_url': missing required key 'dest'; this task runs only when/);
  });
});
