// Ansible host patterns (`hosts:` of a play, `--limit`): `all`, `*`, a group, a host,
// `a:b` or `a,b` (union), `a:&b` (intersection), `a:!b` (exclusion), globs `etcd*`, regexes
// `~etcd[0-9]+`, subscripts `etcd[0]` / `etcd[0:1]`. As Ansible's InventoryManager: unions are
// applied first, then intersections, then exclusions, whatever the written order; a pattern of
// only `&`/`!` parts starts from `all`. A name that matches nothing adds nothing (the caller
// warns). Results are in pattern order, as Ansible's: `b:a` runs b's hosts first, each
// group's in the order Ansible lists them (hostsOfGroup).
import type { Inventory } from './model.js';
import { hostsOfGroup, LOCALHOST_NAMES } from './variables.js';
import { globToRegExp } from '../core/glob.js';

export function selectHosts(inv: Inventory, pattern: string): string[] {
  const parts = splitPattern(pattern);
  if (parts.length === 0) return [];
  return evaluate(inv, parts);
}

/** `--limit`: keeps the hosts that the limit pattern also selects, in their given order. */
export function applyLimit(inv: Inventory, hosts: readonly string[], limit: string): string[] {
  const parts = splitPattern(limit);
  if (parts.length === 0) return [...hosts];
  const allowed = new Set(evaluate(inv, parts));
  return hosts.filter((h) => allowed.has(h));
}

/** `a:b,c:&d` → ['a', 'b', 'c', '&d']; keeps IPv6 addresses and `[x:y]` brackets whole. */
export function splitPattern(pattern: string): string[] {
  const out: string[] = [];
  for (const piece of pattern.split(',')) {
    const p = piece.trim();
    if (p === '') continue;
    if (isIpv6(p)) {
      out.push(p.replace(/^\[|\]$/g, '')); // an IPv6 address, not a list
      continue;
    }
    for (const m of p.matchAll(/(?:[^\s:[\]]|\[[^\]]*\])+/g)) out.push(m[0]);
  }
  return out;
}

function isIpv6(p: string): boolean {
  const bare = p.replace(/^\[(.*)\]$/, '$1');
  if (!/^(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}$/.test(bare)) return false;
  return bare.includes('::') || bare.split(':').length === 8;
}

function evaluate(inv: Inventory, parts: readonly string[]): string[] {
  const regular = parts.filter((p) => p[0] !== '&' && p[0] !== '!');
  const ordered = [...(regular.length > 0 ? regular : ['all']), ...parts.filter((p) => p[0] === '&'), ...parts.filter((p) => p[0] === '!')];
  let hosts: string[] = [];
  for (const p of ordered) {
    if (inv.hosts.has(p)) {
      if (!hosts.includes(p)) hosts.push(p);
      continue;
    }
    const matched = matchOne(inv, p[0] === '&' || p[0] === '!' ? p.slice(1) : p);
    if (p[0] === '!') {
      const drop = new Set(matched);
      hosts = hosts.filter((h) => !drop.has(h));
    } else if (p[0] === '&') {
      const keep = new Set(matched);
      hosts = hosts.filter((h) => keep.has(h));
    } else {
      const have = new Set(hosts);
      for (const h of matched) if (!have.has(h)) hosts.push(h);
    }
  }
  return hosts;
}

function matchOne(inv: Inventory, pattern: string): string[] {
  const { expr, subscript } = splitSubscript(pattern);
  const hosts = enumerate(inv, expr);
  if (!subscript) return hosts;
  const [start, end] = subscript;
  if (end === undefined) {
    const h = hosts[start < 0 ? hosts.length + start : start];
    return h === undefined ? [] : [h];
  }
  return hosts.slice(start, (end === -1 ? hosts.length - 1 : end) + 1);
}

/** `web[1]`, `web[-1]`, `web[0:2]`, `web[1:]` (inclusive), never for `~regex`. */
function splitSubscript(pattern: string): { expr: string; subscript?: [number, number | undefined] } {
  if (pattern.startsWith('~')) return { expr: pattern };
  const m = /^(.+)\[(?:(-?\d+)|(\d+)[:-](\d*))\]$/.exec(pattern);
  if (!m) return { expr: pattern };
  if (m[2] !== undefined) return { expr: m[1]!, subscript: [Number(m[2]), undefined] };
  return { expr: m[1]!, subscript: [Number(m[3]), m[4] === '' ? -1 : Number(m[4])] };
}

function enumerate(inv: Inventory, pattern: string): string[] {
  const matcher = toMatcher(pattern);
  if (!matcher) return [];
  const results: string[] = [];
  const groups = [...inv.groups.keys()].filter((g) => matcher(g));
  for (const g of groups) results.push(...hostsOfGroup(inv, g));
  if (groups.length === 0 || pattern.startsWith('~') || /[.?*[]/.test(pattern)) {
    for (const h of inv.hosts.keys()) if (matcher(h)) results.push(h);
  }
  // Ansible's implicit localhost: targetable by name when the inventory does not define it
  if (results.length === 0 && LOCALHOST_NAMES.includes(pattern)) results.push(pattern);
  return [...new Set(results)];
}

/** A glob (fnmatch, case-sensitive, whole name) or, after `~`, a regex matched at the start. */
function toMatcher(pattern: string): ((name: string) => boolean) | undefined {
  try {
    const re = pattern.startsWith('~') ? new RegExp(`^(?:${pattern.slice(1)})`) : globToRegExp(pattern);
    return (name) => re.test(name);
  } catch {
    return undefined; // an invalid regex matches nothing; the caller warns about the empty result
  }
}
