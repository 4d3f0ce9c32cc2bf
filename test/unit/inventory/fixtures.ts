// Where the inventory fixtures live, and a loader that names files relative to them.
import { fileURLToPath } from 'node:url';
import { loadInventory, type Inventory } from '../../../src/inventory/index.js';
import { DiagnosticError, renderDiagnostic } from '../../../src/core/diagnostic.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/inventory/', import.meta.url));
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

export function load(spec: string | string[]): Promise<Inventory> {
  return loadInventory(spec, { cwd: FIXTURES });
}

/** The rendered diagnostics (`file:line:col: message`) of a load that must fail. */
export async function loadErrors(spec: string | string[]): Promise<string[]> {
  try {
    await load(spec);
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics.map((d) => renderDiagnostic(d, false));
    throw e;
  }
  throw new Error(`expected ${String(spec)} to fail to load`);
}
