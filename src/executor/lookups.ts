// Lookup plugins (`lookup('env', 'HOME')`, `query('fileglob', '*.conf')`), as Ansible 2.14's:
// env, file, template, vars, items, list, flattened, first_found, varnames,
// inventory_hostnames, url, fileglob, dict, password, pipe, lines, together, collection_version. They
// run on the controller while templating and read the task's variables, so they are built in rather than
// run through Ansible's code the way modules fall back — except community.general's collection_version,
// which reads none and answers from the controller's collections: ansible-core runs it. playbook/checks.ts
// LOOKUPS names the same set for validate.
import { execFileSync } from 'node:child_process';
import { existsSync, opendirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ansibleBoolean } from '../core/boolean.js';
import { globToRegExp } from '../core/glob.js';
import { readBounded, refusalLine } from '../core/read-bounded.js';
import { templateFunction, renderDeep, renderFile, readValue } from '../template/index.js';
import { pySplitlines, pyStrip } from '../template/pystr.js';
import type { Scope } from '../template/index.js';
import { templateLoader } from '../modules/support/files.js';
import { passwordLookup } from './lookup-password.js';
import { ansibleCore, runAnsibleLookup } from '../modules/ansible/controller.js';

export interface LookupEnv {
  /** the role's dir (when in a role), then the playbook's */
  readonly baseDirs: readonly string[];
  readonly getScope: () => Scope;
  /** hosts a pattern selects (inventory_hostnames) */
  readonly hosts?: (pattern: string) => string[];
}

export function lookupFunctions(env: LookupEnv): Record<string, unknown> {
  const lookup = (asList: boolean) =>
    templateFunction((args: unknown[], kwargs: Record<string, unknown>) => {
      const plugin = String(args[0]).replace(/^(ansible\.builtin|community\.general)\./, '');
      const values = run(env, plugin, args.slice(1), kwargs);
      // query() and wantlist keep the list; lookup() joins strings with commas (Ansible's
      // ",".join), and when that fails keeps a single value as itself, several as a list
      if (asList || ansibleBoolean(kwargs['wantlist']) === true) return values;
      if (values.every((v) => typeof v === 'string')) return values.join(',');
      return values.length === 1 ? values[0] : values;
    });
  return { lookup: lookup(false), query: lookup(true), q: lookup(true) };
}

/** The same lookups for what the playbook loader templates (LoadOptions.lookups): one base directory, no hosts. */
export function staticLookups(baseDir: string, scope: () => Scope): Record<string, unknown> {
  return lookupFunctions({ baseDirs: [baseDir], getScope: scope });
}

type Plugin = (env: LookupEnv, terms: unknown[], kwargs: Record<string, unknown>) => unknown[];

/** a plugin that answers each term on its own (env, file, template, vars) */
const perTerm =
  (one: (env: LookupEnv, term: string, kwargs: Record<string, unknown>) => unknown): Plugin =>
  (env, terms, kwargs) =>
    terms.map(String).map((t) => one(env, t, kwargs));

/** The plugins, by name: SUPPORTED is this table's keys (a unit test keeps them equal to playbook/checks.ts LOOKUPS). */
const PLUGINS: Readonly<Record<string, Plugin>> = {
  env: perTerm((_env, t, kwargs) => process.env[t] ?? (kwargs['default'] !== undefined ? kwargs['default'] : '')),
  file: perTerm((env, t) => lookupText(resolveFirst(env.baseDirs, ['files', '.'], t)).replace(/\n$/, '')),
  template: perTerm((env, t) => {
    const path = resolveFirst(env.baseDirs, ['templates', '.'], t);
    return renderFile(lookupText(path), env.getScope(), templateLoader(path, env.baseDirs));
  }),
  vars: perTerm((env, t, kwargs) => {
    const scope = env.getScope();
    // rendered, as Ansible's vars lookup templates the value (`vars[name]` gives it as written)
    if (Object.hasOwn(scope, t)) return renderDeep(readValue(scope[t]), scope);
    if (kwargs['default'] !== undefined) return kwargs['default'];
    throw new Error(`No variable named '${t}' (lookup('vars', ...); give default= for a fallback)`);
  }),
  // items flattens its terms one level (with_items); list returns them as given
  items: (_env, terms) => terms.flatMap((t) => (Array.isArray(t) ? t : [t])),
  list: (_env, terms) => (terms.length === 1 && Array.isArray(terms[0]) ? terms[0] : terms),
  flattened: (_env, terms) => flattenAll(terms),
  first_found: (env, terms, kwargs) => firstFound(env, terms, kwargs),
  varnames: (env, terms) => varnames(env, terms.map(String)),
  inventory_hostnames: (env, terms) => [
    ...new Set(terms.flatMap((t) => (Array.isArray(t) ? t : [t])).flatMap((p) => env.hosts?.(String(p)) ?? [])),
  ],
  url: (_env, terms, kwargs) => terms.flatMap((t) => url(String(t), kwargs)),
  fileglob: (env, terms) => terms.flatMap((t) => fileglob(env, String(t))),
  // with_dict's lookup: each dict's items as {key, value}, in order
  dict: (_env, terms) =>
    terms.flatMap((t) => {
      if (t === null || typeof t !== 'object' || Array.isArray(t)) throw new Error('with_dict expects a dict');
      return Object.entries(t).map(([key, value]) => ({ key, value }));
    }),
  password: (env, terms, kwargs) => terms.map((t) => passwordLookup(String(t), kwargs, env.baseDirs[env.baseDirs.length - 1] ?? '.')),
  // a shell command on the controller, in the playbook's directory (Ansible's loader basedir)
  pipe: perTerm((env, t) => pyStrip(controllerCommand(env, 'pipe', t), null, 'right')),
  lines: (env, terms) => terms.flatMap((t) => pySplitlines(controllerCommand(env, 'lines', String(t)))),
  together: (_env, terms) => together(terms),
  // community.general's, run by ansible-core's code: which collection versions the controller has
  collection_version: (env, terms, kwargs) => viaAnsible(env, 'community.general.collection_version', terms, kwargs),
};

