// ansible.builtin.package: the named packages are installed, at their newest version (latest),
// or not installed, with whichever package manager the host has (support/packages.ts). On apt
// hosts it is the apt module (support/apt-ops.ts) with all of apt's options: as Ansible's package
// action, the arguments are the manager module's, and one it does not take fails the task.
import { changed, failed, ok, type ModuleResult } from '../../core/result.js';
import type { Module, ModuleContext, Prediction } from '../types.js';
import type { PackageArgs } from '../generated/args.js';
import { str } from '../support/args.js';
import { coercedArgs } from '../arguments.js';
import { execOpts, stripNl } from '../support/exec.js';
import { aptSettings, applyApt, checkApt, type AptPlan } from '../support/apt-ops.js';
import type { AptArgs } from '../generated/args.js';
import {
  checkPackageName,
  detectManager,
  genericPlan,
  hasManager,
  managerArgv,
  managerFromUse,
  packageNames,
  packageState,
  queryInstalled,
  MANAGERS,
  type GenericPlan,
  type ManagerName,
  type PackageState,
} from '../support/packages.js';

type Other = Exclude<ManagerName, 'apt'>;
type Plan =
  | { readonly manager: 'apt'; readonly apt: AptPlan }
  | {
      readonly manager: Other;
      readonly names: readonly string[];
      readonly state: PackageState;
      readonly todo: GenericPlan;
      readonly flags: readonly string[];
    };

const COMMON = ['name', 'state', 'use'];
// options of Ansible's dnf/yum modules validate accepts and runbook does not implement (given: the task fails)
const DNF_UNIMPLEMENTED = [
  'allowerasing',
  'autoremove',
  'bugfix',
  'cacheonly',
  'conf_file',
  'disable_excludes',
  'disable_gpg_check',
  'disable_plugin',
  'download_dir',
  'download_only',
  'enable_plugin',
  'exclude',
  'install_weak_deps',
  'installroot',
  'nobest',
  'releasever',
  'security',
  'skip_broken',
  'sslverify',
  'update_only',
  'validate_certs',
];
const APT_ONLY = [
  'pkg',
  'package',
  'update_cache',
  'cache_valid_time',
  'purge',
  'install_recommends',
  'lock_timeout',
  'default_release',
  'default-release',
  'allow_downgrade',
  'allow-downgrade',
  'allow_downgrades',
  'allow-downgrades',
  'policy_rc_d',
];

/** The arguments given (not omitted) that the manager's module does not take, and flags for those it does. */
function managerOptions(manager: ManagerName, args: PackageArgs): { flags: string[] } | { error: string } {
  const given = Object.entries(args)
    .filter(([k, v]) => v !== undefined && v !== null && !COMMON.includes(k))
    .map(([k]) => k);
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : String(v).split(',')).map((x) => x.trim()).filter(Boolean);
  const flags: string[] = [];
  const bad: string[] = [];
  for (const k of given) {
    if (manager === 'apt' && APT_ONLY.includes(k)) continue;
    if ((manager === 'dnf' || manager === 'yum') && (k === 'enablerepo' || k === 'disablerepo')) {
      flags.push(...list(args[k]).map((r) => `--${k}=${r}`));
      continue;
    }
    if (manager === 'dnf' && k === 'update_cache') {
      if (args.update_cache) flags.push('--refresh');
      continue;
    }
    bad.push(k);
  }
  if (!bad.length) return { flags };
  bad.sort();
  if (manager === 'apt')
    return {
      error: `Unsupported parameters for (ansible.legacy.apt) module: ${bad.join(', ')}. Supported parameters include: ${['name', 'state', ...APT_ONLY].sort().join(', ')}`,
    };
  // apt's own options are not the other managers' (Ansible's message); theirs runbook does not implement
  const notTheirs = bad.filter((k) => APT_ONLY.includes(k));
  if (notTheirs.length) return { error: `Unsupported parameters for (ansible.legacy.${manager}) module: ${notTheirs.join(', ')}` };
  const unimplemented = bad.filter((k) => DNF_UNIMPLEMENTED.includes(k));
  return {
    error: `package on ${manager}: runbook does not implement ${unimplemented.length ? unimplemented.join(', ') : bad.join(', ')} (only enablerepo, disablerepo and, on dnf, update_cache)`,
  };
}

