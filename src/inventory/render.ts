// What `runbook inventory --list | --graph | --host` prints, shaped exactly as
// `ansible-inventory` prints it so the two can be diffed while migrating. Pure: the CLI
// serialises (JSON with 4-space indents for --list and --host, as ansible-inventory does).
import { sortKeysDeep } from '../core/sorted-keys.js';
import { ALL, type Inventory } from './model.js';
import { compare, hostVars, LOCALHOST_NAMES } from './variables.js';

/**
 * `ansible-inventory --list`: each group with its sorted direct `hosts` and `children`
 * (empty keys and empty groups left out, 'all' never lists hosts), and `_meta.hostvars` with
 * every host's merged variables. With `export`, groups carry their own `vars` and hostvars
 * only the host's own variables, as `--export` does.
 */
export function inventoryList(inv: Inventory, opts: { export?: boolean } = {}): Record<string, unknown> {
  const groups: Record<string, Record<string, unknown>> = {};
  const visit = (name: string): void => {
    const g = inv.groups.get(name);
    if (!g) return;
    const entry: Record<string, unknown> = {};
    const children = [...g.children].sort(compare);
    for (const c of children) visit(c);
    if (children.length > 0) entry['children'] = children;
    if (name !== ALL && g.hosts.length > 0) entry['hosts'] = [...g.hosts].sort(compare);
    const vars = { ...g.vars, ...g.fileVars };
    if (opts.export && Object.keys(vars).length > 0) entry['vars'] = vars;
    if (Object.keys(entry).length > 0) groups[name] = entry;
  };
  visit(ALL);
  const hostvars: Record<string, unknown> = {};
  for (const h of inv.hosts.values()) {
    const vars = opts.export ? h.vars : hostVars(inv, h.name);
    if (Object.keys(vars).length > 0) hostvars[h.name] = vars;
  }
  return sortKeysDeep({ _meta: { hostvars }, ...groups }) as Record<string, unknown>;
}

/**
 * `ansible-inventory --graph [GROUP] [--vars]`: `@group:` lines, children then hosts, each
 * level indented by `  |`, both sorted by name. Undefined when the group does not exist.
 */
export function inventoryGraph(inv: Inventory, group = ALL, opts: { vars?: boolean } = {}): string | undefined {
  if (!inv.groups.has(group)) return undefined;
  const lines: string[] = [];
  const line = (text: string, depth: number) => lines.push(depth > 0 ? '  |'.repeat(depth) + '--' + text : text);
  const showVars = (vars: Record<string, unknown>, depth: number) => {
    if (!opts.vars) return;
    for (const k of Object.keys(vars).sort(compare)) line(`{${k} = ${pythonish(vars[k])}}`, depth);
  };
  const walk = (name: string, depth: number, path: readonly string[]): void => {
    const g = inv.groups.get(name);
    if (!g || path.includes(name)) return;
    line(`@${name}:`, depth);
    for (const c of [...g.children].sort(compare)) walk(c, depth + 1, [...path, name]);
    if (name !== ALL) {
      for (const h of [...g.hosts].sort(compare)) {
        line(h, depth + 1);
        showVars(inv.hosts.get(h)?.vars ?? {}, depth + 2);
      }
    }
    showVars({ ...g.vars, ...g.fileVars }, depth + 1);
  };
  walk(group, 0, []);
  return lines.join('\n');
}

/** `ansible-inventory --host NAME`: the host's merged inventory variables, keys sorted. */
export function inventoryHost(inv: Inventory, host: string): Record<string, unknown> | undefined {
  if (!inv.hosts.has(host) && !LOCALHOST_NAMES.includes(host)) return undefined;
  return sortKeysDeep(hostVars(inv, host)) as Record<string, unknown>;
}

/** Values as Python's str() shows them in `--graph --vars` (close enough for reading). */
function pythonish(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return v;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
