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
  return (await ansibleMessagesByHost(dir, playbook, inventory, extra, opts))[host] ?? [];
}

/** Every host's task messages of one ansible-playbook run (json callback). */
export async function ansibleMessagesByHost(
  dir: string,
  playbook: string,
  inventory: string,
  extra: string[] = [],
  opts: RunOptions = {},
): Promise<Record<string, Messages>> {
  const [file, ...pre] = [...(opts.wrap ?? []), 'ansible-playbook'];
  const out = await promisify(execFile)(file!, [...pre, '-i', inventory, playbook, ...extra], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0', ...opts.env },
  }).then(
    (r) => r.stdout,
    // a failed host exits 2: its messages are in the report all the same
    (e: { code?: number; stdout?: string; stderr?: string }) => {
      if (e.code === 2 && e.stdout?.includes('{')) return e.stdout;
      throw new Error(`ansible-playbook exit ${e.code}: ${e.stderr ?? ''}\n${e.stdout ?? ''}`);
    },
  );
  const doc = JSON.parse(out.slice(out.indexOf('{'))) as { plays: { tasks: { hosts: Record<string, Record<string, unknown>> }[] }[] };
  const msgs: Record<string, Messages> = {};
  for (const t of doc.plays.flatMap((p) => p.tasks))
    for (const [host, r] of Object.entries(t.hosts))
      (msgs[host] ??= []).push(Array.isArray(r['results']) ? (r['results'] as Record<string, unknown>[]).map((x) => x['msg']) : r['msg']);
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
  return (await runbookMessagesByHost(dir, playbook, inventory, extra, opts))[host] ?? [];
}

/** Every host's task messages of one runbook apply (--output json), which must exit 0. */
export async function runbookMessagesByHost(
  dir: string,
  playbook: string,
  inventory: string,
  extra: string[] = [],
  opts: RunOptions = {},
): Promise<Record<string, Messages>> {
  // its own host lock: the default /tmp/runbook.lock is shared by every local run on this machine
  const lock = ['-e', `runbook_lock_file=${dir}/runbook.lock`];
  const r = await runCli(['apply', playbook, '-i', inventory, '--yes', '--output', 'json', ...lock, ...extra], {
    cwd: dir,
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.wrap ? { wrap: opts.wrap } : {}),
  });
  if (r.code !== 0) throw new Error(`runbook exit ${r.code}: ${r.stderr}\n${r.stdout}`);
  const msgs: Record<string, Messages> = {};
  for (const e of r.events()) {
    if (e['type'] !== 'host-result') continue;
    const items = e['items'] as Record<string, any>[] | undefined;
    const view = (v: Record<string, any>): unknown => (v['data'] && 'msg' in v['data'] ? v['data']['msg'] : v['msg']);
    (msgs[e['host'] as string] ??= []).push(items ? items.map(view) : view(e['result']));
  }
  return msgs;
}

/** Both engines' default (plain) output of one run: ansible-playbook's stdout, and runbook's after asserting it exited 0 (`extra` options to both, runbook's own if given). */
export async function plainOutputs(
  dir: string,
  playbook: string,
  inventory: string,
  extra: string[] = [],
  runbookExtra: string[] = extra,
): Promise<{ ansible: string; runbook: string }> {
  const { stdout } = await promisify(execFile)('ansible-playbook', ['-i', inventory, playbook, ...extra], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0', ANSIBLE_FORCE_COLOR: '0' },
  });
  const rb = await runCli(['apply', playbook, '-i', inventory, '--yes', '--output', 'plain', ...runbookExtra], { cwd: dir });
  if (rb.code !== 0) throw new Error(`runbook exit ${rb.code}: ${rb.stderr}`);
  return { ansible: stdout, runbook: rb.stdout };
}
