// group_vars/ and host_vars/ beside an inventory (Ansible's host_group_vars plugin): for each
// group and host of the inventory, the first of `<name>`, `<name>.yml`, `<name>.yaml`,
// `<name>.json` that exists; when that is a directory, every file in it (recursively, sorted,
// without hidden files and `~` backups, with one of those extensions or none), later files
// over earlier ones. Files for names the inventory lacks are ignored, as in Ansible.
import { openVaulted } from '../core/vault.js';
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { isMap } from 'yaml';
import type { LoadContext } from './load-context.js';
import { describeNode, diagAt, isEmptyNode, parseYaml, parsedOk, type YamlNode } from '../core/yaml-source.js';

const EXTENSIONS = ['', '.yml', '.yaml', '.json'];

/** Reads group_vars/ and host_vars/ under `dir` into the inventory's groups and hosts. */
export async function readVarsBeside(ctx: LoadContext, dir: string): Promise<void> {
  // without the directory no name has a file in it: not four failed stats a host (a fleet of 500)
  const isDir = async (d: string): Promise<boolean> => (await stat(d).catch(() => undefined))?.isDirectory() === true;
  if (await isDir(join(dir, 'group_vars'))) {
    for (const group of ctx.inv.groups.values()) {
      for (const file of await varsFilesOf(join(dir, 'group_vars'), group.name)) {
        Object.assign(group.fileVars, await readVarsFile(ctx, file));
      }
    }
  }
  if (!(await isDir(join(dir, 'host_vars')))) return;
  for (const host of ctx.inv.hosts.values()) {
    // host.vars already holds the inline vars; host_vars/ files rank above them
    for (const file of await varsFilesOf(join(dir, 'host_vars'), host.name)) {
      Object.assign(host.vars, await readVarsFile(ctx, file));
    }
  }
}

/** The files holding `name`'s variables under `dir`, in the order they apply. */
export async function varsFilesOf(dir: string, name: string): Promise<string[]> {
  // a name is a file name here, never a path (an inventory could name a group '../x')
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) return [];
  for (const ext of EXTENSIONS) {
    const path = join(dir, name + ext);
    const st = await stat(path).catch(() => undefined);
    if (!st) continue;
    return st.isDirectory() ? filesUnder(path) : [path];
  }
  return [];
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries: Dirent[] = await readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (e.name.startsWith('.') || e.name.endsWith('~')) continue;
    const path = join(dir, e.name);
    const ext = extname(e.name);
    if (e.isDirectory() && ext === '') out.push(...(await filesUnder(path)));
    else if (!e.isDirectory() && EXTENSIONS.includes(ext)) out.push(path);
  }
  return out;
}

async function readVarsFile(ctx: LoadContext, abs: string): Promise<Record<string, unknown>> {
  const text = ctx.read(abs);
  if (text === undefined) return {};
  const opened = openVaulted(text);
  if (!opened.ok) {
    ctx.errorAt(abs, opened.why);
    return {};
  }
  const parsed = parseYaml(ctx.display(abs), opened.text);
  ctx.add(parsed.diagnostics);
  if (!parsedOk(parsed)) return {};
  const root = parsed.source.doc.contents as YamlNode | null;
  if (isEmptyNode(root)) return {};
  if (!isMap(root)) {
    ctx.add([diagAt(parsed.source, root, `a vars file must hold a mapping of variable names to values, got ${describeNode(root)}`)]);
    return {};
  }
  return root.toJS(parsed.source.doc) as Record<string, unknown>;
}
