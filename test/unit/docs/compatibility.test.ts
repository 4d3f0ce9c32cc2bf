// Keeps docs/ansible-compatibility.md true (its rules are stated in a comment above its tables):
// refused keywords, keyword and module rows, lookup plugins, magic variables and the yaml
// examples are checked against the code, the examples by loading them as `validate` does and
// the magic variables by running a playbook on a local host.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { moduleCatalog } from '../../../src/modules/catalog.js';
import { isAnsibleOnly } from '../../../src/modules/ansible-only.js';
import { LOOKUPS } from '../../../src/playbook/checks.js';
import { BLOCK_KEYWORDS, INCLUDE_KEYWORDS, PLAY_KEYWORDS, TASK_KEYWORDS, UNSUPPORTED_KEYWORDS } from '../../../src/playbook/keywords.js';
import { loadPlaybook } from '../../../src/playbook/load.js';
import { templateFunctionOf } from '../../../src/template/callable.js';
import { builtinFunction } from '../../../src/template/globals.js';
import { localHosts, runPlaybookText } from '../../helpers/run-playbook.js';

// every key of the magic variables and functions host-scope.ts hands to buildScope, collected while running
const seen = vi.hoisted(() => new Map<string, unknown>());
vi.mock('../../../src/executor/scope.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/executor/scope.js')>();
  return {
    ...real,
    buildScope: (p: Parameters<typeof real.buildScope>[0]) => {
      for (const [k, v] of Object.entries({ ...p.functions, ...p.hostMagic, ...p.magic })) seen.set(k, v);
      return real.buildScope(p);
    },
  };
});

const DOC = fileURLToPath(new URL('../../../docs/ansible-compatibility.md', import.meta.url));
const text = readFileSync(DOC, 'utf8');
const lines = text.split('\n');
const STATUSES = ['supported', 'differs', 'not supported'];

interface Row {
  readonly feature: string;
  readonly status: string;
  readonly line: number;
  /** backticked names in the feature cell (`serial`, `with_items`; not `lookup()` or `roles:`) */
  readonly names: string[];
}
interface Table {
  /** from a `<!-- table: KIND -->` comment right above the table */
  readonly kind?: string;
  readonly rows: Row[];
}

function cells(line: string): string[] {
  return line
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

function tables(): Table[] {
  const out: Table[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\|\s*feature\s*\|\s*status\s*\|\s*notes\s*\|$/.test(lines[i]!)) continue;
    let j = i - 1;
    while (j >= 0 && lines[j]!.trim() === '') j--;
    const kind = /^<!-- table: (\w+) -->$/.exec(lines[j] ?? '')?.[1];
    const rows: Row[] = [];
    for (i += 2; i < lines.length && lines[i]!.startsWith('|'); i++) {
      const [feature = '', status = ''] = cells(lines[i]!);
      const names = [...feature.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).filter((n) => /^[A-Za-z_][\w.]*$/.test(n));
      rows.push({ feature, status, line: i + 1, names });
    }
    out.push({ ...(kind ? { kind } : {}), rows });
  }
  return out;
}

const all = tables();
const ofKind = (kind: string): Table[] => all.filter((t) => t.kind === kind);
const where = (r: Row): string => `docs/ansible-compatibility.md:${r.line}: ${r.feature}`;

describe('docs/ansible-compatibility.md tables', () => {
  it('every row has one of the three statuses', () => {
    expect(all.length).toBeGreaterThan(8);
    for (const t of all) for (const r of t.rows) expect(STATUSES, where(r)).toContain(r.status);
  });

  it('(1) every keyword runbook refuses is in a `not supported` row', () => {
    const refused = new Set(all.flatMap((t) => t.rows.filter((r) => r.status === 'not supported').flatMap((r) => r.names)));
    const missing = Object.keys(UNSUPPORTED_KEYWORDS).filter((k) => !refused.has(k));
    expect(missing).toEqual([]);
  });

  it('(2) supported keyword rows name keywords the loader accepts or modules', () => {
    const known = new Set([...PLAY_KEYWORDS, ...TASK_KEYWORDS, ...BLOCK_KEYWORDS, ...INCLUDE_KEYWORDS]);
    const catalog = moduleCatalog();
    const keywordTables = ofKind('keywords');
    expect(keywordTables.length).toBeGreaterThanOrEqual(2);
    for (const r of keywordTables.flatMap((t) => t.rows).filter((x) => x.status === 'supported')) {
      expect(r.names.length, where(r)).toBeGreaterThan(0);
      for (const n of r.names) expect(known.has(n) || catalog.canonical(n) !== undefined, `${where(r)}: ${n}`).toBe(true);
    }
  });

  it('(2) module rows: runbook modules, and refused ones that runbook knows are Ansible-only', () => {
    const catalog = moduleCatalog();
    const [modules] = ofKind('modules');
    expect(modules).toBeDefined();
    for (const r of modules!.rows) {
      for (const n of r.names) {
        if (r.status === 'not supported') expect(catalog.isAnsibleOnly(n), `${where(r)}: ${n}`).toBe(true);
        else expect(catalog.canonical(n), `${where(r)}: ${n}`).toBeDefined();
      }
    }
    // every runbook module that is not runbook's own (etcd_*) is in a row
    const documented = new Set(modules!.rows.filter((r) => r.status !== 'not supported').flatMap((r) => r.names));
    expect(catalog.names().filter((m) => !m.startsWith('etcd_') && !documented.has(m))).toEqual([]);
    expect(isAnsibleOnly('yum')).toBe(true);
  });

  it('(3) the lookup plugins listed are exactly LOOKUPS', () => {
    const [lookups] = ofKind('lookups');
    expect(lookups).toBeDefined();
    const listed = lookups!.rows.filter((r) => r.status !== 'not supported').flatMap((r) => r.names);
    expect([...listed].sort()).toEqual([...LOOKUPS].sort());
    const refused = lookups!.rows.filter((r) => r.status === 'not supported').flatMap((r) => r.names);
    for (const n of refused) expect(LOOKUPS.has(n), n).toBe(false);
  });
});

