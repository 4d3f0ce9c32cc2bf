// `file: state=directory recurse=yes`: the owner, group and mode of everything under a
// directory, as Ansible sets them (the same mode for files and directories).
import type { ModuleContext } from '../../types.js';
import type { WantedAttrs } from '../../support/files.js';
import { execOpts } from '../../support/exec.js';

/** true when some entry under `path` differs from `want` (find stops at the first) */
export async function recurseDiffers(ctx: ModuleContext, path: string, want: WantedAttrs): Promise<boolean> {
  const tests: string[] = [];
  if (want.owner !== undefined) tests.push('!', '-user', want.owner);
  if (want.group !== undefined) tests.push(...(tests.length ? ['-o'] : []), '!', '-group', want.group);
  // a symlink has no mode of its own (chmod -R passes them by): only the others are compared
  if (want.mode !== undefined)
    tests.push(...(tests.length ? ['-o'] : []), '(', '!', '-type', 'l', '!', '-perm', want.mode.toString(8).padStart(4, '0'), ')');
  if (tests.length === 0) return false;
  const r = await ctx.conn.exec(['find', path, '-mindepth', '1', '(', ...tests, ')', '-print', '-quit'], execOpts(ctx));
  return r.rc !== 0 || r.stdout.trim() !== '';
}

/** chown -R / chmod -R under `path` (not following symlinks); an error text or undefined */
export async function applyRecurse(ctx: ModuleContext, path: string, want: WantedAttrs): Promise<string | undefined> {
  if (want.owner !== undefined || want.group !== undefined) {
    const spec = `${want.owner ?? ''}${want.group !== undefined ? ':' + want.group : ''}`;
    const r = await ctx.conn.exec(['chown', '-R', '-P', '--', spec, path], execOpts(ctx));
    if (r.rc !== 0) return `chown -R failed on ${path}: ${(r.stderr || r.stdout).trim()}`;
  }
  if (want.mode !== undefined) {
    const r = await ctx.conn.exec(['chmod', '-R', '--', want.mode.toString(8).padStart(4, '0'), path], execOpts(ctx));
    if (r.rc !== 0) return `chmod -R failed on ${path}: ${(r.stderr || r.stdout).trim()}`;
  }
  return undefined;
}
