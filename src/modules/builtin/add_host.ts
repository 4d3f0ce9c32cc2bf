// ansible.builtin.add_host: add a host (and its groups and variables) to the in-memory
// inventory for the rest of the run. The executor applies data.add_host.
import { changed, failed, ok } from '../../core/result.js';
import type { Module } from '../types.js';
import type { AddHostArgs } from '../generated/args.js';
import { list, str } from '../support/args.js';

const NAME_KEYS = ['name', 'hostname', 'host'];
const GROUP_KEYS = ['groups', 'group', 'groupname'];

/** `name: db1:2222` → host db1 with ansible_port 2222 (Ansible splits a trailing port). */
export function splitHostPort(name: string): { host: string; port?: number } {
  const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(name);
  if (!m) return { host: name };
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

const addHost: Module<AddHostArgs, never> = {
  name: 'add_host',
  controllerOnly: true,
  check(_ctx, args) {
    const nameKey = NAME_KEYS.find((k) => args[k] !== undefined);
    const name = nameKey ? str(args[nameKey]) : undefined;
    if (name === undefined || name === '') return Promise.resolve({ kind: 'failed', result: failed("add_host requires 'name'") });
    const groups: string[] = [];
    for (const k of GROUP_KEYS) for (const g of list(args[k])) if (!groups.includes(g)) groups.push(g);
    const hostVars: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(args)) if (!NAME_KEYS.includes(k) && !GROUP_KEYS.includes(k)) hostVars[k] = v;
    const { host, port } = splitHostPort(name);
    if (port !== undefined && hostVars['ansible_port'] === undefined) hostVars['ansible_port'] = port;
    // "changed" even in check mode, as Ansible: the inventory change is what the task is for
    return Promise.resolve({
      kind: 'unchanged',
      result: changed({ data: { add_host: { host_name: host, groups, host_vars: hostVars } } }),
    });
  },
  apply() {
    return Promise.resolve(ok());
  },
};

export default addHost;
