// Inventory changes made by a running play: add_host (a new or updated host, in groups) and
// group_by (a host joins a group). New groups hang under 'all', as in Ansible.
import { ensureHost, placeHost, reconcile } from './graph.js';
import { parseHostEntry } from './host-pattern.js';
import type { Inventory } from './model.js';

/** add_host: `name` may carry a port (`db1:2222`); vars merge over the host's existing ones. */
export function addHost(inv: Inventory, name: string, groups: readonly string[], vars: Readonly<Record<string, unknown>>): void {
  const entry = parseHostEntry(name, false);
  const hostName = entry.ok && entry.hosts.length === 1 ? entry.hosts[0]! : name;
  const host = ensureHost(inv, hostName);
  if (entry.ok && entry.port !== undefined) host.vars['ansible_port'] = entry.port;
  Object.assign(host.vars, vars);
  for (const g of groups) placeHost(inv, hostName, g);
  reconcile(inv);
}

/** group_by: the host joins `group`, which is created when missing. */
export function addToGroup(inv: Inventory, host: string, group: string): void {
  placeHost(inv, host, group);
  reconcile(inv);
}
