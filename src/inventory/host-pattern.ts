// A host entry as written in an inventory (`etcd[1:3].example.com`, `db-[a:c]`, `web:2222`,
// `[::1]:22`) → the host names it stands for and the port it sets. Ansible's parse_address +
// expand_hostname_range: ranges may repeat (`r[1:2]n[01:02]`), `[01:10]` keeps the zero
// padding, `[1:10:2]` steps, `[a:c]` runs over letters.

export type HostEntry =
  { readonly ok: true; readonly hosts: string[]; readonly port?: number } | { readonly ok: false; readonly message: string };

/** More than this many names from one entry is surely a typo, not a fleet. */
const MAX_EXPANSION = 100_000;
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

export function parseHostEntry(entry: string, allowRanges = true): HostEntry {
  const text = entry.trim();
  if (text === '') return { ok: false, message: 'empty host name' };
  let host = text;
  let port: number | undefined;
  const bracketedWithPort = /^\[([^\]]+)\]:(\d+)$/.exec(text);
  const withPort = /^((?:[^:[\]]|\[[^\]]*\])+):(\d+)$/.exec(text);
  const bareIpv6 = /^\[([0-9a-fA-F:.]+)\]$/.exec(text);
  if (bracketedWithPort) {
    host = bracketedWithPort[1]!;
    port = Number(bracketedWithPort[2]);
    if (host.includes(':')) return withPortResult([host], port); // IPv6 address, not a range
  } else if (withPort) {
    host = withPort[1]!;
    port = Number(withPort[2]);
  } else if (bareIpv6 && bareIpv6[1]!.includes(':')) {
    return { ok: true, hosts: [bareIpv6[1]!] };
  }
  if (host.endsWith(':')) {
    return { ok: false, message: `invalid host '${text}': a trailing ':' must be followed by a port number` };
  }
  if (!allowRanges || !host.includes('[')) return withPortResult([host], port);
  const hosts: string[] = [];
  const problem = expandInto(host, hosts);
  if (problem !== undefined) return { ok: false, message: `invalid host range in '${text}': ${problem}` };
  return withPortResult(hosts, port);
}

function withPortResult(hosts: string[], port: number | undefined): HostEntry {
  return port === undefined ? { ok: true, hosts } : { ok: true, hosts, port };
}

/** Expands the first `[...]` of `name` and recurses on the rest; returns a problem or undefined. */
function expandInto(name: string, out: string[]): string | undefined {
  const open = name.indexOf('[');
  if (open < 0) {
    out.push(name);
    return undefined;
  }
  const close = name.indexOf(']', open);
  if (close < 0) return "'[' without a closing ']'";
  const head = name.slice(0, open);
  const tail = name.slice(close + 1);
  const bounds = name.slice(open + 1, close).split(':');
  if (bounds.length !== 2 && bounds.length !== 3) return 'a range is [begin:end] or [begin:end:step]';
  const begin = bounds[0] === '' ? '0' : bounds[0]!;
  const end = bounds[1]!;
  if (end === '') return 'the range has no end value';
  const step = bounds.length === 3 ? Number(bounds[2]) : 1;
  if (!Number.isInteger(step) || step < 1) return `the step must be a positive integer, got '${bounds[2] ?? ''}'`;
  const seq = rangeValues(begin, end, step);
  if (typeof seq === 'string') return seq;
  for (const v of seq) {
    const problem = expandInto(head + v + tail, out);
    if (problem !== undefined) return problem;
    if (out.length > MAX_EXPANSION) return `it expands to more than ${MAX_EXPANSION} hosts`;
  }
  return undefined;
}

function rangeValues(begin: string, end: string, step: number): string[] | string {
  const bLetter = begin.length === 1 ? LETTERS.indexOf(begin) : -1;
  const eLetter = end.length === 1 ? LETTERS.indexOf(end) : -1;
  if (bLetter >= 0 && eLetter >= 0) {
    if (bLetter > eLetter) return `'${begin}' comes after '${end}'`;
    const out: string[] = [];
    for (let i = bLetter; i <= eLetter; i += step) out.push(LETTERS[i]!);
    return out;
  }
  if (!/^\d+$/.test(begin) || !/^\d+$/.test(end)) return `'${begin}:${end}' is neither a number nor a letter range`;
  const padded = begin.length > 1 && begin.startsWith('0');
  if (padded && begin.length !== end.length) return `a zero-padded range needs begin and end of equal width ('${begin}' vs '${end}')`;
  const b = Number(begin);
  const e = Number(end);
  if (b > e) return `${begin} is greater than ${end}`;
  if ((e - b) / step > MAX_EXPANSION) return `it expands to more than ${MAX_EXPANSION} hosts`;
  const out: string[] = [];
  for (let i = b; i <= e; i += step) out.push(padded ? String(i).padStart(begin.length, '0') : String(i));
  return out;
}
