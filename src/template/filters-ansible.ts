// Filters of Ansible 2.14's own and of the collections real playbooks use, by their names and
// FQCNs: comment, product, shuffle, password_hash, urlsplit (ansible.builtin); json_query and dict
// (community.general). The ip filters are in filters-ip.ts.
import { nodeCrypto } from '../core/lazy-builtin.js';
import { createRequire } from 'node:module';
import type * as Jmespath from 'jmespath';
import { arg, type FilterSpec, type Kwargs } from './env.js';
import { filterError } from './errors.js';
import { iterate, pyStr, pyType } from './values.js';
import { shaCrypt } from './sha-crypt.js';

const COMMENT_STYLES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  plain: { decoration: '# ' },
  erlang: { decoration: '% ' },
  c: { decoration: '// ' },
  cblock: { beginning: '/*', decoration: ' * ', end: ' */' },
  xml: { beginning: '<!--', decoration: ' - ', end: '-->' },
};

/** ansible.builtin.comment, as plugins/filter/core.py composes it (beginning, prefix, decorated text, postfix, end). */
export function comment(text: string, style: string, kw: Kwargs): string {
  const styleParams = COMMENT_STYLES[style];
  if (!styleParams) throw filterError(`comment: unknown style '${style}' (styles: ${Object.keys(COMMENT_STYLES).join(', ')})`);
  const prepostfix = kw['decoration'] !== undefined ? pyStr(kw['decoration']) : styleParams['decoration']!;
  const p: Record<string, unknown> = {
    newline: '\n',
    beginning: '',
    prefix: prepostfix.trimEnd(),
    prefix_count: 1,
    decoration: '',
    postfix: prepostfix.trimEnd(),
    postfix_count: 1,
    end: '',
    ...styleParams,
    ...kw,
  };
  const s = (k: string): string => pyStr(p[k]);
  const nl = s('newline');
  const deco = s('decoration');
  const beginning = s('beginning') ? s('beginning') + nl : '';
  let prefix = '';
  if (s('prefix')) prefix = (s('prefix') !== nl ? s('prefix') + nl : nl).repeat(Number(p['prefix_count']));
  const body = (deco + text.split(nl).join(nl + deco)).split(deco + nl).join(deco.trimEnd() + nl);
  const postfix = ['', ...Array.from({ length: Number(p['postfix_count']) }, () => s('postfix'))].join(nl);
  const end = s('end') ? nl + s('end') : '';
  return beginning + prefix + body + postfix + end;
}

/** itertools.product of the input and the argument lists */
function product(v: unknown, a: unknown[]): unknown[][] {
  let acc: unknown[][] = [[]];
  for (const l of [v, ...a].map((x) => iterate(x))) acc = acc.flatMap((pre) => l.map((x) => [...pre, x]));
  return acc;
}

