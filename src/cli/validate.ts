// `runbook validate FILE...`: YAML, structure, modules, arguments, templates, include targets;
// no host is touched. Exit 0 when every file is valid, 1 otherwise. Output is bounded: at most
// MAX_ERRORS_PER_FILE diagnostics a file (then "and N more"), a source line shown once, and
// every file of the command checked even when one fails unexpectedly.
import { renderDiagnostic, type Diagnostic } from '../core/diagnostic.js';
import { loadPlaybook } from '../playbook/load.js';
import { staticLookups } from '../executor/lookups.js';
import { moduleCatalog } from '../modules/catalog.js';
import type { Options } from './args.js';
import { EXIT } from './exit.js';
import { UsageError } from './args.js';
import { countTasks } from '../playbook/count.js';

export const MAX_ERRORS_PER_FILE = 50;

/** The lines to print for a file's diagnostics: capped per file, each source line shown once. */
export function boundedDiagnostics(diagnostics: readonly Diagnostic[], max = MAX_ERRORS_PER_FILE): string[] {
  const out: string[] = [];
  const perFile = new Map<string, number>();
  const shown = new Set<string>();
  for (const d of diagnostics) {
    const n = (perFile.get(d.pos.file) ?? 0) + 1;
    perFile.set(d.pos.file, n);
    if (n > max) continue;
    const line = `${d.pos.file}:${d.pos.line}`;
    out.push(renderDiagnostic(d, !shown.has(line)));
    shown.add(line);
  }
  for (const [file, n] of perFile)
    if (n > max) out.push(`${file}: and ${n - max} more error${n - max === 1 ? '' : 's'} (the first ${max} are shown)`);
  return out;
}

export async function validateCommand(files: string[], opts: Options): Promise<number> {
  if (files.length === 0) throw new UsageError('validate needs at least one playbook file (runbook validate FILE...)');
  const catalog = moduleCatalog();
  // without a vault password, a `!vault` value is checked as an opaque string
  await (await import('./vault-secrets.js')).loadVaultSecrets(opts, process.cwd());
  (await import('../core/vault.js')).vaultOpaque(true);
  let bad = 0;
  for (const f of files) {
    let r: ReturnType<typeof loadPlaybook>;
    try {
      r = loadPlaybook(f, catalog, process.cwd(), { rolesPath: opts['roles-path'] ?? [], lookups: staticLookups });
    } catch (e) {
      // a bug, not the user's input: said with the file, and the other files still checked
      process.stderr.write(`${f}:1:1: cannot be checked: ${(e as Error).message.split('\n')[0]}\n`);
      bad++;
      continue;
    }
    for (const line of boundedDiagnostics(r.diagnostics)) process.stderr.write(line + '\n');
    if (r.playbook) {
      process.stdout.write(
        `${f}: ok (${r.playbook.plays.length} play${r.playbook.plays.length === 1 ? '' : 's'}, ${countTasks(r.playbook)} tasks)\n`,
      );
    } else {
      bad++;
    }
  }
  return bad > 0 ? EXIT.invalid : EXIT.ok;
}