interface Example {
  readonly line: number;
  readonly yaml: string;
  readonly expect: { ok: true } | { ok: false; error: string };
  readonly files: Record<string, string>;
}

/** ```yaml blocks preceded by `<!-- validate: ... -->` (and optionally `<!-- files: ... -->`) */
function examples(): Example[] {
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```yaml') continue;
    let validate: Example['expect'] | undefined;
    let files: Record<string, string> = {};
    for (let j = i - 1; j >= 0 && lines[j]!.startsWith('<!-- '); j--) {
      const v = /^<!-- validate: (ok|error "(.*)") -->$/.exec(lines[j]!);
      if (v) validate = v[1] === 'ok' ? { ok: true } : { ok: false, error: v[2]! };
      const f = /^<!-- files: (.*) -->$/.exec(lines[j]!);
      if (f)
        files = Object.fromEntries([...f[1]!.matchAll(/([\w./-]+)=("(?:[^"\\]|\\.)*")/g)].map((m) => [m[1]!, JSON.parse(m[2]!) as string]));
    }
    const end = lines.indexOf('```', i + 1);
    if (validate) out.push({ line: i + 1, yaml: lines.slice(i + 1, end).join('\n') + '\n', expect: validate, files });
    i = end;
  }
  return out;
}

describe('(4) the yaml examples give the outcome the doc says', () => {
  const root = mkdtempSync(join(tmpdir(), 'runbook-compat-doc-'));
  const list = examples();

  it('covers roles, import_playbook, include_vars, vars_prompt and at least 3 refusals', () => {
    expect(list.length).toBeGreaterThanOrEqual(6);
    const ok = list
      .filter((e) => e.expect.ok)
      .map((e) => e.yaml)
      .join('\n');
    for (const what of ['roles:', 'import_role', 'include_role', 'import_playbook', 'include_vars', 'vars_prompt'])
      expect(ok).toContain(what);
    expect(list.filter((e) => !e.expect.ok).length).toBeGreaterThanOrEqual(3);
  });

  it.each(list.map((e) => [e.line, e] as const))('example at line %i', (line, e) => {
    const dir = mkdtempSync(join(root, `l${line}-`));
    for (const [name, body] of Object.entries({ ...e.files, 'site.yml': e.yaml })) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), body);
    }
    const r = loadPlaybook('site.yml', moduleCatalog(), dir);
    const errors = r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.pos.file}:${d.pos.line}: ${d.message}`);
    if (e.expect.ok) {
      expect(errors).toEqual([]);
      expect(r.playbook).toBeDefined();
    } else {
      expect(r.playbook).toBeUndefined();
      expect(errors.join('\n')).toContain(e.expect.error);
    }
  });
});

describe('(5) magic variables', () => {
  it('the doc lists exactly the magic variables a run provides (in a role, in a rescue)', async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  roles: [r]
  tasks:
    - block:
        - fail: msg=boom
      rescue:
        - debug: msg="{{ ansible_failed_task.name | default('') }}"
`,
      localHosts(1),
      // (q, brought by an import_role inside r, has ansible_parent_role_names; ansible_limit is there with a limit)
      {
        limit: 'h1',
        files: {
          'roles/r/tasks/main.yml': '- debug: msg="{{ role_name }}"\n- import_role: name=q\n',
          'roles/q/tasks/main.yml': '- debug: msg=q\n',
        },
      },
    );
    expect(r.exitCode).toBe(0);
    const functions = new Set([...seen].filter(([, v]) => templateFunctionOf(v) !== undefined).map(([k]) => k));
    const variables = new Set([...seen.keys()].filter((k) => !functions.has(k)));
    const [magic] = ofKind('magic');
    expect(magic).toBeDefined();
    const documented = magic!.rows.filter((x) => x.status !== 'not supported').flatMap((x) => x.names);
    expect([...documented].sort()).toEqual([...variables].sort());
    // names documented as missing really are missing
    for (const n of magic!.rows.filter((x) => x.status === 'not supported').flatMap((x) => x.names))
      expect(variables.has(n), n).toBe(false);
    // the functions (lookup, query, q) and the template built-ins are in the functions table
    const fnTable = all.find((t) => t.rows.some((x) => x.feature.includes('`range()`')));
    const fns = new Set(
      fnTable!.rows.filter((x) => x.status === 'supported').flatMap((x) => [...x.feature.matchAll(/`(\w+)\(/g)].map((m) => m[1]!)),
    );
    for (const f of functions) expect(fns.has(f), f).toBe(true);
    for (const f of fns) expect(functions.has(f) || builtinFunction(f) !== undefined, f).toBe(true);
  });
});
