// ansible-playbook's --syntax-check and --list-hosts/--list-tasks/--list-tags on plan and apply:
// answered from the loaded playbook and inventory, before anything connects.
import type { Inventory } from '../inventory/model.js';
import type { Playbook } from '../playbook/model.js';
import { listPlaybook } from '../plan/listing.js';
import { PlayHeadError } from '../plan/targets.js';
import { UsageError, type Options } from './args.js';
import { startAtFound } from '../plan/start-at.js';
import { EXIT } from './exit.js';

/**
 * --start-at-task, checked before anything runs: a name no task has would run nothing at all
 * (ansible-playbook runs every play empty, says "No matching task" at the end and exits 0).
 * --step (confirm each task on the terminal) is not offered.
 */
export function startAtOption(opts: Options, plays: Playbook['plays']): { startAtTask?: string } {
  if (opts.step) throw new UsageError('--step: confirming each task is not supported (review the plan with runbook plan, then apply it)');
  const pattern = opts['start-at-task'];
  if (pattern === undefined) return {};
  if (!startAtFound(plays, pattern))
    throw new UsageError(`--start-at-task: no matching task "${pattern}" found (it can only follow static includes); nothing was run`);
  return { startAtTask: pattern };
}

/** --syntax-check: `runbook validate`, and the line ansible-playbook prints when it passes. */
export async function syntaxCheck(file: string, opts: Options): Promise<number> {
  const code = await (await import('./validate.js')).validateCommand([file], opts);
  if (code === EXIT.ok) process.stdout.write(`\nplaybook: ${file}\n`);
  return code;
}

/** Prints the listings asked for and gives the exit code; undefined when none was asked for. */
export function listed(
  pb: Playbook,
  inv: Inventory,
  opts: Options,
  extraVars: Readonly<Record<string, unknown>>,
  file: string,
): number | undefined {
  const kinds = (['hosts', 'tasks', 'tags'] as const).filter((k) => opts[`list-${k}`]);
  if (kinds.length === 0) return undefined;
  try {
    process.stdout.write(listPlaybook(pb, inv, new Set(kinds), { limit: opts.limit, extraVars }, file));
    return EXIT.ok;
  } catch (e) {
    if (!(e instanceof PlayHeadError)) throw e;
    process.stderr.write(`runbook: ${e.message}\n`);
    return EXIT.invalid;
  }
}
