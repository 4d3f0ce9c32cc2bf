// The apt module's (and `package` on apt hosts') check and apply. check() reads the age of the
// package lists, dpkg-query for the named packages and, for latest (or to tell an unknown
// name), `apt-cache policy`; it predicts which packages apt-get installs, upgrades or removes.
// apply() runs `apt-get update` when it is due, then exactly those apt-get commands.
import { changed, failed, ok, type ModuleResult } from '../../core/result.js';
import type { ModuleContext, Prediction } from '../types.js';
import { execOpts, factOpts, stripNl } from './exec.js';
import { packageNames, packageState, type PackageState } from './packages.js';
import type { AptArgs } from '../generated/args.js';
import { str } from './args.js';
import {
  APT_ENV,
  CACHE_TIME_SCRIPT,
  aptInstallArgv,
  aptRemoveArgv,
  aptUpdateArgv,
  cacheUpdateDue,
  dpkgQueryArgv,
  parseAptSpec,
  parseCacheTime,
  parseDpkgQuery,
  parsePolicy,
  parseProviders,
  policyArgv,
  versionMatches,
  type AptOptions,
  type AptSpec,
  type DpkgStatus,
  type PolicyEntry,
} from './apt.js';

export interface AptSettings {
  readonly names: readonly string[];
  readonly state: PackageState;
  readonly updateCache: boolean;
  /** cache_valid_time in seconds (0: not given) */
  readonly validSeconds: number;
  readonly opts: AptOptions;
}

