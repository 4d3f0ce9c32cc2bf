// Runs a playbook given as text against an inventory given as text, in-process, and collects
// the executor's events. Hosts are real: `ansible_connection: local` ones run on this machine,
// ssh ones go to real sshd (see src/lab). Nothing here fakes I/O.
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { EventBus, type RunEvent } from '../../src/executor/events.js';
import { runPlaybook, type RunResult } from '../../src/executor/run.js';
import type { RunOptions } from '../../src/executor/options.js';
import { loadInventory } from '../../src/inventory/index.js';
import { loadModule, moduleCatalog } from '../../src/modules/catalog.js';
import { loadPlaybook } from '../../src/playbook/load.js';
import { renderDiagnostic } from '../../src/core/diagnostic.js';
import { openHostConnection } from '../../src/cli/connect.js';
import { exitCodeOf } from '../../src/cli/exit.js';

export interface Run extends RunResult {
  /** what the cli would exit with (cli/exit.ts) */
  readonly exitCode: number;
  readonly events: RunEvent[];
  readonly dir: string;
  /** host → task name → status (last result of that task on that host) */
  readonly statuses: Record<string, Record<string, string>>;
  /** results of one task, by host */
  results(task: string): Record<string, Extract<RunEvent, { type: 'host-result' }>['result']>;
  /** debug messages by host, in order */
  debug(host: string): unknown[];
}

export async function runPlaybookText(
  playbook: string,
  inventory: string,
  opts: Partial<RunOptions> & { files?: Record<string, string>; dir?: string } = {},
): Promise<Run> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'runbook-run-'));
  writeFileSync(join(dir, 'pb.yml'), playbook);
  writeFileSync(join(dir, 'hosts.yml'), inventory);
  for (const [name, text] of Object.entries(opts.files ?? {})) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const loaded = loadPlaybook(join(dir, 'pb.yml'), moduleCatalog(), dir);
  if (!loaded.playbook) throw new Error(`invalid playbook:\n${loaded.diagnostics.map((d) => renderDiagnostic(d)).join('\n')}`);
  const inv = await loadInventory(join(dir, 'hosts.yml'), { cwd: dir });
  const options: RunOptions = {
    check: false,
    diff: false,
    tags: { only: [], skip: [] },
    forks: 20,
    extraVars: {},
    acceptNewHostKeys: false,
    connectTimeoutMs: 5000,
    cwd: dir,
    ...opts,
  };
  const bus = new EventBus();
  const events: RunEvent[] = [];
  bus.on((e) => events.push(e));
  const control = { stopping: false, signal: new AbortController().signal };
  const r = await runPlaybook(loaded.playbook, inv, options, bus, control, {
    catalog: moduleCatalog(),
    loadModule,
    openConnection: (host, vars) =>
      openHostConnection(host, vars, options, (host, message) => bus.emit({ type: 'warning', host, message })),
  });
  const statuses: Record<string, Record<string, string>> = {};
  for (const e of events) {
    if (e.type !== 'host-result') continue;
    (statuses[e.host] ??= {})[e.task] = e.result.status;
  }
  return {
    ...r,
    exitCode: exitCodeOf(r.verdict),
    events,
    dir,
    statuses,
    results(task) {
      const out: Record<string, Extract<RunEvent, { type: 'host-result' }>['result']> = {};
      for (const e of events) if (e.type === 'host-result' && e.task === task) out[e.host] = e.result;
      return out;
    },
    debug(host) {
      const out: unknown[] = [];
      for (const e of events) {
        if (e.type !== 'host-result' || e.host !== host) continue;
        const rs = e.items ?? [e.result];
        for (const x of rs) if (x.data && 'msg' in x.data && x.status === 'ok') out.push(x.data['msg']);
      }
      return out;
    },
  };
}

/** An inventory of N local hosts named h1..hN in group `g`. */
export function localHosts(n: number, vars: Record<string, Record<string, unknown>> = {}): string {
  const lines = ['all:', '  children:', '    g:', '      hosts:'];
  for (let i = 1; i <= n; i++) {
    lines.push(`        h${i}:`, '          ansible_connection: local');
    for (const [k, v] of Object.entries(vars[`h${i}`] ?? {})) lines.push(`          ${k}: ${JSON.stringify(v)}`);
  }
  return lines.join('\n') + '\n';
}