/** A collection's lookup plugin that reads no task variables, run through ansible-core on the controller. */
function viaAnsible(env: LookupEnv, name: string, terms: unknown[], kwargs: Record<string, unknown>): unknown[] {
  const core = ansibleCore();
  if (!core)
    throw new Error(
      `lookup plugin '${name}' runs through ansible-core's code: install ansible-core (and ${name.split('.').slice(0, 2).join('.')}) on the controller`,
    );
  const r = runAnsibleLookup(core, name, terms, kwargs, env.baseDirs[env.baseDirs.length - 1] ?? '.');
  if (!r.ok) throw new Error(r.why);
  return r.values;
}

export const SUPPORTED = Object.keys(PLUGINS);

function run(env: LookupEnv, plugin: string, terms: unknown[], kwargs: Record<string, unknown>): unknown[] {
  const p = Object.hasOwn(PLUGINS, plugin) ? PLUGINS[plugin] : undefined;
  if (!p) throw new Error(`lookup plugin '${plugin}' is not supported (supported: ${SUPPORTED.join(', ')})`);
  return p(env, terms, kwargs);
}

/**
 * Ansible's together (with_together): each term as a list (a scalar is a list of one), zipped,
 * the shorter ones filled with null, each tuple flattened one level.
 */
function together(terms: unknown[]): unknown[] {
  if (terms.length === 0) throw new Error('with_together requires at least one element in each list');
  const lists = terms.map((t) => (Array.isArray(t) ? t : [t]));
  const n = Math.max(...lists.map((l) => l.length));
  return Array.from({ length: n }, (_v, i) =>
    lists.flatMap((l) => (i < l.length ? (Array.isArray(l[i]) ? (l[i] as unknown[]) : [l[i]]) : [null])),
  );
}

/** Ansible's flattened: every level of nesting removed. */
export function flattenAll(terms: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const t of terms) {
    if (Array.isArray(t)) out.push(...flattenAll(t));
    else out.push(t);
  }
  return out;
}

function splitNames(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap(splitNames);
  return typeof v === 'string'
    ? v
        .split(/[,;]/)
        .map((x) => x.trim())
        .filter(Boolean)
    : [];
}

/** The first existing file: `files`/`paths` in a dict term or kwargs; relative names (and paths) in files/ of the role, then of the playbook, and beside them. */
function firstFound(env: LookupEnv, terms: unknown[], kwargs: Record<string, unknown>): unknown[] {
  const names: string[] = [];
  const paths: string[] = splitNames(kwargs['paths']);
  let skip = ansibleBoolean(kwargs['skip']) === true;
  names.push(...splitNames(kwargs['files']));
  for (const t of terms.flatMap((x) => (Array.isArray(x) ? x : [x]))) {
    if (t && typeof t === 'object') {
      const d = t as Record<string, unknown>;
      names.push(...splitNames(d['files']));
      paths.push(...splitNames(d['paths']));
      if (ansibleBoolean(d['skip']) === true) skip = true;
    } else if (typeof t === 'string') names.push(t);
  }
  for (const name of names) {
    const candidates = isAbsolute(name)
      ? [name]
      : // a relative path is looked for as Ansible's search path does: the role's, then the playbook's (files/ first)
        // joined as Python's os.path.join, not normalised: `files/../vars/x` exists only when files/ does (the
        // kernel resolves `..`), and the path found is given as Ansible gives it (`tasks/../vars/x`)
        paths.length
        ? paths.flatMap((p) => (isAbsolute(p) ? [pyJoin(p, name)] : env.baseDirs.flatMap((b) => searchIn(b, pyJoin(p, name)))))
        : env.baseDirs.flatMap((b) => searchIn(b, name));
    const hit = candidates.find((c) => existsSync(c));
    if (hit) return [hit];
  }
  if (skip) return [];
  throw new Error('No file was found when using first_found.');
}

function pyJoin(a: string, b: string): string {
  return isAbsolute(b) ? b : a.endsWith('/') ? a + b : `${a}/${b}`;
}