/** The apt module's arguments (also `package`'s on an apt host) as settings, or why not. */
export function aptSettings(args: AptArgs): AptSettings | { error: string } {
  const state = packageState(str(args.state));
  if (typeof state === 'object') return state;
  // as Ansible's apt: an empty name in a list (an unset variable's default) is a package apt does
  // not have, not nothing to do (an empty list is nothing to do). A name templated to '' reaches
  // here as [] (the list coercion drops empty words), so it is still nothing to do: a known gap.
  const named = args.name ?? args.pkg ?? args.package;
  if ((Array.isArray(named) ? named : named === undefined ? [] : [named]).some((n) => String(n).trim() === ''))
    return { error: "No package matching '' is available" };
  try {
    const validSeconds = args.cache_valid_time ?? 0;
    const lockTimeout = args.lock_timeout;
    if (!Number.isInteger(validSeconds) || validSeconds < 0)
      return { error: `cache_valid_time must be a whole number of seconds (got '${String(args.cache_valid_time)}')` };
    if (!Number.isInteger(lockTimeout) || lockTimeout < 0)
      return { error: `lock_timeout must be a whole number of seconds (got '${String(args.lock_timeout)}')` };
    const recommends = args.install_recommends;
    const rcd = args.policy_rc_d;
    if (rcd !== undefined && (!Number.isInteger(rcd) || rcd < 0 || rcd > 255))
      return { error: `policy_rc_d must be an exit code 0-255 (got '${String(args.policy_rc_d)}')` };
    return {
      names: packageNames(args.name ?? args.pkg ?? args.package),
      state,
      updateCache: args.update_cache,
      validSeconds,
      opts: {
        lockTimeout,
        installRecommends: recommends,
        purge: args.purge,
        defaultRelease: str(args.default_release ?? args['default-release']) || undefined,
        allowDowngrade: args.allow_downgrade,
        policyRcD: rcd,
      },
    };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

export interface AptPlan {
  readonly s: AptSettings;
  readonly specs: readonly AptSpec[];
  readonly install: readonly string[];
  readonly remove: readonly string[];
  readonly updateDue: boolean;
  readonly mtime: number;
}

async function cacheTime(ctx: ModuleContext): Promise<{ mtime: number; now: number }> {
  const r = await ctx.conn.exec(['/bin/sh', '-c', CACHE_TIME_SCRIPT], factOpts(ctx));
  return parseCacheTime(r.stdout);
}

async function dpkgStatus(ctx: ModuleContext, specs: readonly AptSpec[]): Promise<Map<string, DpkgStatus>> {
  const r = await ctx.conn.exec(dpkgQueryArgv(specs.map((s) => s.name)), factOpts(ctx));
  // rc 1: some names are unknown to dpkg (the others are still printed)
  if (r.rc > 1) throw new Error(`dpkg-query failed (rc ${r.rc}): ${(r.stderr || r.stdout).trim()}`);
  return parseDpkgQuery(r.stdout);
}

async function policy(ctx: ModuleContext, names: readonly string[], o: AptOptions): Promise<Map<string, PolicyEntry>> {
  if (names.length === 0) return new Map();
  const r = await ctx.conn.exec(policyArgv(names, o), factOpts(ctx));
  if (r.rc !== 0) throw new Error(`apt-cache policy failed (rc ${r.rc}): ${(r.stderr || r.stdout).trim()}`);
  return parsePolicy(r.stdout);
}

/**
 * A name with no candidate version that several packages provide (`netcat`): Ansible's apt
 * takes it as not installed and apt-get refuses to choose ("has no installation candidate",
 * in check mode too); one provider is the package apt-get picks. The error, or undefined.
 */
async function ambiguousVirtual(ctx: ModuleContext, specs: readonly AptSpec[]): Promise<string | undefined> {
  for (const sp of specs) {
    const r = await ctx.conn.exec(['apt-cache', 'showpkg', '--', sp.name], factOpts(ctx));
    const providers = r.rc === 0 ? parseProviders(r.stdout) : [];
    if (providers.length > 1)
      return `E: Package '${sp.name}' has no installation candidate (a virtual package provided by ${providers.join(', ')}: name one)`;
  }
  return undefined;
}

/** The specs to install and the names to remove; an error for a name apt does not know. */
async function changes(
  ctx: ModuleContext,
  s: AptSettings,
  specs: readonly AptSpec[],
  updateDue: boolean,
): Promise<{ install: string[]; remove: string[] } | { error: string }> {
  if (specs.length === 0) return { install: [], remove: [] };
  const status = await dpkgStatus(ctx, specs);
  if (s.state === 'absent') {
    const remove = specs.filter((sp) => {
      const st = status.get(sp.base);
      const there =
        st !== undefined && (st.state === 'installed' || st.state === 'partial' || (s.opts.purge && st.state === 'config-files'));
      return there && (sp.version === undefined || versionMatches(st.version, sp.version));
    });
    return { install: [], remove: remove.map((sp) => sp.name) };
  }
  const isInstalled = (sp: AptSpec): boolean => status.get(sp.base)?.state === 'installed';
  const missing = specs.filter(
    (sp) => !isInstalled(sp) || (sp.version !== undefined && !versionMatches(status.get(sp.base)!.version, sp.version)),
  );
  const installed = s.state === 'latest' ? specs.filter(isInstalled) : [];
  // the package lists decide latest, and tell a typo from a package not installed yet (unless
  // an update is about to bring new lists)
  const known = await policy(
    ctx,
    [...installed, ...(updateDue ? [] : missing)].map((sp) => sp.name),
    s.opts,
  );
  if (!updateDue) {
    const unknown = missing.filter((sp) => !known.has(sp.name));
    if (unknown.length) return { error: unknown.map((sp) => `No package matching '${sp.name}' is available`).join('; ') };
    const virtual = await ambiguousVirtual(
      ctx,
      missing.filter((sp) => sp.version === undefined && known.get(sp.name)?.candidate === undefined),
    );
    if (virtual) return { error: virtual };
  }
  const outdated = installed.filter((sp) => {
    const p = known.get(sp.name);
    return p?.candidate !== undefined && p.candidate !== status.get(sp.base)!.version;
  });
  const want = new Set([...missing, ...outdated]);
  return { install: specs.filter((sp) => want.has(sp)).map((sp) => sp.spec), remove: [] };
}

function summary(install: readonly string[], remove: readonly string[], updateDue: boolean, state: PackageState): string {
  const parts = [
    install.length ? `${state === 'latest' ? 'install or upgrade' : 'install'} ${install.join(', ')}` : '',
    remove.length ? `remove ${remove.join(', ')}` : '',
  ].filter(Boolean);
  if (!parts.length) return 'update the apt cache';
  return parts.join('; ') + (updateDue ? ' (after updating the apt cache)' : '');
}

export async function checkApt(ctx: ModuleContext, s: AptSettings): Promise<Prediction<AptPlan>> {
  const specs: AptSpec[] = [];
  for (const n of s.names) {
    const sp = parseAptSpec(n);
    if ('error' in sp) return { kind: 'failed', result: failed(sp.error) };
    if (s.state === 'latest' && sp.version !== undefined)
      return { kind: 'failed', result: failed(`version number inconsistent with state=latest: ${sp.spec}`) };
    specs.push(sp);
  }
  const wantsCache = s.updateCache || s.validSeconds > 0;
  const time = wantsCache ? await cacheTime(ctx) : { mtime: 0, now: 0 };
  const updateDue = cacheUpdateDue({ updateCache: s.updateCache, validSeconds: s.validSeconds, mtime: time.mtime, now: time.now });
  const c = await changes(ctx, s, specs, updateDue);
  if ('error' in c) return { kind: 'failed', result: failed(c.error, { data: { cache_updated: false } }) };
  const cacheData = { cache_updated: false, cache_update_time: Math.floor(time.mtime) };
  const plan: AptPlan = { s, specs, install: c.install, remove: c.remove, updateDue, mtime: time.mtime };
  if (!c.install.length && !c.remove.length) {
    // as Ansible: with packages named, a cache update alone does not count as a change, and its
    // check mode does not predict one (Ansible's check-mode contract, types.ts)
    if (!updateDue || (s.names.length && ctx.checkMode)) return { kind: 'unchanged', result: ok({ data: cacheData }) };
  }
  return { kind: 'change', summary: summary(c.install, c.remove, updateDue, s.state), plan };
}

async function aptGet(ctx: ModuleContext, argv: readonly string[]): Promise<{ rc: number; stdout: string; stderr: string }> {
  const r = await ctx.conn.exec(argv, execOpts(ctx, { env: { ...APT_ENV } }));
  if (r.interrupted) return { rc: 130, stdout: r.stdout, stderr: 'interrupted (Ctrl-C)' };
  if (r.timedOut) return { rc: 124, stdout: r.stdout, stderr: 'timed out (task timeout)' };
  return r;
}

function lastLines(text: string, n = 3): string {
  return text
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-n)
    .join(' / ');
}

export async function applyApt(ctx: ModuleContext, plan: AptPlan): Promise<ModuleResult> {
  const { s } = plan;
  let mtime = plan.mtime;
  let cacheUpdated = false;
  let install = plan.install;
  let remove = plan.remove;
  if (plan.updateDue) {
    const r = await aptGet(ctx, aptUpdateArgv(s.opts));
    if (r.rc !== 0)
      return failed(`Failed to update apt cache: ${lastLines(r.stderr || r.stdout)}`, {
        rc: r.rc,
        stdout: stripNl(r.stdout),
        stderr: stripNl(r.stderr),
      });
    const t = await cacheTime(ctx);
    cacheUpdated = t.mtime !== plan.mtime;
    mtime = t.mtime;
    // new lists may bring newer candidates (latest) or the package itself
    const c = await changes(ctx, s, plan.specs, false);
    if ('error' in c) return failed(c.error, { data: { cache_updated: cacheUpdated, cache_update_time: Math.floor(mtime) } });
    ({ install, remove } = c);
  }
  const data = { cache_updated: cacheUpdated, cache_update_time: Math.floor(mtime) };
  const out: string[] = [];
  const err: string[] = [];
  for (const argv of [
    install.length ? aptInstallArgv(install, s.opts) : undefined,
    remove.length ? aptRemoveArgv(remove, s.opts) : undefined,
  ]) {
    if (!argv) continue;
    const r = await aptGet(ctx, argv);
    out.push(r.stdout);
    err.push(r.stderr);
    const words = argv.slice(argv.indexOf('--') + 1);
    const verb = argv[argv.indexOf('--') - 1];
    if (r.rc !== 0) {
      return failed(`'apt-get ${verb} ${words.join(' ')}' failed: ${lastLines(r.stderr || r.stdout)}`, {
        rc: r.rc,
        stdout: stripNl(out.join('')),
        stderr: stripNl(err.join('')),
        data,
      });
    }
  }
  const fields = { stdout: stripNl(out.join('')), stderr: stripNl(err.join('')), data };
  if (install.length || remove.length || (s.names.length === 0 && cacheUpdated)) return changed(fields);
  return ok(fields);
}
