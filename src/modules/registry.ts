// Module name → lazy loader. Nothing here imports module code until a task asks for it, so
// start-up (and `runbook validate`) stays cheap.
import type { Module } from './types.js';
import { table } from '../core/table.js';
import { MODULE_LOADERS } from './generated/loaders.js';

/** Module name → lazy loader, generated from schemas/modules/ (`npm run gen`): a module is its schema and its code. */
export const LOADERS = table(MODULE_LOADERS);

const cache = new Map<string, Promise<Module>>();

/** The module implementation by canonical name; throws for a name runbook does not have. */
export function load(name: string): Promise<Module> {
  const hit = cache.get(name);
  if (hit) return hit;
  const loader = Object.prototype.hasOwnProperty.call(LOADERS, name) ? LOADERS[name] : undefined;
  if (!loader) return Promise.reject(new Error(`unknown module '${name}'`));
  const p = loader().then((m) => m.default as unknown as Module);
  cache.set(name, p);
  return p;
}