function describe(todo: GenericPlan): string {
  return [
    todo.install.length ? `install ${todo.install.join(', ')}` : '',
    todo.maybeUpgrade.length ? `upgrade ${todo.maybeUpgrade.join(', ')} if a newer version exists` : '',
    todo.remove.length ? `remove ${todo.remove.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

async function run(ctx: ModuleContext, argv: readonly string[]): Promise<{ rc: number; stdout: string; stderr: string }> {
  const r = await ctx.conn.exec(argv, execOpts(ctx, { env: { LC_ALL: 'C' } }));
  if (r.interrupted) return { rc: 130, stdout: r.stdout, stderr: 'interrupted (Ctrl-C)' };
  if (r.timedOut) return { rc: 124, stdout: r.stdout, stderr: 'timed out (task timeout)' };
  return r;
}

const pkg: Module<PackageArgs, Plan> = {
  name: 'package',
  async check(ctx, args): Promise<Prediction<Plan>> {
    const names = packageNames(args.name);
    const state = packageState(str(args.state));
    if (typeof state === 'object') return { kind: 'failed', result: failed(state.error) };
    const use = managerFromUse(str(args.use) ?? 'auto');
    if (typeof use === 'object') return { kind: 'failed', result: failed(use.error) };
    const manager = use === 'auto' ? await detectManager(ctx) : use;
    if (!manager)
      return {
        kind: 'failed',
        result: failed(`no supported package manager found on ${ctx.host} (looked for ${MANAGERS.join(', ')}); name one with use:`),
      };
    if (use !== 'auto' && !(await hasManager(ctx, manager)))
      return {
        kind: 'failed',
        result: failed(`use: ${manager}, but ${ctx.host} does not have ${manager === 'apt' ? 'apt-get and dpkg-query' : manager}`),
      };
    const opts = managerOptions(manager, args);
    if ('error' in opts) return { kind: 'failed', result: failed(opts.error) };
    if (manager === 'apt') {
      const s = aptSettings(coercedArgs<AptArgs>('apt', args)); // apt's defaults, which package's schema leaves out;
      if ('error' in s) return { kind: 'failed', result: failed(s.error) };
      if (s.names.length === 0 && !s.updateCache && s.validSeconds === 0)
        return { kind: 'failed', result: failed('name is required: the packages to manage (or update_cache)') };
      const p = await checkApt(ctx, s);
      if (p.kind === 'unchanged' || p.kind === 'failed' || p.kind === 'decided' || p.kind === 'pending') return p as Prediction<Plan>;
      return { ...p, plan: { manager, apt: p.plan } } as Prediction<Plan>;
    }
    if (names.length === 0) return { kind: 'failed', result: failed('name is required: the packages to manage') };
    for (const n of names) {
      const bad = checkPackageName(n);
      if (bad) return { kind: 'failed', result: failed(bad) };
    }
    const todo = genericPlan(state, names, await queryInstalled(ctx, manager, names));
    const plan: Plan = { manager, names, state, todo, flags: opts.flags };
    if (todo.install.length || todo.remove.length) return { kind: 'change', summary: describe(todo), plan };
    if (todo.maybeUpgrade.length) return { kind: 'unknown', summary: describe(todo), plan };
    return { kind: 'unchanged', result: ok({ data: { manager } }) };
  },

  async apply(ctx, _args, prediction): Promise<ModuleResult> {
    const plan = prediction.plan;
    if (plan.manager === 'apt') return applyApt(ctx, plan.apt);
    const { manager, todo, flags } = plan;
    const before = todo.maybeUpgrade.length ? await queryInstalled(ctx, manager, todo.maybeUpgrade) : new Map<string, string | null>();
    const out: string[] = [];
    const err: string[] = [];
    const steps: [string, readonly string[]][] = [
      ['install', todo.install],
      ['upgrade', todo.maybeUpgrade],
      ['remove', todo.remove],
    ];
    for (const [op, names] of steps) {
      if (!names.length) continue;
      const argv = managerArgv(manager, op as 'install' | 'upgrade' | 'remove', names, flags);
      const r = await run(ctx, argv);
      out.push(r.stdout);
      err.push(r.stderr);
      if (r.rc !== 0) {
        const why = (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' / ');
        return failed(`'${argv.join(' ')}' failed: ${why}`, {
          rc: r.rc,
          stdout: stripNl(out.join('')),
          stderr: stripNl(err.join('')),
          data: { manager },
        });
      }
    }
    let upgraded = false;
    if (todo.maybeUpgrade.length) {
      const after = await queryInstalled(ctx, manager, todo.maybeUpgrade);
      // a manager that prints no version (apk) cannot show a move: count the upgrade as a change
      upgraded = todo.maybeUpgrade.some((n) => !before.get(n) || before.get(n) !== after.get(n));
    }
    const fields = { stdout: stripNl(out.join('')), stderr: stripNl(err.join('')), data: { manager } };
    return todo.install.length || todo.remove.length || upgraded ? changed(fields) : ok(fields);
  },
};

export default pkg;
