import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CATALOG, loadModule, moduleCatalog } from '../../../src/modules/catalog.js';
import { LOADERS } from '../../../src/modules/registry.js';
import { ANSIBLE_ONLY } from '../../../src/modules/ansible-only.js';
import { COERCION } from '../../../src/modules/generated/coercion.js';
// @ts-expect-error plain ESM script without types
import { renderModuleDocs } from '../../../scripts/gen-module-docs.mjs';

const ROOT = join(import.meta.dirname, '../../..');
const schema = (name: string): Record<string, any> => JSON.parse(readFileSync(join(ROOT, 'schemas/modules', `${name}.json`), 'utf8'));
const cat = moduleCatalog();

describe('module catalog', () => {
  it('canonicalises names and prefixes', () => {
    expect(cat.canonical('command')).toBe('command');
    expect(cat.canonical('ansible.builtin.copy')).toBe('copy');
    expect(cat.canonical('ansible.legacy.shell')).toBe('shell');
    expect(cat.canonical('ansible.builtin.systemd_service')).toBe('systemd');
    expect(cat.canonical('ansible.builtin.apt')).toBe('apt');
    expect(cat.canonical('ansible.posix.synchronize')).toBe('synchronize');
    expect(cat.canonical('yum')).toBeUndefined();
    expect(cat.canonical('toString')).toBeUndefined();
  });

  it('knows the Ansible modules it does not implement', () => {
    for (const n of ['yum', 'ansible.builtin.dnf', 'win_copy', 'community.general.ufw', 'sysctl']) expect(cat.isAnsibleOnly(n)).toBe(true);
    for (const n of [
      'command',
      'ansible.builtin.copy',
      'comand',
      'apt',
      'package',
      'ansible.builtin.user',
      'group',
      'uri',
      'ansible.builtin.uri',
      'synchronize',
      'ansible.posix.synchronize',
    ])
      expect(cat.isAnsibleOnly(n)).toBe(false);
    expect(ANSIBLE_ONLY.length).toBeGreaterThan(100);
    for (const n of ANSIBLE_ONLY) expect(cat.canonical(n)).toBeUndefined();
  });

  it('has a schema, a loader and a module per name; the static table equals the schema', async () => {
    const files = readdirSync(join(ROOT, 'schemas/modules'))
      .map((f) => f.replace(/\.json$/, ''))
      .sort();
    expect([...cat.names()].sort()).toEqual(files);
    expect(Object.keys(LOADERS).sort()).toEqual(files);
    for (const name of files) {
      const s = schema(name);
      expect(s.title).toBe(name);
      expect(typeof s.description).toBe('string');
      expect([...cat.argNames(name)].sort()).toEqual(Object.keys(s.properties).sort());
      for (const [k, p] of Object.entries<Record<string, unknown>>(s.properties))
        expect(typeof p['description'], `${name}.${k}`).toBe('string');
      if (CATALOG[name]!.open) expect(typeof s.additionalProperties).toBe('object');
      else expect(s.additionalProperties).toBe(false);
      expect(cat.freeForm(name)).toBe(s['x-free-form']);
      expect([...cat.expressionArgs(name)]).toEqual(s['x-expression-args'] ?? []);
      const m = await loadModule(name);
      expect(m.name).toBe(name);
      expect(m.freeForm).toBe(cat.freeForm(name));
    }
    expect(await loadModule('ansible.builtin.debug')).toBe(await loadModule('debug'));
    // not built in: Ansible's module code runs it (test/unit/modules/ansible-fallback.test.ts)
    expect((await loadModule('yum')).name).toBe('yum');
  });

  it('every schema argument is handled by the module code (its file or the support files it imports)', () => {
    for (const name of cat.names()) {
      // the module's file as the registry imports it, plus the local files it imports
      const registry = readFileSync(join(ROOT, 'src/modules/generated/loaders.ts'), 'utf8');
      const rel = new RegExp(`^  ${name}: \\(\\) => import\\('\\.\\./([a-z_/-]+)\\.js'\\)`, 'm').exec(registry)?.[1];
      expect(rel, `${name} is in the registry`).toBeDefined();
      const file = join(ROOT, 'src/modules', `${rel}.ts`);
      const own = readFileSync(file, 'utf8');
      let text = own;
      // (a module of several files is a folder, builtin/<name>/index.ts: its support is ../../support/)
      for (const m of own.matchAll(/from '\.\/([a-z_-]+)\.js'/g)) text += readFileSync(join(dirname(file), `${m[1]}.ts`), 'utf8');
      const support = join(ROOT, 'src/modules/support');
      for (const m of text.matchAll(/from '((?:\.\.\/)+support\/[a-z-]+)\.js'/g)) {
        const dep = join(dirname(file), `${m[1]}.ts`);
        expect(dirname(dep), `${name}: ${m[1]} is in src/modules/support`).toBe(support);
        text += readFileSync(dep, 'utf8');
      }
      // an alias the schema coercion copies to its target (src/schema/coerce.ts) is handled where the target is
      const aliases = COERCION[name]?.aliases ?? {};
      for (const arg of cat.argNames(name)) {
        const handledAs = aliases[arg] ?? arg;
        expect(new RegExp(`\\b${handledAs}\\b`).test(text), `${name}: argument '${arg}' not handled`).toBe(true);
      }
    }
  });

  it('checks arguments: unknown keys with a did-you-mean, types, enums, required', () => {
    const unknown = cat.checkArgs('copy', { dest: '/x', contnet: 'y' });
    expect(unknown).toEqual([{ path: ['contnet'], atKey: true, message: "unknown argument 'contnet' (did you mean 'content'?)" }]);
    expect(cat.checkArgs('lineinfile', { path: '/x', line: 'a', regxp: '^a' })[0]?.message).toBe(
      "unknown argument 'regxp' (did you mean 'regexp'?)",
    );
    expect(cat.checkArgs('file', { path: '/x', state: 'hardlink' })[0]?.message).toMatch(
      /'state' must be one of: file, directory, absent, touch, link, hard/,
    );
    expect(cat.checkArgs('file', { path: '/x', mode: 'u+q' })).toHaveLength(1);
    // get_url takes a symbolic mode as file does (ansible-lockdown RHEL9-CIS: mode: 'u+x,go-w')
    expect(cat.checkArgs('get_url', { url: 'https://x/y', dest: '/x', mode: 'u+x,go-w' })).toEqual([]);
    expect(cat.checkArgs('get_url', { url: 'https://x/y', dest: '/x', mode: 'u+q' })).toHaveLength(1);
    expect(cat.checkArgs('wait_for', { port: 'eighty' })).toHaveLength(1);
    expect(cat.checkArgs('copy', { content: 'x' })[0]?.message).toBe("missing required key 'dest'");
    expect(cat.checkArgs('command', { cmd: 'ls -l', creates: '/x' })).toEqual([]);
    expect(cat.checkArgs('copy', { dest: '/x', content: 'y', mode: '0644', backup: 'yes', force: true })).toEqual([]);
    expect(cat.checkArgs('set_fact', { anything: 1, nested: { a: 1 } })).toEqual([]);
    expect(cat.checkArgs('set_fact', { 'bad-name': 1 })).not.toEqual([]);
    expect(cat.checkArgs('add_host', { name: 'h', groups: 'a,b', ansible_host: '1.2.3.4' })).toEqual([]);
  });

  it('accepts templates where other types are expected before rendering, but not after (strict)', () => {
    const args = { path: '/x', state: '{{ wanted_state }}', mode: '{{ m }}', force: '{{ f }}' };
    expect(cat.checkArgs('file', args)).toEqual([]);
    expect(cat.checkArgs('command', { argv: '{{ cmd_list }}' })).toEqual([]);
    expect(cat.checkArgs('command', { argv: '{{ cmd_list }}' }, { strict: true })).not.toEqual([]);
    expect(cat.checkArgs('file', { path: '/x', state: 'absent', unknown_key: '{{ x }}' })[0]?.atKey).toBe(true);
    // after rendering, Ansible-style strings for booleans and numbers still pass
    expect(cat.checkArgs('wait_for', { port: '2379', timeout: '30', delay: 1.5 }, { strict: true })).toEqual([]);
    expect(cat.checkArgs('copy', { dest: '/x', content: 'y', force: 'no' }, { strict: true })).toEqual([]);
  });

  it('moduleCatalog() does not load module code', async () => {
    // the catalog module's own imports: no builtin module is referenced statically
    const src = ['catalog.ts', 'registry.ts', 'generated/loaders.ts']
      .map((f) => readFileSync(join(ROOT, 'src/modules', f), 'utf8'))
      .join('');
    expect(src).not.toMatch(/^import .*builtin/m);
  });

  it('docs/modules.md is generated from the schemas and up to date', () => {
    const text = renderModuleDocs(ROOT) as string;
    expect(readFileSync(join(ROOT, 'docs/modules.md'), 'utf8')).toBe(text);
    for (const name of cat.names()) expect(text).toContain(`## ${name}\n`);
    expect(text).toContain('`yum`');
  });
});
