// `-i` → an Inventory, as Ansible reads its inventory sources:
//   - 'a,b,' (a comma and no such path): a list of hosts, all in 'ungrouped';
//   - a file: YAML (.yml .yaml .json), INI (.ini), otherwise recognised by its first line;
//   - a directory: every file in it, recursively and sorted, except hidden ones, group_vars/,
//     host_vars/, vars_plugins/ and ignored extensions (.orig .retry .cfg .md .txt .bak ...);
// then group_vars/ and host_vars/ beside each source (the directory itself, or the file's
// directory). Several sources may be given (an array, or paths joined with commas); they
// merge in order. Every problem becomes a diagnostic; all of them are thrown together.
import { openVaulted } from '../core/vault.js';
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { DiagnosticError, error, warning } from '../core/diagnostic.js';
import { placeHost, reconcile } from './graph.js';
import { parseHostEntry } from './host-pattern.js';
import { readIniInventory } from './ini-inventory.js';
import { LoadContext } from './load-context.js';
import { emptyInventory, UNGROUPED, type Inventory } from './model.js';
import { readVarsBeside } from './vars-files.js';
import { readYamlInventory } from './yaml-inventory.js';

type Source = { readonly kind: 'path'; readonly abs: string } | { readonly kind: 'host-list'; readonly text: string };

/** Ansible's INVENTORY_IGNORE_EXTS (ansible-core 2.19: .ini files are read, not skipped). */
const IGNORED_EXTENSIONS = ['.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst', '.orig', '.cfg', '.retry'];
const IGNORED_NAMES = new Set(['group_vars', 'host_vars', 'vars_plugins']);

/**
 * `playbookDir`: group_vars/ and host_vars/ beside the playbook are read too, after (over) the
 * inventory's, as ansible-playbook does.
 */
export async function loadInventory(
  spec: string | readonly string[],
  opts: { cwd?: string; playbookDir?: string } = {},
): Promise<Inventory> {
  const cwd = resolve(opts.cwd ?? '.');
  const inv = emptyInventory();
  const ctx = new LoadContext(cwd, inv);
  const sources: Source[] = [];
  for (const s of typeof spec === 'string' ? [spec] : spec) sources.push(...(await classify(ctx, s)));
  const varsDirs: string[] = [];
  for (const source of sources) {
    const known = inv.hosts.size;
    if (source.kind === 'host-list') {
      readHostList(ctx, source.text);
      firstMetIn(inv, known, source.text);
      continue;
    }
    const st = await stat(source.abs);
    if (st.isDirectory()) {
      const before = inv.sources.length;
      await readDirectory(ctx, source.abs);
      if (inv.sources.length === before)
        ctx.warnings.push(warning({ file: ctx.display(source.abs), line: 1, col: 1 }, 'no inventory files in this directory'));
      varsDirs.push(source.abs);
    } else {
      await readFile(ctx, source.abs);
      varsDirs.push(dirname(source.abs));
    }
  }
  reconcile(inv);
  if (opts.playbookDir !== undefined) varsDirs.push(resolve(cwd, opts.playbookDir));
  for (const dir of new Set(varsDirs)) await readVarsBeside(ctx, dir);
  if (ctx.errors.length > 0) throw new DiagnosticError(ctx.errors);
  inv.warnings?.push(...ctx.warnings);
  return inv;
}

/** One `-i` value → the sources it names, or a diagnostic when it names nothing. */
async function classify(ctx: LoadContext, spec: string): Promise<Source[]> {
  const exists = async (p: string) => (await stat(resolve(ctx.cwd, p)).catch(() => undefined)) !== undefined;
  if (!spec.endsWith(',') && (await exists(spec))) return [{ kind: 'path', abs: resolve(ctx.cwd, spec) }];
  if (spec.includes(',')) {
    const parts = spec
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '');
    // `-i a.yml -i b.yml` joined with commas reads both files; anything else is a host list
    if (!spec.endsWith(',') && parts.length > 1 && (await Promise.all(parts.map(exists))).every(Boolean)) {
      return parts.map((p) => ({ kind: 'path', abs: resolve(ctx.cwd, p) }));
    }
    return [{ kind: 'host-list', text: spec }];
  }
  ctx.errorAt(
    resolve(ctx.cwd, spec),
    "inventory not found: no such file or directory (for a list of hosts, end it with a comma: -i 'host1,')",
  );
  return [];
}

