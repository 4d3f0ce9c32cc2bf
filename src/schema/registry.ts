// The JSON Schemas in schemas/ are the single source of truth; this compiles them (lazily,
// once) with ajv. Module argument schemas live in schemas/modules/<name>.json.
import { plainNumbers } from '../core/python-float.js';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { Ajv as AjvType, ErrorObject, ValidateFunction } from 'ajv';

export const SCHEMA_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));

let ajv: AjvType | undefined;
const compiled = new Map<string, ValidateFunction | null>();

function instance(): AjvType {
  if (!ajv) {
    // ajv's compiler is loaded only when no prebuilt validator exists (running from src/)
    const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
  }
  return ajv;
}

/** dist/schema/validators/index.json: which file and export holds a ref's validator */
type PrebuiltIndex = Record<string, { file: string; export: string }>;
let prebuilt: { dir: string; index: PrebuiltIndex } | null | undefined;
const prebuiltFiles = new Map<string, Record<string, ValidateFunction>>();

/**
 * Validators compiled at build time by scripts/compile-schemas.mjs (dist/ only), one file per
 * schema file, each loaded on first use. Named from the parent directory: this code also runs
 * bundled, from dist/chunks/ (scripts/bundle.mjs).
 */
function prebuiltValidator(ref: string): ValidateFunction | undefined {
  if (prebuilt === undefined) {
    const dir = fileURLToPath(new URL('../schema/validators/', import.meta.url));
    const indexFile = join(dir, 'index.json');
    prebuilt = existsSync(indexFile) ? { dir, index: JSON.parse(readFileSync(indexFile, 'utf8')) as PrebuiltIndex } : null;
  }
  const at = prebuilt?.index[ref];
  if (!prebuilt || !at) return undefined;
  let mod = prebuiltFiles.get(at.file);
  if (!mod) {
    mod = createRequire(import.meta.url)(join(prebuilt.dir, at.file)) as Record<string, ValidateFunction>;
    prebuiltFiles.set(at.file, mod);
  }
  return mod[at.export];
}

export function readSchema(rel: string): Record<string, unknown> | undefined {
  const path = SCHEMA_DIR + rel;
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

/** Validator for a schema file, or for a definition inside it (`playbook.json#/definitions/task`). */
export function validator(ref: string): ValidateFunction | undefined {
  const hit = compiled.get(ref);
  if (hit !== undefined) return hit ?? undefined;
  const pre = prebuiltValidator(ref);
  if (pre) {
    compiled.set(ref, pre);
    return pre;
  }
  const [file, pointer] = ref.split('#') as [string, string | undefined];
  const schema = readSchema(file);
  if (!schema) {
    compiled.set(ref, null);
    return undefined;
  }
  const a = instance();
  const id = typeof schema['$id'] === 'string' ? schema['$id'] : file;
  if (!a.getSchema(id)) a.addSchema(schema, id);
  const fn = a.getSchema(pointer ? `${id}#${pointer}` : id);
  compiled.set(ref, fn ?? null);
  return fn;
}

export interface SchemaProblem {
  /** path of keys/indexes from the validated value to the offending one */
  readonly path: (string | number)[];
  /** true when the problem is about a key (unknown key): point at the key, not the value */
  readonly atKey: boolean;
  readonly message: string;
}

export function validateWith(ref: string, written: unknown): SchemaProblem[] | undefined {
  const fn = validator(ref);
  if (!fn) return undefined;
  // a float `2.0` (core/python-float.ts) is a number to the schemas
  const value = plainNumbers(written);
  if (fn(value)) return [];
  return explain(fn.errors ?? [], value);
}

/** ajv's errors → one readable message per offending node, anyOf noise collapsed. */
export function explain(errors: readonly ErrorObject[], root: unknown): SchemaProblem[] {
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    const key =
      e.instancePath +
      (e.keyword === 'additionalProperties' ? '/' + String((e.params as { additionalProperty: string }).additionalProperty) : '');
    const list = byPath.get(key) ?? [];
    list.push(e);
    byPath.set(key, list);
  }
  const out: SchemaProblem[] = [];
  for (const [, errs] of byPath) {
    const e = pickMostUseful(errs);
    const path = pointerToPath(e.instancePath);
    const value = valueAt(root, path);
    const name = lastName(path);
    switch (e.keyword) {
      case 'additionalProperties': {
        const prop = String((e.params as { additionalProperty: string }).additionalProperty);
        out.push({ path: [...path, prop], atKey: true, message: `unknown key '${prop}'` });
        break;
      }
      case 'required':
        out.push({
          path,
          atKey: false,
          message: `missing required key '${String((e.params as { missingProperty: string }).missingProperty)}'`,
        });
        break;
      case 'propertyNames':
      case 'pattern': {
        // a key that is not a valid name (set_fact variables...): ajv reports it twice
        const bad = errs.find((x) => x.keyword === 'propertyNames');
        if (bad) {
          const prop = String((bad.params as { propertyName: string }).propertyName);
          out.push({
            path: [...path, prop],
            atKey: true,
            message: `'${prop}' is not a valid variable name (letters, digits and _, not starting with a digit)`,
          });
          break;
        }
        out.push({ path, atKey: false, message: `${name ? `'${name}' ` : ''}${describeExpectation(errs)} (got ${describeValue(value)})` });
        break;
      }
      default:
        out.push({ path, atKey: false, message: `${name ? `'${name}' ` : ''}${describeExpectation(errs)} (got ${describeValue(value)})` });
    }
  }
  return out;
}

function pickMostUseful(errs: ErrorObject[]): ErrorObject {
  return (
    errs.find((e) => e.keyword === 'additionalProperties') ??
    errs.find((e) => e.keyword === 'required') ??
    errs.find((e) => e.keyword === 'enum') ??
    errs[0]!
  );
}

function describeExpectation(errs: ErrorObject[]): string {
  const wants = new Set<string>();
  for (const e of errs) {
    switch (e.keyword) {
      case 'type': {
        const t = (e.params as { type: string | string[] }).type;
        for (const x of Array.isArray(t) ? t : [t]) wants.add(article(x));
        break;
      }
      case 'enum':
        wants.add(`one of: ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => String(v)).join(', ')}`);
        break;
      case 'pattern':
        if (!e.schemaPath.includes('templated')) wants.add(`text matching ${(e.params as { pattern: string }).pattern}`);
        break;
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
        wants.add(`a number ${e.message ?? ''}`.trim());
        break;
      case 'minItems':
        wants.add('a non-empty list');
        break;
      case 'anyOf':
      case 'oneOf':
      case 'if':
        break;
      default:
        if (e.message) wants.add(e.message);
    }
  }
  if (wants.size === 0) return 'has an invalid value';
  return `must be ${[...wants].join(' or ')}`;
}

function article(t: string): string {
  switch (t) {
    case 'integer':
      return 'an integer';
    case 'object':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'string':
      return 'a string';
    case 'boolean':
      return 'a boolean';
    case 'number':
      return 'a number';
    case 'null':
      return 'null';
    default:
      return t;
  }
}

export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? v.slice(0, 37) + '...' : v)}`;
  return `${typeof v} ${String(v)}`;
}

function pointerToPath(p: string): (string | number)[] {
  if (p === '') return [];
  return p
    .slice(1)
    .split('/')
    .map((s) => {
      const u = s.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^\d+$/.test(u) ? Number(u) : u;
    });
}

function lastName(path: readonly (string | number)[]): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string;
  return undefined;
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur && typeof cur === 'object') cur = (cur as Record<string | number, unknown>)[seg];
    else return undefined;
  }
  return cur;
}
