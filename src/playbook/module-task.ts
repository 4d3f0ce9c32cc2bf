// One task that runs a module: which of its keys is the module (a built-in, one run through
// ansible-core's code, a typo of a keyword or of a module's name), its arguments, its keywords.
// Apart from tasks.ts, which walks the task list (blocks, includes, role tasks) and hands each
// plain task here.
import { join } from 'node:path';
import type { YAMLMap } from 'yaml';
import { suggest } from '../core/suggest.js';
import { warning } from '../core/diagnostic.js';
import type { LoadContext } from './context.js';
import { TASK_KEYWORDS } from './keywords.js';
import type { Task } from './model.js';
import { controllerSourceExists, searchBases } from './controller-files.js';
import { conditions } from './guards.js';
import { keywords, loopOf, stringList } from './task-keywords.js';
import { checkSchema, checkTemplates } from './checks.js';
import { diagAt, keyNode, posOf, valueNode, type YamlSource } from '../core/yaml-source.js';
import { moduleArgs } from './module-args.js';

type Raw = Record<string, unknown>;

/** The library/ dirs Ansible searches for a task's module: its role's, then the playbook's. */
function libraryDirs(ctx: LoadContext, baseDir: string): string[] {
  return [...new Set([...(ctx.currentRole ? [join(ctx.currentRole.path, 'library')] : []), join(ctx.playDir ?? baseDir, 'library')])];
}

