// Inventory variables of a host, and the `group_names` / `groups` magic variables.
//
// Precedence, lowest first: Ansible's documented order for the parts an inventory supplies
// (ansible-core VariableManager.get_vars with the default VARIABLE_PRECEDENCE):
//   1. 'all' group vars from the inventory source ([all:vars], all: vars:)
//   2. every other group's vars from the inventory source, groups sorted as below
//   3. group_vars/all (files beside the inventory)
//   4. group_vars/<group> files, groups sorted as below
//   5. host vars from the inventory source (inline `host k=v`, hosts: {h: {...}})
//   6. host_vars/<host> files
// Groups are sorted by depth (a child of 'all' is depth 1, its child depth 2; a group reached by
// several paths takes the deepest), then ansible_group_priority (default 1, higher wins, set
// only in the inventory source, never by group_vars/ files), then name. Later wins, so a child
// group overrides its parent and a host overrides every group. Note that step 3 ranks every
// group_vars/ file above every inventory-source group var, whatever the depth. Merging is
// shallow (Ansible's default hash_behaviour=replace). Play-adjacent group_vars/ are not here.
import { ALL, type Inventory } from './model.js';
import { groupsWithAncestors, parentsIndex } from './graph.js';
import { isPyFloat } from '../core/python-float.js';

/** Hostnames Ansible treats as the implicit localhost when the inventory lacks them. */
export const LOCALHOST_NAMES: readonly string[] = ['localhost', '127.0.0.1', '::1'];

/** The variables Ansible gives the implicit localhost (it connects locally). */
export const IMPLICIT_LOCALHOST_VARS: Readonly<Record<string, unknown>> = { ansible_connection: 'local' };

export function hostVars(inv: Inventory, host: string): Record<string, unknown> {
  const all = inv.groups.get(ALL);
  const h = inv.hosts.get(host);
  if (!h) {
    // the implicit localhost still gets the 'all' group's variables (Ansible's docs say so)
    if (!LOCALHOST_NAMES.includes(host)) return {};
    return { ...all?.vars, ...all?.fileVars, ...IMPLICIT_LOCALHOST_VARS };
  }
  const ordered = sortGroups(
    inv,
    [...groupsWithAncestors(inv, host)].filter((g) => g !== ALL),
  );
  const out: Record<string, unknown> = { ...all?.vars };
  for (const g of ordered) Object.assign(out, inv.groups.get(g)?.vars);
  Object.assign(out, all?.fileVars);
  for (const g of ordered) Object.assign(out, inv.groups.get(g)?.fileVars);
  Object.assign(out, h.vars);
  return out;
}

/** Sorted (depth, ansible_group_priority, name), as Ansible's sort_groups. */
export function sortGroups(inv: Inventory, names: readonly string[]): string[] {
  const depth = depths(inv);
  return [...names].sort((a, b) => (depth.get(a) ?? 0) - (depth.get(b) ?? 0) || priority(inv, a) - priority(inv, b) || compare(a, b));
}

function priority(inv: Inventory, group: string): number {
  const raw = inv.groups.get(group)?.vars['ansible_group_priority'];
  const n = typeof raw === 'number' || isPyFloat(raw) ? Number(raw) : typeof raw === 'string' ? Number(raw) : NaN;
  return Number.isFinite(n) ? Math.trunc(n) : 1;
}

/** Each group's depth below 'all': the longest path, as Ansible's Group.depth. */
export function depths(inv: Inventory): Map<string, number> {
  const parents = parentsIndex(inv);
  const memo = new Map<string, number>();
  const depthOf = (g: string, seen: Set<string>): number => {
    const hit = memo.get(g);
    if (hit !== undefined) return hit;
    if (seen.has(g)) return 0; // loops are refused when linking; stay finite regardless
    seen.add(g);
    let d = 0;
    for (const p of parents.get(g) ?? []) d = Math.max(d, depthOf(p, seen) + 1);
    seen.delete(g);
    memo.set(g, d);
    return d;
  };
  for (const g of inv.groups.keys()) depthOf(g, new Set());
  return memo;
}

/** `group_names`: the host's groups and their ancestors, sorted, without 'all' (as Ansible). */
export function groupsOf(inv: Inventory, host: string): string[] {
  if (!inv.hosts.has(host)) return [];
  return [...groupsWithAncestors(inv, host)].filter((g) => g !== ALL).sort(compare);
}

/** `groups`: every group (with 'all' and 'ungrouped') → its hosts, children's included. */
export function groupsMap(inv: Inventory): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const g of inv.groups.keys()) out[g] = hostsOfGroup(inv, g);
  return out;
}

/** The hosts of a group and of its descendants, in inventory order. 'all' is every host. */
/**
 * A group's hosts in Ansible's order (Group.get_hosts): its own hosts as added, then those of
 * its descendants breadth first, children in the order declared. `groups[...]` and patterns
 * list hosts this way, so `hosts: all` follows the group tree, not the file's first mention.
 */
export function hostsOfGroup(inv: Inventory, group: string): string[] {
  const g = inv.groups.get(group);
  if (!g) return group === ALL ? [...inv.hosts.keys()] : [];
  const walk = [g];
  const visited = new Set([g.name]);
  for (let i = 0; i < walk.length; i++) {
    for (const c of walk[i]!.children) {
      const cg = inv.groups.get(c);
      if (cg && !visited.has(c)) {
        visited.add(c);
        walk.push(cg);
      }
    }
  }
  const out = new Set<string>();
  for (const w of walk) for (const h of w.hosts) if (inv.hosts.has(h)) out.add(h);
  if (group === ALL) for (const h of inv.hosts.keys()) out.add(h);
  return [...out];
}

/** Code-point order, as Python's sorted() on names. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
