// Where runs are recorded and how `apply` opens its journal: `.runbook/runs/` beside the
// inventory (or --state-dir), one directory per run.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Journal, newRunId } from '../journal/writer.js';
import { gitInfo, runHeader } from '../journal/header.js';
import type { Playbook } from '../playbook/model.js';
import type { Inventory } from '../inventory/model.js';
import { UsageError, type Options } from './args.js';

/** The runs directory: --state-dir, else `.runbook/runs` beside the inventory (its dir). */
export function runsDir(opts: Options, cwd: string): string {
  if (opts['state-dir']) return join(resolve(cwd, opts['state-dir']), 'runs');
  const inv = opts.inventory?.[0];
  if (inv && !inv.includes(',') && existsSync(resolve(cwd, inv))) {
    const p = resolve(cwd, inv);
    return join(statSync(p).isDirectory() ? p : dirname(p), '.runbook', 'runs');
  }
  return join(cwd, '.runbook', 'runs');
}

export function openJournal(playbook: Playbook, inventory: Inventory, opts: Options, cwd: string, extraVars: Record<string, unknown>, check: boolean): Journal {
  if (opts['require-clean'] && !check) {
    const git = gitInfo(playbook.file);
    if (git?.dirty) throw new UsageError(`--require-clean: the repository of ${playbook.file} has uncommitted changes (commit them, or drop --require-clean)`);
    if (!git) throw new UsageError(`--require-clean: ${playbook.file} is not in a git repository`);
  }
  const id = newRunId();
  return Journal.create(runsDir(opts, cwd), runHeader({
    id,
    argv: process.argv.slice(2),
    mode: check ? 'check' : 'apply',
    playbook: playbook.file,
    playbookFiles: playbook.files,
    inventoryPath: opts.inventory?.join(',') ?? '',
    inventoryFiles: inventory.sources,
    extraVars,
  }));
}
