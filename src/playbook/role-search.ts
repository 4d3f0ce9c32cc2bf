// Where a role is found, in Ansible's order (RoleDefinition._load_role_path): the collection
// search list for a short name, the role directories (the including role's siblings, the
// play's roles/, the roles path, the play's directory), NS.COLL.NAME in the collections path.
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { LoadContext } from './context.js';
import type { RoleScope } from './model.js';

/** Where a role is looked for, in Ansible's order. */
export function roleSearchDirs(ctx: LoadContext, playDir: string, parent?: RoleScope): string[] {
  const dirs = [join(playDir, 'roles'), ...ctx.rolesPath, playDir];
  if (parent) dirs.unshift(dirname(parent.path)); // sibling roles first
  return [...new Set(dirs)];
}

/** NS.NAME.role in the first collection directory that has it (Ansible's collection search). */
function findCollectionRole(name: string, collectionsPath: readonly string[]): string | undefined {
  const m = /^([a-z0-9_]+)\.([a-z0-9_]+)\.([a-z0-9_]+)$/i.exec(name);
  if (!m) return undefined;
  const [, ns, coll, role] = m;
  for (const base of collectionsPath) {
    const root = base.endsWith('/ansible_collections') || base.endsWith('ansible_collections') ? base : join(base, 'ansible_collections');
    const p = join(root, ns!, coll!, 'roles', role!);
    if (isDir(p)) return p;
  }
  return undefined;
}

const isDir = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();

function findRole(name: string, dirs: readonly string[], playDir: string): string | undefined {
  if (isAbsolute(name)) return isDir(name) ? name : undefined;
  // a relative path too is tried under each directory in Ansible's order, normalised first
  // (molecule's `roles: [../../../]` is the role itself, from <play dir>/roles)
  void playDir;
  return dirs.map((d) => resolve(d, name)).find(isDir);
}

/**
 * A role's directory as Ansible's RoleDefinition finds it: a short name is first tried in the
 * collection search list (the including collection role's own collection, then the play's
 * `collections:`), then in `dirs`; NS.COLL.NAME in the collections path.
 */
export function findRoleFor(
  ctx: LoadContext,
  name: string,
  dirs: readonly string[],
  playDir: string,
  parent?: RoleScope,
): string | undefined {
  if (!name.includes('.') && !name.includes('/')) {
    const own = parent?.fqcn ? [parent.fqcn.split('.').slice(0, 2).join('.')] : [];
    for (const c of new Set([...own, ...ctx.playCollections])) {
      const p = findCollectionRole(`${c}.${name}`, ctx.collectionsPath);
      if (p) return p;
    }
  }
  return findRole(name, dirs, playDir) ?? findCollectionRole(name, ctx.collectionsPath);
}

/** Where a role would be found, or why not (the directories looked in): for include_role's warning. */
export function locateRole(ctx: LoadContext, name: string, playDir: string, parent?: RoleScope): { path?: string; looked: string[] } {
  const dirs = roleSearchDirs(ctx, playDir, parent);
  const path = findRoleFor(ctx, name, dirs, playDir, parent);
  return { ...(path ? { path } : {}), looked: dirs.map((d) => ctx.display(d)) };
}