/** Where Ansible's path_dwim_relative_stack looks for `name` under one search path entry: files/ (unless named), then beside. */
function searchIn(base: string, name: string): string[] {
  return name.split('/')[0] === 'files' ? [pyJoin(base, name)] : [pyJoin(pyJoin(base, 'files'), name), pyJoin(base, name)];
}

/** Names of the variables whose name matches each regex (Python re.match: anchored at the start). */
function varnames(env: LookupEnv, patterns: string[]): string[] {
  const scope = env.getScope();
  const names = Object.keys(scope).filter((k) => !['lookup', 'query', 'q'].includes(k));
  const out: string[] = [];
  for (const p of patterns) {
    const re = new RegExp(`^(?:${p})`);
    for (const n of names) if (re.test(n) && !out.includes(n)) out.push(n);
  }
  return out;
}

/** Files (not dirs) matching a glob: relative ones in files/ of the role, then the playbook; absolute ones as given. */
function fileglob(env: LookupEnv, pattern: string): string[] {
  const dirs = isAbsolute(pattern)
    ? [dirname(pattern)]
    : env.baseDirs.flatMap((b) => [join(b, 'files', dirname(pattern)), join(b, dirname(pattern))]);
  const re = globToRegExp(basename(pattern));
  for (const d of dirs) {
    let names: string[];
    try {
      names = dirOrder(d);
    } catch {
      continue;
    }
    const hits = names
      .filter((n) => re.test(n))
      .map((n) => join(d, n))
      .filter((p) => statSync(p).isFile());
    if (hits.length) return hits;
  }
  return [];
}

/** Entries in the directory's own order, as Python's glob returns them (readdirSync sorts). */
function dirOrder(dir: string): string[] {
  const d = opendirSync(dir);
  const out: string[] = [];
  try {
    for (let e = d.readSync(); e; e = d.readSync()) out.push(e.name);
  } finally {
    d.closeSync();
  }
  return out;
}

/** A controller file a lookup reads, within the one limit on files runbook reads. */
function lookupText(path: string): string {
  const read = readBounded(path);
  if (!read.ok) throw new Error(refusalLine(path, read.why));
  return read.text;
}

/** Ansible's url lookup: the content, split into lines unless split_lines=False. */
function url(target: string, kwargs: Record<string, unknown>): string[] {
  let text: string;
  if (target.startsWith('file://')) {
    text = lookupText(fileURLToPath(target));
  } else if (/^https?:\/\//.test(target)) {
    text = fetchSync(target, kwargs);
  } else {
    throw new Error(`url lookup: '${target}' is not a file://, http:// or https:// URL`);
  }
  const split = kwargs['split_lines'] === undefined || ansibleBoolean(kwargs['split_lines']) === true;
  return split ? text.split('\n').filter((l, i, a) => i < a.length - 1 || l !== '') : [text];
}

/** Templating is synchronous: the request runs in a short-lived child Node (fetch), as a lookup blocks Ansible too. */
function fetchSync(target: string, kwargs: Record<string, unknown>): string {
  const headers = kwargs['headers'] && typeof kwargs['headers'] === 'object' ? kwargs['headers'] : {};
  const timeoutS = Number(kwargs['timeout'] ?? 10);
  const insecure = kwargs['validate_certs'] !== undefined && !ansibleBoolean(kwargs['validate_certs']) === true;
  const script = [
    "const {stdout:o,stderr:e,exit:x,argv:a}=require('node:process');const [u,h,t]=a.slice(1);",
    'fetch(u,{headers:JSON.parse(h),signal:AbortSignal.timeout(Number(t)*1000)}).then(async r=>{const b=await r.text();',
    "if(!r.ok){e.write('HTTP Error '+r.status+': '+r.statusText);x(2)}o.write(b)}).catch(err=>{e.write(String(err.cause?.message??err.message));x(1)})",
  ].join('');
  try {
    return execFileSync(process.execPath, ['-e', script, target, JSON.stringify(headers), String(timeoutS)], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      env: { ...process.env, ...(insecure ? { NODE_TLS_REJECT_UNAUTHORIZED: '0' } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    const err = e as { stderr?: string };
    throw new Error(`Received invalid response from url ${target}: ${(err.stderr ?? '').trim() || 'no answer'}`);
  }
}

/** `sh -c TERM` on the controller as Ansible's pipe/lines (subprocess shell=True): stdout, or a failure naming the exit code. */
function controllerCommand(env: LookupEnv, plugin: 'pipe' | 'lines', term: string): string {
  try {
    return execFileSync('/bin/sh', ['-c', term], {
      cwd: env.baseDirs[env.baseDirs.length - 1] ?? '.',
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (e) {
    const err = e as { status?: number | null };
    throw new Error(`lookup_plugin.${plugin}(${term}) returned ${err.status ?? 127}`);
  }
}

function resolveFirst(baseDirs: readonly string[], dirs: string[], name: string): string {
  for (const base of baseDirs) {
    for (const d of dirs) {
      const p = resolve(base, d, name);
      if (existsSync(p) && statSync(p).isFile()) return p;
    }
  }
  return resolve(baseDirs[baseDirs.length - 1] ?? '.', name);
}
