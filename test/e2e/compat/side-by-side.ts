// Run one playbook with ansible-playbook 2.14 (json callback) and with the built runbook CLI
// (--output json), local connection, and return each task's message per host in order, so a
// test can assert both engines say the same. Loop tasks give the list of their items' msgs.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { runCli } from '../../helpers/cli.js';

export type Messages = unknown[];

/** How both engines are run: their environment on top of the test's, a command they run under (`unshare … --`). */
export interface RunOptions {
  readonly env?: Record<string, string>;
  readonly wrap?: readonly string[];
}

/** (asynchronous: a test's own HTTP server must keep answering while ansible-playbook runs) */
export async function ansibleMessages(
  dir: string,
  playbook: string,
  inventory: string,
  host: string,
  extra: string[] = [],
  opts: RunOptions = {},
): Promise<Messages> {
  const [file, ...pre] = [...(opts.wrap ?? []), 'ansible-playbook'];
  const { stdout: out } = await promisify(execFile)(file!, [...pre, '-i', inventory, playbook, ...extra], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0', ...opts.env },
  });
  const doc = JSON.parse(out.slice(out.indexOf('{'))) as { plays: { tasks: { hosts: Record<string, Record<string, unknown>> }[] }[] };
  const msgs: Messages = [];
  for (const t of doc.plays.flatMap((p) => p.tasks)) {
    const r = t.hosts[host];
    if (!r) continue;
    msgs.push(Array.isArray(r['results']) ? (r['results'] as Record<string, unknown>[]).map((x) => x['msg']) : r['msg']);
  }
  return msgs;
}

export async function runbookMessages(
  dir: string,
  playbook: string,
  inventory: string,
  host: string,
  extra: string[] = [],
  opts: RunOptions = {},
): Promise<Messages> {
  // its own host lock: the default /tmp/runbook.lock is shared by every local run on this machine
  const lock = ['-e', `runbook_lock_file=${dir}/runbook.lock`];
  const r = await runCli(['apply', playbook, '-i', inventory, '--yes', '--output', 'json', ...lock, ...extra], {
    cwd: dir,
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.wrap ? { wrap: opts.wrap } : {}),
  });
  if (r.code !== 0) throw new Error(`runbook exit ${r.code}: ${r.stderr}\n${r.stdout}`);
  const msgs: Messages = [];
  for (const e of r.events()) {
    if (e['type'] !== 'host-result' || e['host'] !== host) continue;
    const items = e['items'] as Record<string, any>[] | undefined;
    const view = (v: Record<string, any>): unknown => (v['data'] && 'msg' in v['data'] ? v['data']['msg'] : v['msg']);
    msgs.push(items ? items.map(view) : view(e['result']));
  }
  return msgs;
}

/** Both engines' default (plain) output of one run: ansible-playbook's stdout, and runbook's after asserting it exited 0. */
export async function plainOutputs(dir: string, playbook: string, inventory: string): Promise<{ ansible: string; runbook: string }> {
  const { stdout } = await promisify(execFile)('ansible-playbook', ['-i', inventory, playbook], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0', ANSIBLE_FORCE_COLOR: '0' },
  });
  const rb = await runCli(['apply', playbook, '-i', inventory, '--yes', '--output', 'plain'], { cwd: dir });
  if (rb.code !== 0) throw new Error(`runbook exit ${rb.code}: ${rb.stderr}`);
  return { ansible: stdout, runbook: rb.stdout };
}
