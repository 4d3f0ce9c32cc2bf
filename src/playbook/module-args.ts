// A task's module arguments: the free form, k=v words and `args:` merged, checked against the
// module's schema with each problem placed at its node (moved out of tasks.ts).
import { isMap, isSeq, type YAMLMap } from 'yaml';
import { isPlainObject } from '../core/plain-object.js';
import type { LoadContext } from './context.js';
import { parseFreeForm } from './free-form.js';
import { warning } from '../core/diagnostic.js';
import { isTemplate } from '../template/index.js';
import { describeNode, diagAt, keyNode, posOf, valueNode, type YamlNode, type YamlSource } from '../core/yaml-source.js';

type Raw = Record<string, unknown>;

/** Ansible's name for a module's arguments given as one template: rendered to a mapping when the task runs. */
export const VARIABLE_PARAMS = '_variable_params';

/** Arguments ansible-core has removed, with the version: accepted by syntax-check, a failure when the task runs. */
const REMOVED_ARGS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  command: { warn: '2.14' },
  shell: { warn: '2.14' },
};
/** what ansible-core 2.14's message lists as the module's parameters */
const CORE_PARAMS: Readonly<Record<string, string>> = {
  command: '_raw_params, _uses_shell, argv, chdir, creates, executable, removes, stdin, stdin_add_newline, strip_empty_ends',
  shell: '_raw_params, _uses_shell, argv, chdir, creates, executable, removes, stdin, stdin_add_newline, strip_empty_ends',
};

/**
 * `removed`: told of an argument ansible-core has removed (command's `warn`): validate warns and
 * the task fails when a host reaches it, with Ansible's message, as ansible-playbook 2.14 does.
 */
/**
 * `guardedBy`: the `when:`s the task runs under (its own and its blocks' and includes'). Ansible
 * finds an argument error only when a host runs the task: under a guard validate warns and, through
 * `removed`, the task fails the hosts that reach it; unguarded it stays an error before anything runs.
 */
/**
 * `unknown`: told of arguments the built-in module does not take and that are not a near miss
 * of one it does; true when the task will run through Ansible's module code instead (the caller
 * warns), so they are not errors here.
 */
/** Modules whose Ansible implementation (an action plugin) ignores arguments it does not know. */
const IGNORES_UNKNOWN = new Set(['fetch']);

