// ansible-playbook's --syntax-check and --list-hosts/--list-tasks/--list-tags on plan and apply:
// answered from the loaded playbook and inventory, before anything connects.
import type { Inventory } from '../inventory/model.js';
import type { Playbook } from '../playbook/model.js';
import { listPlaybook } from '../plan/listing.js';
import type { Options } from './args.js';
import { EXIT } from './exit.js';

/** --syntax-check: `runbook validate`, and the line ansible-playbook prints when it passes. */
export async function syntaxCheck(file: string, opts: Options): Promise<number> {
  const code = await (await import('./validate.js')).validateCommand([file], opts);
  if (code === EXIT.ok) process.stdout.write(`\nplaybook: ${file}\n`);
  return code;
}

/** Prints the listings asked for; false when none was. */
export function listed(pb: Playbook, inv: Inventory, opts: Options, file: string): boolean {
  const kinds = (['hosts', 'tasks', 'tags'] as const).filter((k) => opts[`list-${k}`]);
  if (kinds.length === 0) return false;
  process.stdout.write(listPlaybook(pb, inv, new Set(kinds), opts.limit, file));
  return true;
}
