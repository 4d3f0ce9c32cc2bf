// The inventory layer: load Ansible inventories (YAML, INI, directories, host lists), select
// hosts by pattern, compute inventory variables, change the inventory at run time, render it.
export type { Inventory, InventoryGroup, InventoryHost } from './model.js';
export { ALL, UNGROUPED, emptyInventory } from './model.js';
export { loadInventory } from './load.js';
export { selectHosts, applyLimit, splitPattern } from './patterns.js';
export { hostVars, groupsOf, groupsMap, hostsOfGroup, LOCALHOST_NAMES } from './variables.js';
export {
  becomeSettings,
  connectionSettings,
  CONNECTION_KINDS,
  CONNECTION_VARS,
  getHostOrImplicit,
  isImplicitHost,
  ConnectionVarsError,
  type HostConnectionVars,
} from './connection-vars.js';
export { addHost, addToGroup } from './runtime.js';
export { inventoryList, inventoryGraph, inventoryHost } from './render.js';