export function parseModuleTask(ctx: LoadContext, src: YamlSource, node: YAMLMap, raw: Raw, baseDir: string): Task | undefined {
  const keys = Object.keys(raw);
  const candidates = keys.filter((k) => !TASK_KEYWORDS.has(k));
  const modules: string[] = [];
  let ok = true;
  const dirs = libraryDirs(ctx, baseDir);
  const builtinAmong = candidates.some((k) => ctx.catalog.canonical(k));
  // a collection's module in what an include brings: Ansible meets it only when the include runs
  const dynamic = ctx.dynamic > 0;
  const guardsNow = [...ctx.guards, ...conditions(raw['when']).map(String)];
  // the task built below: a module refused under a `when` becomes `fail` with the reason (answered after loading)
  let built: { module: string; args: Record<string, unknown>; name?: string } | undefined;
  let refusal: string | undefined;
  const refuse = (msg: string): void => {
    refusal = msg;
    if (built) {
      if (built.name === undefined) built.name = written;
      built.module = 'fail';
      built.args = { msg };
    }
  };
  for (const k of candidates) {
    const unknown = (): void => {
      const collection = /^([A-Za-z]\w*\.[A-Za-z]\w*)\.\w+$/.exec(k)?.[1];
      if (dynamic && collection && !/^ansible\.(builtin|legacy)$/.test(collection)) {
        ctx.add(
          warning(
            posOf(src, keyNode(node, k)),
            `module '${k}' is not found (is the collection '${collection}' installed?); it is in a file an include brings in, which Ansible reads only when it runs: a host that reaches this task fails`,
          ),
        );
        return;
      }
      const bare = k.replace(/^ansible\.(builtin|legacy)\./, '');
      const kw = bare === k ? suggest(k, TASK_KEYWORDS) : undefined;
      const mod = suggest(bare, ctx.catalog.names());
      if (kw && (!mod || candidates.length > 1))
        ctx.add(diagAt(src, keyNode(node, k), `unknown task keyword '${k}' (did you mean '${kw}'?)`));
      else ctx.add(diagAt(src, keyNode(node, k), `unknown module '${k}'${mod ? ` (did you mean '${mod}'?)` : ''}`));
    };
    // beside a built-in module, or close to a task keyword, an unknown key is a typo, not a module
    const typo = builtinAmong || (candidates.length > 1 && suggest(k, TASK_KEYWORDS) !== undefined);
    const v = ctx.catalog.canonical(k) || !typo ? ctx.catalog.verdict(k, dirs) : ({ kind: 'unknown' } as const);
    switch (v.kind) {
      case 'builtin':
        modules.push(k);
        continue;
      case 'ansible':
        // looked up with every other such name when the whole playbook is read (one Python call)
        modules.push(k);
        ctx.deferModule(k, dirs, {
          missing: (why) => {
            const newer = ctx.catalog.newerCore?.(k);
            // in what an include brings, syntax-check (2.14) does not see it: the include fails when it runs, as Ansible's
            if (newer && /^no module of that name$/.test(why) && dynamic)
              ctx.add(
                warning(
                  posOf(src, keyNode(node, k)),
                  `module '${k}' is ansible-core ${newer}'s and the ansible-core installed here does not have it: the include that brings this file fails when it runs`,
                ),
              );
            else if (newer && /^no module of that name$/.test(why))
              ctx.add(
                diagAt(
                  src,
                  keyNode(node, k),
                  `module '${k}' is ansible-core ${newer}'s and the ansible-core installed here does not have it (Ansible 2.14: couldn't resolve module/action)`,
                ),
              );
            else if (/^no module of that name$/.test(why)) unknown();
            // the include is loaded again when it runs, and then this is an error that fails the host
            else if (dynamic)
              ctx.add(
                warning(
                  posOf(src, keyNode(node, k)),
                  `module '${k}': ${why}; it is in a file an include brings in, which Ansible reads only when it runs: a host that reaches this task fails`,
                ),
              );
            else if (guardsNow.length > 0 && candidates.length === 1) {
              ctx.add(
                warning(
                  posOf(src, keyNode(node, k)),
                  `module '${k}': ${why}; this task runs only when ${guardsNow.map((g) => `'${g}'`).join(' and ')}: a host that gets there fails`,
                ),
              );
              refuse(`module '${k}': ${why}`);
            } else ctx.add(diagAt(src, keyNode(node, k), `module '${k}': ${why}`));
          },
        });
        continue;
      case 'not-runnable': {
        const guards = [...ctx.guards, ...conditions(raw['when']).map(String)];
        if (guards.length > 0 && candidates.length === 1) {
          // a branch a host may never reach (an include for RedHat...): warn now, fail only if reached
          ctx.add(
            warning(
              posOf(src, keyNode(node, k)),
              `${v.message}; this task runs only when ${guards.map((g) => `'${g}'`).join(' and ')}: a host that gets there fails`,
            ),
          );
          return {
            kind: 'task',
            ...keywords(ctx, src, node, raw),
            name: typeof raw['name'] === 'string' ? raw['name'] : k,
            module: 'fail',
            args: { msg: v.message },
            notify: [],
            listen: [],
            file: src.file,
          } as Task;
        }
        ok = false;
        ctx.add(diagAt(src, keyNode(node, k), v.message));
        continue;
      }
      case 'unknown':
        ok = false;
        if (k.startsWith('with_'))
          ctx.add(
            diagAt(
              src,
              keyNode(node, k),
              `loop '${k}' is not supported: lookup plugin '${k.slice(5)}' is not built in (write 'loop:' with a filter)`,
            ),
          );
        else unknown();
        continue;
    }
  }
  if (modules.length > 1) {
    ctx.add(
      diagAt(src, keyNode(node, modules[1]!), `a task runs exactly one module; this one has ${modules.map((m) => `'${m}'`).join(' and ')}`),
    );
    return undefined;
  }
  if (modules.length === 0) {
    if (ok) ctx.add(diagAt(src, node, `this task has no module (keys: ${keys.join(', ') || 'none'}); add one, e.g. 'command: ...'`));
    return undefined;
  }
  const written = modules[0]!;
  // a module run through Ansible's code keeps its name as written (ansible-core resolves it)
  const module = ctx.catalog.canonical(written) ?? written;
  if (module === 'reboot') {
    // loads and plans (check mode predicts it, as Ansible); only a real run reaching it fails
    ctx.add(
      warning(
        posOf(src, keyNode(node, written)),
        'reboot: runbook does not reboot hosts; --check predicts it as Ansible does, and a host that reaches it in a real run fails (reboot it yourself)',
      ),
    );
  }
  const keysOnly = { ...raw };
  delete keysOnly[written];
  ok = checkSchema(ctx, src, node, keysOnly, 'playbook.json#/definitions/task') && ok;
  let runAs = module;
  const viaAnsible = (names: string[]): boolean => {
    const via = ctx.catalog.viaAnsible?.(module);
    if (!via) return false;
    runAs = via;
    const what = names.map((n) => `'${n}'`).join(', ');
    ctx.add(
      warning(
        posOf(src, keyNode(node, written)),
        `module '${written}': ${what} is not an argument of runbook's built-in ${module}: this task runs through Ansible's module code`,
      ),
    );
    ctx.deferModule(`ansible.builtin.${module}`, dirs, {
      missing: (why) => {
        const msg = `module '${written}': ${what} is not an argument of runbook's built-in ${module}, and Ansible's: ${why}`;
        // under a `when`, as a refused module there: Ansible finds it (Unsupported parameters) only on a host that gets there
        if (guardsNow.length > 0 && candidates.length === 1) {
          const when = guardsNow.map((g) => `'${g}'`).join(' and ');
          ctx.add(warning(posOf(src, keyNode(node, written)), `${msg}; this task runs only when ${when}: a host that gets there fails`));
          refuse(msg);
        } else ctx.add(diagAt(src, keyNode(node, written), msg));
      },
    });
    return true;
  };
  const args = moduleArgs(ctx, src, node, raw, written, module, refuse, viaAnsible, candidates.length === 1 ? guardsNow : []);
  ok = args !== undefined && ok;
  checkTemplates(
    ctx,
    src,
    node,
    [],
    ctx.catalog.expressionArgs(module).map((a) => [written, a]),
  );
  if (!ok || !args) return undefined;
  if (!controllerSourceExists(ctx, module, args, baseDir, conditions(raw['when']).map(String))) {
    const at = valueNode(valueNode(node, written), 'src') ?? valueNode(node, written) ?? node;
    ctx.add(
      diagAt(
        src,
        at,
        `${module}: source file not found: '${String(args['src'])}' (looked in ${searchBases(ctx, baseDir)
          .map((d) => ctx.display(join(d, module === 'template' ? 'templates' : 'files')))
          .join(', ')} and beside them)`,
      ),
    );
    return undefined;
  }
  const task = {
    kind: 'task',
    ...keywords(ctx, src, node, raw),
    // unnamed, its banner is the module as written, also when it fails as refused or runs through Ansible's code
    ...(raw['name'] === undefined && runAs !== module ? { name: written } : {}),
    module: runAs,
    ...(written !== runAs ? { action: written } : {}),
    args,
    notify: typeof raw['notify'] === 'string' ? [raw['notify']] : stringList(raw['notify']),
    listen: typeof raw['listen'] === 'string' ? [raw['listen']] : stringList(raw['listen']),
    file: src.file,
    ...opt('register', raw['register']),
    ...opt('delegateFacts', raw['delegate_facts']),
    ...opt('async', raw['async']),
    ...opt('poll', raw['poll']),
    ...opt('retries', raw['retries']),
    ...opt('delay', raw['delay']),
    ...(raw['until'] !== undefined ? { until: conditions(raw['until']) } : {}),
    ...(raw['failed_when'] !== undefined ? { failedWhen: conditions(raw['failed_when']) } : {}),
    ...(raw['changed_when'] !== undefined ? { changedWhen: conditions(raw['changed_when']) } : {}),
    ...loopOf(raw),
  } as Task;
  void baseDir;
  built = task as unknown as { module: string; args: Record<string, unknown>; name?: string };
  if (refusal !== undefined) refuse(refusal);
  return task;
}

function opt(key: string, v: unknown): Record<string, unknown> {
  return v === undefined || v === null ? {} : { [key]: v };
}
