// Files a task reads on the controller (template/copy `src`), checked when the playbook is
// loaded so a typo is a validate error, not a failure half-way through a run.
import { ansibleBoolean } from '../core/boolean.js';
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { LoadContext } from './context.js';
import { checkTemplateFile } from './checks.js';

type Raw = Record<string, unknown>;

/** Directories a controller-side `src` is searched in: the role's, then the play's. */
export function searchBases(ctx: LoadContext, baseDir: string): string[] {
  return [...new Set([...(ctx.currentRole ? [ctx.currentRole.path] : []), ctx.playDir ?? baseDir])];
}

/** A literal `src:` of template/copy/unarchive (controller side) must exist: a typo is caught by validate. */
export function controllerSourceExists(
  ctx: LoadContext,
  module: string,
  args: Raw,
  baseDir: string,
  when: readonly string[] = [],
): boolean {
  const s = args['src'];
  if (!['template', 'copy', 'unarchive'].includes(module) || typeof s !== 'string' || /\{\{|\{%/.test(s)) return true;
  if (module !== 'template' && ansibleBoolean(args['remote_src']) === true) return true;
  if (module === 'copy' && args['content'] !== undefined) return true;
  if (module === 'unarchive' && (args['copy'] === false || args['copy'] === 'no' || /^[a-z]+:\/\//.test(s))) return true;
  const sub = module === 'template' ? 'templates' : 'files';
  if (isAbsolute(s)) return true; // an absolute path may be created by an earlier task
  const found = searchBases(ctx, baseDir)
    .flatMap((d) => [join(d, sub, s), resolve(d, s)])
    .find((p) => existsSync(p));
  if (found && module === 'template') {
    ctx.touched.add(found); // its text may use facts
    checkTemplateFile(ctx, found, when);
  }
  return found !== undefined;
}
