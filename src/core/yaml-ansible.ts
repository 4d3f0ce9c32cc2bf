// How Ansible reads YAML: PyYAML's YAML 1.1 resolution of plain scalars (`yes`/`no`/`on`/`off`
// are booleans, so `when: flag` with `flag: no` is false), with the yaml package's 1.1 schema
// brought to PyYAML where they differ, and two deliberate exceptions kept from YAML 1.2:
// - `y`/`n` stay strings (PyYAML agrees); an exponent float needs a dot and a signed exponent
//   (`1.0e+3`), so names like `e1` stay strings (the package made them NaN);
// - leading-zero integers are decimal (`mode: 0644` reaches the modules as 644, which they read
//   as octal digits) and `1:30` is a string (PyYAML: sexagesimal 90), timestamps stay strings.
// A float with an integral value (`2.0`, `1.0e+3`) is a PyFloat (core/python-float.ts), as Python
// keeps it a float.
import { isScalar, type ParseOptions, type DocumentOptions, type SchemaOptions } from 'yaml';
import { pyFloat } from './python-float.js';
import { vaultValue } from './vault.js';

const BOOL = 'tag:yaml.org,2002:bool';
const INT = 'tag:yaml.org,2002:int';
const FLOAT = 'tag:yaml.org,2002:float';
const TIMESTAMP = 'tag:yaml.org,2002:timestamp';

type Tag = { tag?: string; format?: string; test?: RegExp; resolve?: (...a: unknown[]) => unknown };

/** A float tag whose value is a Python float: integral ones become a PyFloat. */
function pythonFloat(tag: Tag): Tag {
  const resolve = tag.resolve;
  if (!resolve) return tag;
  return {
    ...tag,
    resolve: (...a: unknown[]) => {
      const r = resolve(...a);
      if (typeof r === 'number') return pyFloat(r);
      if (isScalar(r) && typeof r.value === 'number') r.value = pyFloat(r.value);
      return r;
    },
  };
}

function pyYamlTags(tags: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const tag of tags) {
    if (typeof tag === 'string') {
      if (tag !== 'timestamp') out.push(tag);
      continue;
    }
    const t = tag as Tag;
    if (t.tag === TIMESTAMP) continue;
    if ((t.tag === INT || t.tag === FLOAT) && (t.format === 'TIME' || (t.tag === INT && t.format === 'OCT'))) continue;
    if (t.tag === BOOL && t.test) {
      const test = t.test.source.includes('[Yy]es') ? /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/ : /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
      out.push({ ...(tag as object), test });
      continue;
    }
    if (t.tag === FLOAT && t.format === 'EXP') {
      out.push(pythonFloat({ ...t, test: /^[-+]?[0-9][0-9_]*\.[0-9_]*[eE][-+][0-9]+$/ }));
      continue;
    }
    out.push(t.tag === FLOAT ? pythonFloat(t) : tag);
  }
  // `!vault |` values, decrypted with the command line's vault secrets (core/vault.ts)
  out.push({ tag: '!vault', resolve: vaultValue });
  return out;
}

/** `customTags` that only make integral floats PyFloats (the schema's other tags as they are). */
export const PYTHON_FLOATS = ((tags: unknown[]) =>
  tags.map((t) => (typeof t !== 'string' && (t as Tag).tag === FLOAT ? pythonFloat(t as Tag) : t))) as NonNullable<
  SchemaOptions['customTags']
>;

/** Options for parseDocument / parse: YAML 1.1 resolved as Ansible's PyYAML does. */
export const ANSIBLE_YAML: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  customTags: pyYamlTags as NonNullable<SchemaOptions['customTags']>,
};