/** `-i 'web1,web2:2222,'`: each name (a port allowed, no ranges) into 'ungrouped'. */
function readHostList(ctx: LoadContext, text: string): void {
  let offset = 0;
  for (const part of text.split(',')) {
    const name = part.trim();
    if (name !== '') {
      const entry = parseHostEntry(name, false);
      if (!entry.ok) ctx.errors.push(error({ file: text, line: 1, col: offset + part.indexOf(name) + 1 }, entry.message));
      else {
        for (const h of entry.hosts) {
          const host = placeHost(ctx.inv, h, UNGROUPED);
          if (entry.port !== undefined) host.vars['ansible_port'] = entry.port;
        }
      }
    }
    offset += part.length + 1;
  }
}

/** Hosts added since the first `known` were first met in `source` (InventoryHost.source). */
function firstMetIn(inv: Inventory, known: number, source: string): void {
  let i = 0;
  for (const h of inv.hosts.values()) if (i++ >= known) h.source ??= source;
}

async function readDirectory(ctx: LoadContext, dir: string): Promise<void> {
  const entries: Dirent[] = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.') || IGNORED_NAMES.has(e.name)) continue;
    if (IGNORED_EXTENSIONS.some((x) => e.name.endsWith(x))) continue;
    const path = resolve(dir, e.name);
    if (e.name.endsWith('.ini')) {
      // Ansible's inventory_ignore_extensions: in a directory an .ini is not an inventory (give it with -i FILE)
      ctx.warnings.push(
        warning(
          { file: ctx.display(path), line: 1, col: 1 },
          'not read: ansible-playbook ignores .ini files in an inventory directory (-i this file to use it)',
        ),
      );
      continue;
    }
    const st = await stat(path).catch(() => undefined); // follows symlinks, as Ansible does
    if (st?.isDirectory()) await readDirectory(ctx, path);
    else if (st?.isFile()) await readFile(ctx, path);
  }
}

async function readFile(ctx: LoadContext, abs: string): Promise<void> {
  const read = ctx.read(abs);
  if (read === undefined) return;
  // an inventory file encrypted with ansible-vault is read decrypted, as Ansible's loader does
  const opened = openVaulted(read);
  if (!opened.ok) return ctx.errorAt(abs, opened.why);
  const text = opened.text;
  const known = ctx.inv.hosts.size;
  switch (formatOf(abs, text)) {
    case 'yaml':
      readYamlInventory(ctx, abs, text);
      firstMetIn(ctx.inv, known, abs);
      return;
    case 'ini':
      readIniInventory(ctx, abs, text);
      firstMetIn(ctx.inv, known, abs);
      return;
    case 'script':
      ctx.errorAt(
        abs,
        "inventory scripts are not supported: runbook reads static YAML and INI inventories (export one with 'ansible-inventory -i SCRIPT --list --yaml > hosts.yml')",
      );
      return;
  }
}

/** By extension; without a known one, by the first meaningful line (Ansible tries YAML, then INI). */
export function formatOf(path: string, text: string): 'yaml' | 'ini' | 'script' {
  const ext = extname(path).toLowerCase();
  if (ext === '.yml' || ext === '.yaml' || ext === '.json') return 'yaml';
  if (text.startsWith('#!')) return 'script';
  if (ext === '.ini') return 'ini';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    // `all:`, `etcd:   # comment`, `---`, `{...}` read as YAML; `[group]` and host lines as INI
    return line === '---' || line.startsWith('{') || /^[^\s=[#;]+:\s*(?:#.*)?$/.test(line) ? 'yaml' : 'ini';
  }
  return 'ini';
}
