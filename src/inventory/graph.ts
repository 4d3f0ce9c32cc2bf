// The host/group graph and its invariants, as Ansible's InventoryData keeps them: every group
// descends from 'all', a host in no group but 'all' sits in 'ungrouped', and no group is its
// own ancestor. Loaders and run-time add_host/group_by change the inventory only through here.
import { ALL, UNGROUPED, newGroup, type Inventory, type InventoryGroup, type InventoryHost } from './model.js';

export function ensureGroup(inv: Inventory, name: string): InventoryGroup {
  let g = inv.groups.get(name);
  if (!g) {
    g = newGroup(name);
    inv.groups.set(name, g);
  }
  return g;
}

export function ensureHost(inv: Inventory, name: string): InventoryHost {
  let h = inv.hosts.get(name);
  if (!h) {
    h = { name, vars: {} };
    inv.hosts.set(name, h);
  }
  return h;
}

/** Adds the host (creating host and group as needed) as a direct member of the group. */
export function placeHost(inv: Inventory, host: string, group: string): InventoryHost {
  const h = ensureHost(inv, host);
  const g = ensureGroup(inv, group);
  if (!g.hosts.includes(host)) g.hosts.push(host);
  return h;
}

/**
 * Makes `child` a child of `parent`. Returns false, changing nothing, when that would make a
 * group its own ancestor (Ansible refuses with "recursive dependency loop").
 */
export function linkGroups(inv: Inventory, parent: string, child: string): boolean {
  if (parent === child || descendants(inv, child).has(parent)) return false;
  const p = ensureGroup(inv, parent);
  ensureGroup(inv, child);
  if (!p.children.includes(child)) p.children.push(child);
  return true;
}

/** The group's children, grandchildren... (not the group itself). */
export function descendants(inv: Inventory, group: string): Set<string> {
  const out = new Set<string>();
  const stack = [...(inv.groups.get(group)?.children ?? [])];
  while (stack.length > 0) {
    const g = stack.pop()!;
    if (out.has(g)) continue;
    out.add(g);
    stack.push(...(inv.groups.get(g)?.children ?? []));
  }
  return out;
}

/** group → its parents, for walking upwards. */
export function parentsIndex(inv: Inventory): Map<string, string[]> {
  const parents = new Map<string, string[]>();
  for (const g of inv.groups.values()) {
    for (const c of g.children) {
      const list = parents.get(c) ?? [];
      list.push(g.name);
      parents.set(c, list);
    }
  }
  return parents;
}

/** The groups a host is in: direct ones and all their ancestors, 'all' included. */
export function groupsWithAncestors(inv: Inventory, host: string, parents = parentsIndex(inv)): Set<string> {
  const out = new Set<string>();
  const stack: string[] = [];
  for (const g of inv.groups.values()) if (g.hosts.includes(host)) stack.push(g.name);
  while (stack.length > 0) {
    const g = stack.pop()!;
    if (out.has(g)) continue;
    out.add(g);
    stack.push(...(parents.get(g) ?? []));
  }
  out.add(ALL);
  return out;
}

/** Ansible's reconcile_inventory: restores the invariants after hosts or groups were added. */
export function reconcile(inv: Inventory): void {
  const all = ensureGroup(inv, ALL);
  const ungrouped = ensureGroup(inv, UNGROUPED);
  const parents = parentsIndex(inv);
  for (const g of inv.groups.values()) {
    if (g.name !== ALL && !parents.has(g.name)) all.children.push(g.name);
  }
  const direct = new Map<string, number>();
  for (const g of inv.groups.values()) {
    if (g.name === ALL || g.name === UNGROUPED) continue;
    for (const h of g.hosts) direct.set(h, (direct.get(h) ?? 0) + 1);
  }
  const kept = ungrouped.hosts.filter((h) => !direct.has(h));
  ungrouped.hosts.splice(0, ungrouped.hosts.length, ...kept);
  for (const h of inv.hosts.keys()) {
    if (!direct.has(h) && !ungrouped.hosts.includes(h)) ungrouped.hosts.push(h);
  }
}
