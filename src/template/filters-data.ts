// Filters that convert or encode data: JSON, YAML, base64, hashes, paths, regular expressions.
import { nodeCrypto } from '../core/lazy-builtin.js';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { isPyFloat, parseJsonKeepingFloats } from '../core/python-float.js';
import { yamlFloats } from '../core/yaml-floats.js';
import { PYTHON_FLOATS } from '../core/yaml-ansible.js';
import { arg, strArg, type FilterSpec, type Kwargs } from './env.js';
import { filterError, typeError } from './errors.js';
import { pyJsonDumps } from './json.js';
import { groupOf, reEscape, reFindall, reSearch, reSub, type ReFlags } from './regex.js';
import { isDict, pyStr, pyType, truthy } from './values.js';
import { EnvValueError, envFileValue } from '../core/env-file.js';
import { table } from '../core/table.js';

function str(v: unknown, filter: string): string {
  if (typeof v === 'string') return v;
  if (v === null || (typeof v === 'object' && !isPyFloat(v))) throw typeError(`${filter} expects a string, got ${pyType(v)}`);
  return pyStr(v);
}

function reFlags(kw: Kwargs): ReFlags {
  return { ignorecase: truthy(kw['ignorecase'] ?? false), multiline: truthy(kw['multiline'] ?? false) };
}

function fromJson(v: unknown): unknown {
  try {
    return parseJsonKeepingFloats(str(v, 'from_json'));
  } catch (err) {
    if (err instanceof SyntaxError) throw filterError(`from_json: invalid JSON: ${err.message}`);
    throw err;
  }
}

function fromYaml(v: unknown): unknown {
  if (v === null) return null;
  try {
    return (parseYaml(str(v, 'from_yaml'), { customTags: PYTHON_FLOATS }) as unknown) ?? null;
  } catch (err) {
    throw filterError(`from_yaml: invalid YAML: ${err instanceof Error ? (err.message.split('\n')[0] ?? '') : ''}`);
  }
}

function toYaml(v: unknown, indent: number): string {
  return stringifyYaml(v, yamlFloats, { indent, indentSeq: false, lineWidth: 0 });
}

function hash(v: unknown, algo: string): string {
  const name = algo.toLowerCase();
  if (!['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'].includes(name)) throw filterError(`hash: unsupported algorithm '${algo}'`);
  return nodeCrypto().createHash(name).update(str(v, 'hash'), 'utf8').digest('hex');
}

/** Ansible's to_uuid: uuid5 of the text in a namespace (Ansible's own by default), as Python's uuid.uuid5. */
function toUuid(v: unknown, namespace: string): string {
  const ns = namespace.replace(/[{}-]/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(ns)) throw filterError(`to_uuid: '${namespace}' is not a UUID`);
  const b = nodeCrypto().createHash('sha1').update(Buffer.from(ns, 'hex')).update(pyStr(v), 'utf8').digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? p : p.slice(i + 1);
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  if (i < 0) return '';
  const head = p.slice(0, i + 1);
  return /^\/+$/.test(head) ? head : head.replace(/\/+$/, '');
}

function regexSearch(v: unknown, a: unknown[], kw: Kwargs): unknown {
  const [pattern, ...groups] = a;
  if (typeof pattern !== 'string') throw filterError('regex_search: pattern must be a string');
  const m = reSearch(pattern, str(v, 'regex_search'), reFlags(kw));
  if (!m) return null;
  if (groups.length === 0) return m[0];
  return groups.map((g) => groupOf(m, g));
}

export const DATA_FILTERS: Readonly<Record<string, FilterSpec>> = table({
  to_json: {
    fn: (v, _a, kw) => {
      const indent = kw['indent'];
      return pyJsonDumps(v, {
        indent: typeof indent === 'number' ? indent : null,
        sortKeys: truthy(kw['sort_keys'] ?? false),
        ensureAscii: truthy(kw['ensure_ascii'] ?? true),
      });
    },
  },
  tojson: { fn: (v) => pyJsonDumps(v, { sortKeys: true, ensureAscii: false }) },
  // runbook's own: a value for a KEY=value env file, inert for sh and systemd (core/env-file.ts)
  env_quote: {
    fn: (v) => {
      try {
        return envFileValue(v === null ? '' : str(v, 'env_quote'));
      } catch (err) {
        if (err instanceof EnvValueError) throw filterError(`env_quote: ${err.message}`);
        throw err;
      }
    },
  },
  to_nice_json: {
    fn: (v, a, kw) =>
      pyJsonDumps(v, {
        indent: Number(arg(a, kw, 0, 'indent', 4)),
        sortKeys: truthy(kw['sort_keys'] ?? true),
        ensureAscii: truthy(kw['ensure_ascii'] ?? true),
      }),
  },
  from_json: { fn: fromJson },
  to_yaml: { fn: (v, _a, kw) => toYaml(v, Number(kw['indent'] ?? 2)) },
  to_nice_yaml: { fn: (v, a, kw) => toYaml(v, Number(arg(a, kw, 0, 'indent', 4))) },
  from_yaml: { fn: fromYaml },
  b64encode: { fn: (v) => Buffer.from(str(v, 'b64encode'), 'utf8').toString('base64') },
  b64decode: {
    fn: (v) => {
      const s = str(v, 'b64decode').replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(s)) throw filterError('b64decode: invalid base64 input');
      return Buffer.from(s, 'base64').toString('utf8');
    },
  },
  hash: { fn: (v, a, kw) => hash(v, pyStr(arg(a, kw, 0, 'hashtype', 'sha1'))) },
  checksum: { fn: (v) => hash(v, 'sha1') },
  md5: { fn: (v) => hash(v, 'md5') },
  sha1: { fn: (v) => hash(v, 'sha1') },
  to_uuid: { fn: (v, a, kw) => toUuid(v, pyStr(arg(a, kw, 0, 'namespace', '361E6D51-FAEC-444A-9079-341386DA8E2E'))) },
  basename: { fn: (v) => basename(str(v, 'basename')) },
  dirname: { fn: (v) => dirname(str(v, 'dirname')) },
  splitext: {
    fn: (v) => {
      const p = str(v, 'splitext');
      const m = /^(.*[^/.][^/]*?)(\.[^./]*)$/.exec(p);
      return m ? [m[1] ?? '', m[2] ?? ''] : [p, ''];
    },
  },
  regex_search: { fn: regexSearch },
  regex_replace: {
    fn: (v, a, kw) => {
      const pattern = strArg(a, kw, 0, 'pattern', 'regex_replace', '');
      const repl = strArg(a, kw, 1, 'replacement', 'regex_replace', '');
      return reSub(pattern, repl, str(v, 'regex_replace'), reFlags(kw), Number(kw['count'] ?? 0));
    },
  },
  regex_findall: {
    fn: (v, a, kw) => reFindall(strArg(a, kw, 0, 'regex', 'regex_findall'), str(v, 'regex_findall'), reFlags(kw)),
  },
  regex_escape: { fn: (v) => reEscape(str(v, 'regex_escape')) },
  urlencode: {
    fn: (v) => {
      const enc = (s: unknown): string => encodeURIComponent(pyStr(s)).replace(/%2F/g, '/');
      if (isDict(v))
        return Object.entries(v)
          .map(([k, x]) => `${enc(k)}=${enc(x)}`)
          .join('&');
      return enc(v);
    },
  },
});
