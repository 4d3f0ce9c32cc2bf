// Shared by the disaster-recovery e2e tests: a lab per test (its own loopback net), the
// playbook run through the built CLI, and a view of the cluster's membership.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labUp, type Lab } from '../../src/lab/etcd-lab.js';
import { CLI, runCli, type CliResult } from './cli.js';

export const PLAYBOOK = fileURLToPath(new URL('../../playbooks/disaster-recovery.yml', import.meta.url));

export async function lab(net: number, members = 3, o: { v2?: boolean; tls?: boolean; keys?: number; quotaBackendBytes?: number } = {}): Promise<Lab> {
  const dir = mkdtempSync(join(tmpdir(), `rb-dr-${net}-`));
  const l = await labUp({ dir: join(dir, 'lab'), members, net, inventoryDir: join(dir, 'inventory'), ...(o.v2 ? { v2: true } : {}), ...(o.tls ? { tls: true } : {}), ...(o.quotaBackendBytes ? { quotaBackendBytes: o.quotaBackendBytes } : {}) });
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
  return r.events().filter((e) => e['type'] === 'host-result' && e['result']?.status === 'failed').map((e) => `${e['host']} ${e['task']}: ${e['result'].msg}`).join('\n') + r.stderr;
}

/** Run a playbook through the CLI and SIGKILL it `delayMs` after the task named `at` starts. */
export function killedAt(l: Lab, playbook: string, at: string, delayMs: number, ...extra: string[]): Promise<{ killed: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'apply', playbook, '-i', l.inventoryDir, '--yes', '--output', 'json', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
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
