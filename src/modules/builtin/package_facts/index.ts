// ansible.builtin.package_facts: the packages installed on the host into the fact `packages`
// ({name: [{name, version, arch, source, ...}, ...]}), as ansible-core 2.14's module builds it
// (managers.ts: apt, rpm, pacman, apk, portage, pkg, pkg_info). One sh script in one round
// trip probes the managers asked for, in order, and lists the packages of the first one present
// (strategy first) or of each one present (all). Reads only.
import { failed, ok } from '../../../core/result.js';
import type { Module } from '../../types.js';
import type { PackageFactsArgs } from '../../generated/args.js';
import { factOpts } from '../../support/exec.js';
import { MANAGERS, type PackageDetails } from './managers.js';

const BEGIN = '@@rb-package-facts begin ';
const END = '@@rb-package-facts end ';
const NAMES = Object.keys(MANAGERS);

/** The managers to try, as Ansible's main(): `auto` becomes every known manager, after the ones named. */
export function managersToTry(requested: readonly string[]): { managers: string[]; unsupported: string[] } {
  const managers = requested.map((m) => m.toLowerCase());
  const auto = managers.indexOf('auto');
  if (auto >= 0) {
    managers.push(...NAMES);
    managers.splice(auto, 1);
  }
  return { managers, unsupported: [...new Set(managers.filter((m) => !NAMES.includes(m)))] };
}

/** The script: each manager present prints its listing between markers (the end marker carries the listing's exit status). */
export function packageFactsScript(managers: readonly string[], strategy: 'first' | 'all'): string {
  const seen = [...new Set(managers)];
  const steps = seen.map((m) => {
    const spec = MANAGERS[m]!;
    // the listing runs in a subshell: its `exit` ends only the listing
    return `if ${spec.probe}; then echo '${BEGIN}${m}'; (\n${spec.query}\n); echo "${END}${m} $?"${strategy === 'first' ? '; exit 0' : ''}; fi`;
  });
  return ['PATH="$PATH:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"; export PATH', ...steps, ''].join('\n');
}

/** The listings in the script's output: manager → its output and exit status. */
export function listings(stdout: string): { manager: string; out: string; rc: number }[] {
  const found: { manager: string; out: string; rc: number }[] = [];
  let from = 0;
  for (;;) {
    const b = stdout.indexOf(BEGIN, from);
    if (b < 0) return found;
    const nl = stdout.indexOf('\n', b);
    const manager = stdout.slice(b + BEGIN.length, nl);
    const e = stdout.indexOf(`${END}${manager} `, nl);
    if (e < 0) return found;
    const rcEnd = stdout.indexOf('\n', e);
    found.push({
      manager,
      out: stdout.slice(nl + 1, e),
      rc: Number(stdout.slice(e + END.length + manager.length + 1, rcEnd < 0 ? undefined : rcEnd)),
    });
    from = e + 1;
  }
}

/** Ansible's PkgMgr.get_packages(): by name, each installed version with its `source`. */
export function byName(manager: string, pkgs: readonly PackageDetails[], into: Record<string, PackageDetails[]>): void {
  for (const p of pkgs) {
    const d = 'source' in p ? p : { ...p, source: manager };
    (into[d.name] ??= []).push(d);
  }
}

/** Python's repr of a list of str, as Ansible's message prints the managers */
const pyList = (xs: readonly string[]): string => `[${xs.map((x) => `'${x}'`).join(', ')}]`;

const packageFacts: Module<PackageFactsArgs, never> = {
  name: 'package_facts',
  readOnly: true,
  factsLevel: 'host-facts',
  async check(ctx, args) {
    const requested = (args.manager ?? ['auto']).map(String);
    const strategy = args.strategy === 'all' ? 'all' : 'first';
    const { managers, unsupported } = managersToTry(requested);
    if (unsupported.length > 0) {
      const msg = requested.includes('auto')
        ? 'Could not auto detect a usable package manager, check warnings for details.'
        : `Unsupported package managers requested: ${unsupported.join(', ')}`;
      return { kind: 'failed', result: failed(msg) };
    }
    const r = await ctx.conn.shell(packageFactsScript(managers, strategy), factOpts(ctx));
    const packages: Record<string, PackageDetails[]> = {};
    const warnings: string[] = [];
    const found = listings(r.stdout);
    for (const { manager, out, rc } of found) {
      if (rc !== 0) {
        if (requested.includes(manager))
          warnings.push(`Requested package manager ${manager} was not usable by this module: Unable to list packages rc=${rc}`);
        continue;
      }
      byName(manager, MANAGERS[manager]!.parse(out), packages);
    }
    if (found.length === 0) {
      const msg = `Could not detect a supported package manager from the following list: ${pyList(managers)}, or the required Python library is not installed. Check warnings for details.`;
      return { kind: 'failed', result: failed(msg, r.rc !== 0 && r.stderr.trim() ? { stderr: r.stderr } : {}) };
    }
    return {
      kind: 'unchanged',
      result: ok({ ansible_facts: { packages }, ...(warnings.length ? { data: { warnings } } : {}) }),
    };
  },
  apply() {
    return Promise.resolve(ok());
  },
};

export default packageFacts;
