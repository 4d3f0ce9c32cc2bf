// ansible-playbook's --syntax-check and --list-hosts/--list-tasks/--list-tags on plan and apply:
// answered from the loaded playbook and inventory, before anything connects.
import type { Inventory } from '../inventory/model.js';
import type { Playbook } from '../playbook/model.js';
import { listPlaybook } from '../plan/listing.js';
import { PlayHeadError } from '../plan/targets.js';
import type { Options } from './args.js';
import { EXIT } from './exit.js';

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
