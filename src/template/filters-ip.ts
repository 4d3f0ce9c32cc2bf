// ansible.utils' ip filters (ipaddr, ipv4, ipv6, ipwrap, ipsubnet) and tests (ipv4, ipv6), by
// their FQCNs and the short names Ansible 2.14 routes to them: the queries real playbooks use
// (address, network, netmask, prefix, broadcast, host, net, subnet/cidr, size, wrap, private,
// public, first_usable, last_usable, an index). Addresses are parsed by ipaddr.js; the
// arithmetic is BigInt so IPv6 works the same as IPv4.
import { createRequire } from 'node:module';
import type * as IpaddrJs from 'ipaddr.js';
import { arg, type FilterSpec, type Kwargs, type TestSpec } from './env.js';
import { filterError } from './errors.js';

// ipaddr.js is loaded on first use (start-up matters; most runs use no ip filter)
let lib: typeof IpaddrJs | undefined;
function ipaddrJs(): typeof IpaddrJs {
  lib ??= createRequire(import.meta.url)('ipaddr.js') as typeof IpaddrJs;
  return lib;
}

interface Ip {
  readonly version: 4 | 6;
  readonly ip: bigint;
  readonly prefix: number;
  readonly bits: number;
  /** written as a network (with /prefix or /netmask) */
  readonly written: string;
}

function toBig(bytes: number[]): bigint {
  return bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

function text(version: 4 | 6, n: bigint): string {
  const bytes: number[] = [];
  for (let i = 0; i < (version === 4 ? 4 : 16); i++) bytes.unshift(Number((n >> BigInt(8 * i)) & 0xffn));
  return ipaddrJs().fromByteArray(bytes).toString();
}

export function parseIp(v: unknown): Ip | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  const [addr, mask, extra] = s.split('/');
  const ipaddr = ipaddrJs();
  if (extra !== undefined || !addr || !ipaddr.isValid(addr)) return undefined;
  if (!ipaddr.IPv4.isValidFourPartDecimal(addr) && ipaddr.IPv4.isValid(addr)) return undefined; // '10.1' is no address
  const parsed = ipaddr.parse(addr);
  const version = parsed.kind() === 'ipv4' ? 4 : 6;
  const bits = version === 4 ? 32 : 128;
  let prefix = bits;
  if (mask !== undefined) {
    if (/^\d+$/.test(mask)) prefix = Number(mask);
    else if (version === 4 && ipaddr.IPv4.isValidFourPartDecimal(mask)) {
      const p = ipaddr.IPv4.parse(mask).prefixLengthFromSubnetMask();
      if (p === null) return undefined;
      prefix = p;
    } else return undefined;
    if (prefix > bits) return undefined;
  }
  return { version, ip: toBig(parsed.toByteArray()), prefix, bits, written: s };
}

const hostBits = (x: Ip): bigint => (1n << BigInt(x.bits - x.prefix)) - 1n;
const network = (x: Ip): bigint => x.ip & ~hostBits(x) & ((1n << BigInt(x.bits)) - 1n);
const broadcast = (x: Ip): bigint | undefined => (x.bits - x.prefix <= 1 ? undefined : network(x) | hostBits(x));
const size = (x: Ip): bigint => 1n << BigInt(x.bits - x.prefix);
const netmask = (x: Ip): bigint => ((1n << BigInt(x.bits)) - 1n) ^ hostBits(x);

function isPrivate(x: Ip): boolean {
  const range = ipaddrJs().parse(text(x.version, x.ip)).range();
  return ['private', 'carrierGradeNat', 'linkLocal', 'loopback', 'uniqueLocal'].includes(range);
}

