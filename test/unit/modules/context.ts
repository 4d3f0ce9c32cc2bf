// A real ModuleContext for module tests: LocalConnection on this machine, temp directories.
// The template engine (src/template/index.ts) is written concurrently; when it is present its
// evaluate/evaluateBool/renderString are used, otherwise the small stand-ins below (they only
// understand what these tests need: names, dotted names, ==, !=, `is defined`, true/false,
// and {{ name }} substitution).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalConnection } from '../../../src/connection/local.js';
import { invokeModule } from '../../../src/executor/invoke.js';
import { coercedArgs } from '../../../src/modules/arguments.js';
import type { ModuleResult } from '../../../src/core/result.js';
import type { Module, ModuleContext, Prediction } from '../../../src/modules/types.js';

type Engine = {
  evaluate: (expr: string, scope: Record<string, unknown>) => unknown;
  evaluateBool: (expr: string | boolean, scope: Record<string, unknown>) => boolean;
  renderString: (text: string, scope: Record<string, unknown>) => string;
  renderFile: (text: string, scope: Record<string, unknown>, loader: (name: string) => string | undefined) => string;
};

let engine: Engine | undefined;
try {
  engine = (await import(/* @vite-ignore */ new URL('../../../src/template/index.ts', import.meta.url).href)) as Engine;
  if (typeof engine.evaluate !== 'function' || typeof engine.renderString !== 'function') engine = undefined;
} catch {
  engine = undefined;
}
export const usingRealTemplateEngine = engine !== undefined;

function lookup(name: string, vars: Record<string, unknown>): unknown {
  let cur: unknown = vars;
  for (const part of name.split('.')) {
    if (cur && typeof cur === 'object' && part in (cur as object)) cur = (cur as Record<string, unknown>)[part];
    else throw new Error(`'${name}' is undefined`);
  }
  return cur;
}

function literal(t: string, vars: Record<string, unknown>): unknown {
  const s = t.trim();
  if (/^(['"]).*\1$/.test(s)) return s.slice(1, -1);
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  if (s === 'true' || s === 'True') return true;
  if (s === 'false' || s === 'False') return false;
  return lookup(s, vars);
}

const standIn: Engine = {
  evaluate(expr, vars) {
    const m = /^(.*?)\s*(==|!=)\s*(.*)$/.exec(expr.trim());
    if (m) {
      const eq = literal(m[1]!, vars) === literal(m[3]!, vars);
      return m[2] === '==' ? eq : !eq;
    }
    const d = /^(\S+)\s+is\s+(not\s+)?defined$/.exec(expr.trim());
    if (d) {
      let def = true;
      try {
        lookup(d[1]!, vars);
      } catch {
        def = false;
      }
      return d[2] ? !def : def;
    }
    return literal(expr, vars);
  },
  evaluateBool(expr, vars) {
    return typeof expr === 'boolean' ? expr : Boolean(standIn.evaluate(expr, vars));
  },
  renderString(text, vars) {
    return text.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (_, e: string) => String(standIn.evaluate(e, vars)));
  },
  renderFile(text, vars) {
    return standIn.renderString(text, vars);
  },
};

const E = engine ?? standIn;

export interface Ctx extends ModuleContext {
  readonly dir: string;
}

const dirs: string[] = [];

export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'runbook-mod-'));
  dirs.push(d);
  return d;
}

export function cleanup(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function makeCtx(
  o: {
    checkMode?: boolean;
    diffMode?: boolean;
    vars?: Record<string, unknown>;
    playbookDir?: string;
    signal?: AbortSignal;
    env?: Record<string, string>;
  } = {},
): Ctx {
  const dir = tempDir();
  const vars = o.vars ?? {};
  return {
    dir,
    conn: new LocalConnection('localhost'),
    host: 'localhost',
    checkMode: o.checkMode ?? false,
    diffMode: o.diffMode ?? false,
    env: o.env ?? {},
    playbookDir: o.playbookDir ?? dir,
    vars,
    renderFile: (text, loader) => E.renderFile(text, vars, loader),
    evaluate: (expr) => E.evaluate(expr, vars),
    evaluateBool: (expr) => E.evaluateBool(expr, vars),
    ...(o.signal ? { signal: o.signal } : {}),
  };
}

/** The executor's own call sequence (check, then apply when predicted). */
export function run(module: Module, ctx: ModuleContext, args: Record<string, unknown>): Promise<ModuleResult & { predicted?: string }> {
  return invokeModule(module, ctx, args);
}

export function check(module: Module, ctx: ModuleContext, args: Record<string, unknown>): Promise<Prediction> {
  return module.check(ctx, coercedArgs(module.name, args));
}