/** A shuffled copy; with `seed` the same order for the same seed (not Python's Random(seed) order). */
function shuffle(v: unknown, a: unknown[], kw: Kwargs): unknown[] {
  const items = [...iterate(v)];
  const seed = arg(a, kw, 0, 'seed', null);
  let counter = 0;
  const next = (n: number): number => {
    if (seed === null || seed === '' || seed === false) return nodeCrypto().randomInt(n);
    const h = nodeCrypto()
      .createHash('sha256')
      .update(`${pyStr(seed)}\0${counter++}`)
      .digest();
    return Number(h.readBigUInt64BE(0) % BigInt(n));
  };
  for (let i = items.length - 1; i > 0; i--) {
    const j = next(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

const SALT_CHARS = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CRYPT_IDS: Readonly<Record<string, '5' | '6'>> = { sha512: '6', sha512_crypt: '6', sha256: '5', sha256_crypt: '5' };

/** password_hash('sha512'|'sha256', salt, rounds=): crypt(3) text as Ansible without passlib makes it ($6$salt$...). */
function passwordHash(v: unknown, a: unknown[], kw: Kwargs): string {
  const type = pyStr(arg(a, kw, 0, 'hashtype', 'sha512'));
  const id = CRYPT_IDS[type];
  if (!id) throw filterError(`password_hash: hash type '${type}' is not supported (runbook has sha512, sha256)`);
  let salt = arg(a, kw, 1, 'salt', null);
  if (salt === null || salt === undefined) {
    const size = Number(arg(a, kw, 2, 'salt_size', 16));
    salt = Array.from(nodeCrypto().randomBytes(size), (b) => SALT_CHARS[b % SALT_CHARS.length]).join('');
  }
  const rounds = arg(a, kw, 3, 'rounds', null);
  return shaCrypt(pyStr(v), id, pyStr(salt), rounds !== null && rounds !== undefined ? Number(rounds) : undefined);
}

// loaded on first use: most runs never query JSON, and start-up matters
let jmespath: typeof Jmespath | undefined;

function jsonQuery(v: unknown, a: unknown[], kw: Kwargs): unknown {
  jmespath ??= createRequire(import.meta.url)('jmespath') as typeof Jmespath;
  const expr = arg(a, kw, 0, 'expr');
  if (typeof expr !== 'string') throw filterError('json_query needs a JMESPath expression string');
  try {
    return jmespath.search(v as never, expr);
  } catch (e) {
    throw filterError(`JMESPathError in json_query filter plugin:\n${(e as Error).message}`);
  }
}

/** community.general.dict: a list of [key, value] pairs as a mapping */
function pairsToDict(v: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of iterate(v)) {
    if (!Array.isArray(pair) || pair.length !== 2) throw filterError(`dict: every item must be a [key, value] pair, got ${pyType(pair)}`);
    out[pyStr(pair[0])] = pair[1];
  }
  return out;
}

const URL_PARTS = ['fragment', 'hostname', 'netloc', 'password', 'path', 'port', 'query', 'scheme', 'username'] as const;

/** ansible.builtin.urlsplit: Python's urllib.parse.urlsplit as a mapping, or one part of it */
function urlsplit(v: unknown, a: unknown[], kw: Kwargs): unknown {
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s.exec(pyStr(v).trim()) ?? [];
  const netloc = m[2] ?? '';
  const at = netloc.lastIndexOf('@');
  const userinfo = at >= 0 ? netloc.slice(0, at) : undefined;
  const hostport = at >= 0 ? netloc.slice(at + 1) : netloc;
  const hp = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostport);
  const host = (hp?.[1] ?? hostport).replace(/^\[|\]$/g, '').toLowerCase();
  const colon = userinfo?.indexOf(':') ?? -1;
  const parts: Record<string, unknown> = {
    scheme: (m[1] ?? '').toLowerCase(),
    netloc,
    path: m[3] ?? '',
    query: m[4] ?? '',
    fragment: m[5] ?? '',
    username: userinfo === undefined ? null : colon >= 0 ? userinfo.slice(0, colon) : userinfo,
    password: userinfo === undefined || colon < 0 ? null : userinfo!.slice(colon + 1),
    hostname: host === '' ? null : host,
    port: hp?.[2] ? Number(hp[2]) : null,
  };
  const query = arg(a, kw, 0, 'query', '');
  if (query === '' || query === undefined || query === null) return parts;
  const q = pyStr(query);
  if (!(URL_PARTS as readonly string[]).includes(q)) throw filterError(`urlsplit: unknown URL component: ${q}`);
  return parts[q];
}

export const ANSIBLE_FILTERS: Readonly<Record<string, FilterSpec>> = {
  comment: {
    fn: (v, a, kw) =>
      comment(
        pyStr(v),
        pyStr(arg(a, kw, 0, 'style', 'plain')),
        Object.fromEntries(Object.entries(kw).filter(([k]) => k !== 'style')) as Kwargs,
      ),
  },
  product: { fn: (v, a) => product(v, a) },
  shuffle: { fn: shuffle },
  urlsplit: { fn: urlsplit },
  password_hash: { fn: passwordHash },
  json_query: { fn: jsonQuery },
  'community.general.json_query': { fn: jsonQuery },
  'community.general.dict': { fn: (v) => pairsToDict(v) },
};