/** One value through ipaddr(query); false when it does not qualify, as ansible.utils answers. */
function query(value: unknown, q: unknown, version?: 4 | 6): unknown {
  const x = parseIp(value);
  if (!x || (version !== undefined && x.version !== version)) return false;
  const single = x.prefix === x.bits;
  const asNet = `${text(x.version, network(x))}/${x.prefix}`;
  if (typeof q === 'number' || (typeof q === 'string' && /^-?\d+$/.test(q))) {
    const n = BigInt(q);
    const at = n >= 0n ? network(x) + n : network(x) + size(x) + n;
    if (at < network(x) || at >= network(x) + size(x)) return false;
    return `${text(x.version, at)}/${x.prefix}`;
  }
  switch (q === null || q === undefined ? '' : String(q)) {
    case '':
      return value;
    case 'address':
      return !single && x.ip === network(x) && broadcast(x) !== undefined ? false : text(x.version, x.ip);
    case 'network':
      return text(x.version, network(x));
    case 'netmask':
      return text(x.version, netmask(x));
    case 'hostmask':
      return text(x.version, hostBits(x));
    case 'prefix':
      return x.prefix;
    case 'broadcast': {
      const b = size(x) > 2n ? broadcast(x) : undefined;
      return b === undefined ? false : text(x.version, b);
    }
    case 'size':
      return Number(size(x));
    case 'host':
      if (single) return `${text(x.version, x.ip)}/${x.prefix}`;
      return x.ip !== network(x) || broadcast(x) === undefined ? `${text(x.version, x.ip)}/${x.prefix}` : false;
    case 'net':
      return !single && x.ip === network(x) ? asNet : false;
    case 'subnet':
    case 'cidr':
      return asNet;
    case 'type':
      return single ? 'address' : 'network';
    case 'version':
      return x.version;
    case 'ipv4':
    case 'ipv6':
      return x.version === (q === 'ipv4' ? 4 : 6) ? value : false;
    case 'private':
      return isPrivate(x) ? value : false;
    case 'public':
      return isPrivate(x) ? false : value;
    case 'wrap':
      if (x.version === 4) return value;
      return x.written.includes('/') ? `[${text(6, x.ip)}]/${x.prefix}` : `[${text(6, x.ip)}]`;
    case 'first_usable':
      return size(x) > 2n ? text(x.version, network(x) + 1n) : false;
    case 'last_usable':
      return size(x) > 2n ? text(x.version, network(x) + size(x) - 2n) : false;
    default:
      throw filterError(`Unknown filter type: ${String(q)}`);
  }
}

function ipaddrFilter(version?: 4 | 6) {
  return (v: unknown, a: unknown[], kw: Kwargs): unknown => {
    const q = arg(a, kw, 0, 'query', '');
    if (Array.isArray(v)) return v.map((e) => query(e, q, version)).filter((r) => r !== false && r !== null && r !== '');
    return query(v, q, version);
  };
}

function ipwrap(v: unknown): unknown {
  const one = (e: unknown): unknown => {
    const x = parseIp(e);
    return x ? query(e, 'wrap') : e;
  };
  return Array.isArray(v) ? v.map(one) : one(v);
}

function ipsubnet(v: unknown, a: unknown[], kw: Kwargs): unknown {
  const x = parseIp(v);
  if (!x) return false;
  const cidr = `${text(x.version, network(x))}/${x.prefix}`;
  const q = arg(a, kw, 0, 'query', '');
  if (q === '' || q === null || q === undefined) return cidr;
  if (!/^\d+$/.test(String(q))) throw filterError(`ipsubnet: only a prefix length query is supported, got '${String(q)}'`);
  const want = Number(q);
  if (want > x.bits) return false;
  const index = arg(a, kw, 1, 'index', null);
  const single = x.prefix === x.bits;
  if (index === null || index === undefined) {
    if (single) return `${text(x.version, x.ip & ~((1n << BigInt(x.bits - want)) - 1n))}/${want}`;
    if (want < x.prefix) throw filterError(`Requested subnet size of ${want} is invalid`);
    return String(2 ** (want - x.prefix));
  }
  let i = BigInt(Number(index));
  if (single) throw filterError('ipsubnet: an index on a single address is not supported');
  const count = 1n << BigInt(want - x.prefix);
  if (i < 0n) i += count;
  if (i < 0n || i >= count) return false;
  return `${text(x.version, network(x) + (i << BigInt(x.bits - want)))}/${want}`;
}

const NAMES = (short: string): string[] => [short, `ansible.utils.${short}`, `ansible.netcommon.${short}`];

export const IP_FILTERS: Readonly<Record<string, FilterSpec>> = Object.fromEntries([
  ...NAMES('ipaddr').map((n) => [n, { fn: ipaddrFilter() }]),
  ...NAMES('ipv4').map((n) => [n, { fn: ipaddrFilter(4) }]),
  ...NAMES('ipv6').map((n) => [n, { fn: ipaddrFilter(6) }]),
  ...NAMES('ipwrap').map((n) => [n, { fn: ipwrap }]),
  ...NAMES('ipsubnet').map((n) => [n, { fn: ipsubnet }]),
]);

/** ansible.utils' ipv4/ipv6 tests: an address, or a network written at its network address (10.0.0.1/8 is neither) */
const isVersion =
  (version: 4 | 6) =>
  (v: unknown): boolean => {
    const x = parseIp(v);
    return x !== undefined && x.version === version && (x.prefix === x.bits || x.ip === network(x));
  };

export const IP_TESTS: Readonly<Record<string, TestSpec>> = {
  'ansible.utils.ipv4': { fn: isVersion(4) },
  'ansible.utils.ipv6': { fn: isVersion(6) },
  'ansible.utils.ip': { fn: (v) => parseIp(v) !== undefined },
  ipv4: { fn: isVersion(4) },
  ipv6: { fn: isVersion(6) },
};
