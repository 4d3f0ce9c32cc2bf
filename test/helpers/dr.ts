// Shared by the disaster-recovery e2e tests: a lab per test (its own loopback net), the
// playbook run through the built CLI, and a view of the cluster's membership.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labUp, type Lab } from '../../src/lab/etcd/index.js';
import { CLI, runCli, type CliResult } from './cli.js';

export const PLAYBOOK = fileURLToPath(new URL('../../playbooks/disaster-recovery.yml', import.meta.url));

/**
 * The etcd the DR and day-2 suites run on: RUNBOOK_ETCD_VERSION, set by the vitest project
 * (vitest.config.ts: e2e on the machine's 3.4, e2e-etcd-3.5.30 and e2e-etcd-3.5.16 on
 * releases fetched by scripts/fetch-etcd.sh), default 3.4.
 */
export const ETCD_VERSION = process.env['RUNBOOK_ETCD_VERSION'] || '3.4';
export const ETCD_35 = ETCD_VERSION.startsWith('3.5');

/**
 * The projects run at the same time, so each version has nets of its own: a file's net N
 * (70..99) is N on 3.4, N+100 on 3.5.30, N+130 on 3.5.16.
 */
const NET_OFFSET: Readonly<Record<string, number>> = { '3.4': 0, '3.5.30': 100, '3.5.16': 130 };

export function labNet(net: number): number {
  const offset = NET_OFFSET[ETCD_VERSION];
  if (offset === undefined) throw new Error(`RUNBOOK_ETCD_VERSION=${ETCD_VERSION}: no nets assigned to it in test/helpers/dr.ts`);
  return net + offset;
}

export async function lab(
  net: number,
  members = 3,
  o: { v2?: boolean; tls?: boolean; keys?: number; quotaBackendBytes?: number; etcdVersion?: string; serviceManager?: 'static-pod' } = {},
): Promise<Lab> {
  net = labNet(net);
  const dir = mkdtempSync(join(tmpdir(), `rb-dr-${net}-`));
  const etcdVersion = o.etcdVersion ?? ETCD_VERSION;
  const l = await labUp({
    dir: join(dir, 'lab'),
    members,
    net,
    inventoryDir: join(dir, 'inventory'),
    etcdVersion,
    ...(o.v2 ? { v2: true } : {}),
    ...(o.tls ? { tls: true } : {}),
    ...(o.quotaBackendBytes ? { quotaBackendBytes: o.quotaBackendBytes } : {}),
    ...(o.serviceManager ? { serviceManager: o.serviceManager } : {}),
  });
  // the run is on the version it says it is on (a lab.json member records what etcd --version said)
  const want = etcdVersion.split(',');
  l.members.forEach((m, i) => {
    const v = want.length === 1 ? want[0]! : want[i]!;
    if (!(m.etcd?.version === v || m.etcd?.version.startsWith(`${v}.`)))
      throw new Error(`${m.name} runs etcd ${m.etcd?.version ?? '?'}, not ${v}`);
  });
  await l.load(o.keys ?? 3000);
  return l;
}

export function recover(l: Lab, ...extra: string[]): Promise<CliResult> {
  return runCli(['apply', PLAYBOOK, '-i', l.inventoryDir, '--yes', '--output', 'json', ...extra], { timeoutMs: 170_000 });
}

/** member name → id, as the cluster reports it */
export async function membership(l: Lab): Promise<Record<string, string>> {
  const r = await l.etcdctl(['member', 'list', '-w', 'json']);
  const ids = JSON.parse(r.stdout.replace(/("ID":)(\d+)/g, '$1"$2"')) as { members: { ID: string; name: string }[] };
  return Object.fromEntries(ids.members.map((m) => [m.name, m.ID]));
}

/** the failed results of a run, for assertion messages */
export function failures(r: CliResult): string {
  return (
    r
      .events()
      .filter((e) => e['type'] === 'host-result' && e['result']?.status === 'failed')
      .map((e) => `${e['host']} ${e['task']}: ${e['result'].msg}`)
      .join('\n') + r.stderr
  );
}

/** Run a playbook through the CLI and SIGKILL it `delayMs` after the task named `at` starts. */
export function killedAt(l: Lab, playbook: string, at: string, delayMs: number, ...extra: string[]): Promise<{ killed: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'apply', playbook, '-i', l.inventoryDir, '--yes', '--output', 'json', ...extra], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buf = '';
    let killed = false;
    child.stdout.on('data', (b: Buffer) => {
      buf += b.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!killed && line.includes('"type":"task-start"') && JSON.parse(line).task === at) {
          killed = true;
          setTimeout(() => child.kill('SIGKILL'), delayMs);
        }
      }
    });
    child.on('close', () => resolve({ killed }));
  });
}
