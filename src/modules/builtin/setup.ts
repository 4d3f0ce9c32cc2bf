// ansible.builtin.setup: gathers the host's facts (hostname, distribution, CPUs, memory,
// default IPv4 route, date/time, user...) in one round trip — one POSIX sh script, no python
// needed on the host — and returns them as Ansible's setup does (`ansible_<name>`, and
// module_setup, gather_subset unprefixed); the executor sets each as a top-level variable and
// under `ansible_facts['<name>']`. Only reads; never changed.
import { failed, ok } from '../../core/result.js';
import type { Module } from '../types.js';
import type { SetupArgs } from '../generated/args.js';
import { execOpts } from '../support/exec.js';
import { globToRegExp } from '../../core/glob.js';
import { factsScript, SECTION_MARK } from '../facts/script.js';
import { interpreterOf } from '../support/python.js';
import { parseFacts, type Facts } from '../facts/parse.js';
import { collectorsOf, inSubset } from '../facts/subset.js';

/**
 * Ansible's `filter`: globs on the result's names (`ansible_distribution*`, `module_setup`); a
 * glob not starting with `ansible_` also matches with it added (`distribution*`). No globs: every fact.
 */
export function filterFacts(facts: Facts, globs: readonly string[]): Facts {
  const specs = globs.filter((g) => g !== '' && g !== '*');
  if (specs.length === 0) return facts;
  const res = specs.flatMap((g) => [globToRegExp(g), ...(/^(ansible_|facter|ohai)/.test(g) ? [] : [globToRegExp(`ansible_${g}`)])]);
  return Object.fromEntries(Object.entries(facts).filter(([k]) => res.some((re) => re.test(k))));
}

const setup: Module<SetupArgs, never> = {
  name: 'setup',
  readOnly: true,
  factsLevel: 'host-facts',
  async check(ctx, args) {
    // gather_timeout is accepted and ignored: the one script reads everything well inside any timeout
    void args.gather_timeout;
    const subset = (args.gather_subset ?? ['all']).map(String);
    const collectors = collectorsOf(subset);
    if ('error' in collectors) return { kind: 'failed', result: failed(collectors.error) };
    // no LC_ALL=C here: the script records the environment first, then sets it itself
    const r = await ctx.conn.shell(factsScript(interpreterOf(ctx.vars)), execOpts(ctx));
    if (!r.stdout.includes(`${SECTION_MARK}end`)) {
      const why = r.timedOut ? 'timed out' : `rc ${r.rc}${r.stderr.trim() ? `: ${r.stderr.trim()}` : ''}`;
      return { kind: 'failed', result: failed(`could not gather facts (${why})`, { rc: r.rc, stderr: r.stderr }) };
    }
    const { python_found: found, ...parsed } = parseFacts(r.stdout);
    const keep = inSubset(collectors);
    const named: Facts = {};
    for (const [k, v] of Object.entries(parsed)) if (keep(k)) named[`ansible_${k}`] = v;
    // unprefixed, as Ansible's setup returns them (and filters them): `module_setup`, not `ansible_module_setup`
    const facts = filterFacts({ ...named, gather_subset: subset, module_setup: true }, args.filter ?? []);
    // set by Ansible's interpreter discovery, the first time a host runs a module, whatever the filter
    if (typeof found === 'string' && !interpreterOf(ctx.vars) && ctx.vars['discovered_interpreter_python'] === undefined)
      facts['discovered_interpreter_python'] = found;
    // (ansible_facts.<name>, without the prefix, is the executor's: executor/host-changes.ts)
    return { kind: 'unchanged', result: ok({ ansible_facts: facts }) };
  },
  apply() {
    return Promise.resolve(ok());
  },
};

export default setup;
