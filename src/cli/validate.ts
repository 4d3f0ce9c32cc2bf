// `runbook validate FILE...`: YAML, structure, modules, arguments, templates, include targets;
// no host is touched. Exit 0 when every file is valid, 1 otherwise.
import { renderDiagnostic } from '../core/diagnostic.js';
import { loadPlaybook } from '../playbook/load.js';
import { moduleCatalog } from '../modules/catalog.js';
import type { Options } from './args.js';
import { EXIT } from './exit.js';
import { UsageError } from './args.js';
import { countTasks } from '../playbook/count.js';

export async function validateCommand(files: string[], opts: Options): Promise<number> {
  if (files.length === 0) throw new UsageError('validate needs at least one playbook file (runbook validate FILE...)');
  const catalog = moduleCatalog();
  let bad = 0;
  for (const f of files) {
    const r = loadPlaybook(f, catalog, process.cwd(), { rolesPath: opts['roles-path'] ?? [] });
    for (const d of r.diagnostics) process.stderr.write(renderDiagnostic(d) + '\n');
    if (r.playbook) {
      process.stdout.write(`${f}: ok (${r.playbook.plays.length} play${r.playbook.plays.length === 1 ? '' : 's'}, ${countTasks(r.playbook)} tasks)\n`);
    } else {
      bad++;
    }
  }
  return bad > 0 ? EXIT.invalid : EXIT.ok;
}
