// ansible.builtin.include_vars: variables from YAML/JSON files on the controller, for the host
// the task runs on. Read-only: it changes nothing and runs in check mode too.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { readBounded, refusalLine } from '../../core/read-bounded.js';
import { failed, ok } from '../../core/result.js';
import { ANSIBLE_YAML } from '../../core/yaml-ansible.js';
import { openVaulted } from '../../core/vault.js';
import type { IncludeVarsArgs } from '../generated/args.js';
import type { Module, ModuleContext } from '../types.js';

const includeVars: Module<IncludeVarsArgs, never> = {
  name: 'include_vars',
  freeForm: 'file',
  controllerOnly: true,
  readOnly: true,
  factsLevel: 'include-vars',
  check(ctx, args) {
    return Promise.resolve({ kind: 'unchanged', result: load(ctx, args) });
  },
  apply() {
    return Promise.resolve(ok());
  },
};

export default includeVars;

function load(ctx: ModuleContext, args: IncludeVarsArgs): ReturnType<typeof ok> {
  if ((args.file === undefined) === (args.dir === undefined)) return failed('include_vars needs exactly one of file or dir');
  const dirs = searchDirs(ctx);
  const files: string[] = [];
  if (args.file !== undefined) {
    const path = find(dirs, args.file, 'vars', (p) => statSync(p).isFile());
    if (!path) return failed(`Could not find or access '${args.file}' (looked in ${dirs.flatMap((d) => [join(d, 'vars'), d]).join(', ')})`);
    files.push(path);
  } else {
    const dir = find(dirs, args.dir!, 'vars', (p) => statSync(p).isDirectory());
    if (!dir) return failed(`Could not find directory '${args.dir}' (looked in ${dirs.flatMap((d) => [join(d, 'vars'), d]).join(', ')})`);
    const exts = (args.extensions ?? ['yaml', 'yml', 'json']).map((e) => `.${e.replace(/^\./, '')}`);
    let matching: RegExp | undefined;
    let ignore: RegExp[];
    try {
      matching = args.files_matching ? new RegExp(args.files_matching) : undefined;
      ignore = (typeof args.ignore_files === 'string' ? [args.ignore_files] : (args.ignore_files ?? [])).map((r) => new RegExp(r));
    } catch (e) {
      return failed(`include_vars: bad regular expression: ${(e as Error).message}`);
    }
    for (const f of walk(dir, args.depth ?? 0)) {
      const base = f.split('/').pop()!;
      if (!exts.includes(extname(f))) continue;
      if (matching && !matching.test(base)) continue;
      if (ignore.some((r) => r.test(base))) continue;
      files.push(f);
    }
  }
  const vars: Record<string, unknown> = {};
  for (const f of files) {
    const read = readBounded(f);
    if (!read.ok) return failed(`include_vars: ${refusalLine(shown(ctx, f), read.why)}`);
    const opened = openVaulted(read.text);
    if (!opened.ok) return failed(`include_vars: ${shown(ctx, f)}: ${opened.why}`);
    let data: unknown;
    try {
      data = parse(opened.text, ANSIBLE_YAML);
    } catch (e) {
      return failed(`include_vars: ${shown(ctx, f)}: ${(e as Error).message.split('\n')[0]}`);
    }
    if (data === null || data === undefined) continue;
    if (typeof data !== 'object' || Array.isArray(data)) return failed(`include_vars: ${shown(ctx, f)} must hold a mapping of variables`);
    Object.assign(vars, data);
  }
  const facts = args.name ? { [args.name]: vars } : vars;
  return ok({ ansible_facts: facts, data: { ansible_included_var_files: files } });
}

function searchDirs(ctx: ModuleContext): string[] {
  return ctx.roleDir ? [ctx.roleDir, ctx.playbookDir] : [ctx.playbookDir];
}

function find(dirs: readonly string[], name: string, sub: string, is: (p: string) => boolean): string | undefined {
  const candidates = isAbsolute(name) ? [name] : dirs.flatMap((d) => [join(d, sub, name), resolve(d, name)]);
  return candidates.find((p) => existsSync(p) && is(p));
}

/** every file under dir, sorted by path, at most `depth` levels down (0 = no limit) */
function walk(dir: string, depth: number, level = 1): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) {
      if (depth === 0 || level < depth) out.push(...walk(p, depth, level + 1));
    } else if (st.isFile()) out.push(p);
  }
  return out;
}

function shown(ctx: ModuleContext, f: string): string {
  const r = relative(ctx.playbookDir, f);
  return r.startsWith('..') ? f : r;
}
