// An inventory as Ansible models it: hosts, groups that hold hosts and child groups, and the
// variables each carries. Built by the loaders, read by patterns/variables, grown at run time
// by add_host and group_by.
import type { Diagnostic } from '../core/diagnostic.js';

export interface InventoryHost {
  readonly name: string;
  /** host-level vars only: inline in the inventory, then host_vars/ files over them */
  readonly vars: Record<string, unknown>;
  /**
   * the inventory source the host was first met in (Ansible's `inventory_file`): an absolute
   * path, or the `-i 'a,b,'` text itself; none for add_host's hosts and the implicit localhost
   */
  source?: string;
}

export interface InventoryGroup {
  readonly name: string;
  /** hosts placed directly in this group (not through children), in the order added */
  readonly hosts: string[];
  readonly children: string[];
  /** vars set in the inventory source itself (`vars:` in YAML, `[group:vars]` in INI) */
  readonly vars: Record<string, unknown>;
  /**
   * vars from group_vars/ files beside the inventory. Kept apart from `vars` because Ansible
   * ranks every group_vars/ file above every inventory-source group var (see variables.ts).
   */
  readonly fileVars: Record<string, unknown>;
}

export interface Inventory {
  /** absolute paths of the files read, for hashing a run's inputs */
  readonly sources: string[];
  /** in order of first appearance: the "inventory order" of plays and tie-breaks */
  hosts: Map<string, InventoryHost>;
  /** 'all' and 'ungrouped' always exist */
  groups: Map<string, InventoryGroup>;
  /** things Ansible also only warns about (duplicate YAML keys, skipped files) */
  readonly warnings?: Diagnostic[];
}

export const ALL = 'all';
export const UNGROUPED = 'ungrouped';

export function newGroup(name: string): InventoryGroup {
  return { name, hosts: [], children: [], vars: {}, fileVars: {} };
}

/** An inventory with only the implicit groups: what a run without `-i` sees. */
export function emptyInventory(): Inventory {
  const all = newGroup(ALL);
  all.children.push(UNGROUPED);
  return {
    sources: [],
    hosts: new Map(),
    groups: new Map([
      [ALL, all],
      [UNGROUPED, newGroup(UNGROUPED)],
    ]),
    warnings: [],
  };
}
