// `runbook inventory -i INV --list | --graph [GROUP] | --host NAME`, printed as
// ansible-inventory prints it so the two can be compared while migrating.
import { renderDiagnostic, DiagnosticError } from '../core/diagnostic.js';
import { loadInventory, inventoryList, inventoryGraph, inventoryHost } from '../inventory/index.js';
import { UsageError, type Options } from './args.js';
import { EXIT } from './exit.js';

export async function inventoryCommand(positionals: string[], opts: Options): Promise<number> {
  if (!opts.inventory?.length) throw new UsageError('inventory needs -i INVENTORY (a file, a directory or "host1,host2,")');
  const modes = [opts.list, opts.graph, opts.host !== undefined].filter(Boolean).length;
  if (modes !== 1) throw new UsageError('inventory needs exactly one of --list, --graph [GROUP] or --host NAME');
  let inv;
  try {
    inv = await loadInventory(opts.inventory, { cwd: process.cwd() });
  } catch (e) {
    if (e instanceof DiagnosticError) {
      for (const d of e.diagnostics) process.stderr.write(renderDiagnostic(d) + '\n');
      return EXIT.invalid;
    }
    throw e;
  }
  for (const w of inv.warnings ?? []) process.stderr.write(renderDiagnostic(w) + '\n');
  if (opts.list) {
    process.stdout.write(JSON.stringify(inventoryList(inv), null, 4) + '\n');
    return EXIT.ok;
  }
  if (opts.graph) {
    const group = positionals[0] ?? 'all';
    const text = inventoryGraph(inv, group);
    if (text === undefined) {
      process.stderr.write(`runbook: no group '${group}' in the inventory\n`);
      return EXIT.invalid;
    }
    process.stdout.write(text + '\n');
    return EXIT.ok;
  }
  const host = opts.host!;
  const vars = inventoryHost(inv, host);
  if (vars === undefined) {
    process.stderr.write(`runbook: no host '${host}' in the inventory\n`);
    return EXIT.invalid;
  }
  process.stdout.write(JSON.stringify(vars, null, 4) + '\n');
  return EXIT.ok;
}