export function moduleArgs(
  ctx: LoadContext,
  src: YamlSource,
  node: YAMLMap,
  raw: Raw,
  written: string,
  module: string,
  removed?: (msg: string) => void,
  unknown?: (names: string[]) => boolean,
  guardedBy: readonly string[] = [],
): Record<string, unknown> | undefined {
  const value = raw[written];
  const at = valueNode(node, written) ?? keyNode(node, written);
  let args: Record<string, unknown> = {};
  if (typeof value === 'string') {
    let r = parseFreeForm(value, ctx.catalog.freeForm(module), ctx.catalog.argNames(module));
    // Ansible's ModArgsParser: what is left of a module's string that takes no free form, when it is a
    // template (`helm: "{{ helm_args }}"`), is its arguments as a whole, rendered when the task runs
    if (!r.ok && !ctx.catalog.freeForm(module)) {
      const whole = parseFreeForm(value, VARIABLE_PARAMS, ctx.catalog.argNames(module));
      if (whole.ok && isTemplate(String(whole.args[VARIABLE_PARAMS]))) r = whole;
    }
    if (!r.ok) {
      const diag = diagAt(src, at, `module '${written}' ${r.message}`);
      // about a module run through Ansible's code only once ansible-core has found it (a
      // misspelt module is reported as unknown, not as taking no free form)
      if (ctx.catalog.canonical(module) === undefined) {
        ctx.deferModule(written, [], { found: () => ctx.add(diag) });
        // kept (as Ansible's _raw_params) so a module refused under a `when` still becomes a failing task
        return { _raw_params: value };
      }
      ctx.add(diag);
      return undefined;
    }
    args = r.args;
  } else if (isPlainObject(value)) {
    args = { ...value };
  } else if (value !== null && value !== undefined) {
    ctx.add(
      diagAt(
        src,
        at,
        `arguments of '${written}' must be a mapping${ctx.catalog.freeForm(module) ? ' or a string' : ''}, got ${describeNode(at)}`,
      ),
    );
    return undefined;
  }
  if (raw['args'] !== undefined) {
    // `args: "{{ a_dict }}"`: the arguments as a whole, rendered when the task runs (as Ansible's)
    if (typeof raw['args'] === 'string' && isTemplate(raw['args'])) args = { ...args, [VARIABLE_PARAMS]: raw['args'] };
    else if (!isPlainObject(raw['args']))
      return undefined; // the task schema reports it
    else args = { ...raw['args'], ...args };
  }
  // checked once rendered, when the task runs (executor/task.ts)
  if (args[VARIABLE_PARAMS] !== undefined) return args;
  // Ansible's fetch is an action plugin that reads the arguments it knows and ignores the others
  // (2.14's action/fetch.py validates nothing): they are dropped here, said once
  const ignored = IGNORES_UNKNOWN.has(module) ? Object.keys(args).filter((k) => !ctx.catalog.argNames(module).includes(k)) : [];
  if (ignored.length) {
    ctx.add(
      warning(
        posOf(src, at),
        `module '${written}': ${ignored.map((k) => `'${k}'`).join(', ')} ignored, as Ansible's ${module} ignores arguments it does not know`,
      ),
    );
    args = Object.fromEntries(Object.entries(args).filter(([k]) => !ignored.includes(k)));
  }
  const gone = Object.keys(args).filter((k) => REMOVED_ARGS[module]?.[k] !== undefined);
  if (gone.length && removed) {
    const names = gone.join(', ');
    ctx.add(
      warning(
        posOf(src, at),
        `module '${written}': ${gone.map((k) => `'${k}'`).join(', ')} was removed in ansible-core ${REMOVED_ARGS[module]![gone[0]!]}: a host that reaches this task fails (Unsupported parameters), as in Ansible`,
      ),
    );
    removed(
      `Unsupported parameters for (ansible.legacy.${module}) module: ${names}. Supported parameters include: ${CORE_PARAMS[module] ?? [...ctx.catalog.argNames(module)].sort().join(', ')}.`,
    );
    args = Object.fromEntries(Object.entries(args).filter(([k]) => !gone.includes(k)));
  }
  const problems = ctx.catalog.checkArgs(module, args);
  const foreign = problems.every((p) => p.atKey && p.path.length === 1 && /^unknown argument '[^']*' \(arguments:/.test(p.message));
  if (problems.length && foreign && unknown?.(problems.map((p) => String(p.path[0])))) return args;
  const reachOnly = guardedBy.length > 0 && removed !== undefined;
  for (const p of problems) {
    const inModule = isMap(valueNode(node, written));
    const base = inModule ? valueNode(node, written) : raw['args'] !== undefined ? valueNode(node, 'args') : at;
    const target = p.path.length === 0 ? base : navigate(base, p.path, p.atKey);
    const msg = `module '${written}': ${p.message}`;
    if (reachOnly) {
      const when = guardedBy.map((g) => `'${g}'`).join(' and ');
      ctx.add(warning(posOf(src, target ?? at), `${msg}; this task runs only when ${when}: a host that gets there fails`));
    } else ctx.add(diagAt(src, target ?? at, msg));
  }
  if (problems.length && reachOnly) removed(problems.map((p) => `module '${written}': ${p.message}`).join('; '));
  return problems.length && !reachOnly ? undefined : args;
}

function navigate(base: YamlNode | undefined, path: readonly (string | number)[], atKey: boolean): YamlNode | undefined {
  let cur = base;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (atKey && i === path.length - 1) return keyNode(cur, String(seg)) ?? cur;
    const next = valueNode(cur, typeof seg === 'number' && isSeq(cur) ? seg : String(seg));
    if (!next) return cur;
    cur = next;
  }
  return cur;
}
