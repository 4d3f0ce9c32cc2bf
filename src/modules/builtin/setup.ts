// ansible.builtin.setup: gathers the host's facts (hostname, distribution, CPUs, memory,
// default IPv4 route, date/time, user...) in one round trip — one POSIX sh script, no python
// needed on the host — and sets them as Ansible does: every fact as a top-level
// `ansible_<name>` variable and under `ansible_facts['<name>']`. Only reads; never changed.
import { failed, ok } from '../../core/result.js';
import type { Module } from '../types.js';
import type { SetupArgs } from '../generated/args.js';
import { execOpts } from '../support/exec.js';
import { globToRegExp } from '../../core/glob.js';
import { factsScript, SECTION_MARK } from '../facts/script.js';
import { interpreterOf } from '../support/python.js';
import { parseFacts, type Facts } from '../facts/parse.js';

/**
 * Ansible's `filter`: globs on the prefixed fact names (`ansible_distribution*`); a glob
 * without the prefix also matches with it added (`distribution*`). No globs: every fact.
 */
export function filterFacts(facts: Facts, globs: readonly string[]): Facts {
  const specs = globs.filter((g) => g !== '' && g !== '*');
  if (specs.length === 0) return facts;
  const res = specs.flatMap((g) => [globToRegExp(g), ...(g.startsWith('ansible_') ? [] : [globToRegExp(`ansible_${g}`)])]);
  return Object.fromEntries(Object.entries(facts).filter(([k]) => res.some((re) => re.test(`ansible_${k}`))));
}

/**
 * The result's ansible_facts: `ansible_<name>` for each fact, plus `ansible_facts` holding them
 * unprefixed, on top of the facts gathered before (a filtered gather adds, as in Ansible);
 * `plain` ones (module_setup, gather_subset) unprefixed in both.
 */
export function asAnsibleFacts(facts: Facts, before?: unknown, plain: Facts = {}): Facts {
  const out: Facts = { ...plain };
  const ns: Facts = {};
  for (const [k, v] of Object.entries(facts)) {
    out[`ansible_${k}`] = v;
    ns[k === 'local' ? 'ansible_local' : k] = v; // (Ansible's namespace keeps ansible_local's prefix: vars/clean.py)
  }
  const earlier = before !== null && typeof before === 'object' && !Array.isArray(before) ? (before as Facts) : {};
  out['ansible_facts'] = { ...earlier, ...ns, ...plain };
  return out;
}

const setup: Module<SetupArgs, never> = {
  name: 'setup',
  readOnly: true,
  factsLevel: 'host-facts',
  async check(ctx, args) {
    // gather_subset and gather_timeout are accepted for Ansible playbooks and ignored: the one
    // script always gathers the same small set, well inside any timeout
    void args.gather_subset;
    void args.gather_timeout;
    // no LC_ALL=C here: the script records the environment first, then sets it itself
    const r = await ctx.conn.shell(factsScript(interpreterOf(ctx.vars)), execOpts(ctx));
    if (!r.stdout.includes(`${SECTION_MARK}end`)) {
      const why = r.timedOut ? 'timed out' : `rc ${r.rc}${r.stderr.trim() ? `: ${r.stderr.trim()}` : ''}`;
      return { kind: 'failed', result: failed(`could not gather facts (${why})`, { rc: r.rc, stderr: r.stderr }) };
    }
    const { python_found: found, ...parsed } = parseFacts(r.stdout);
    const facts = filterFacts(parsed, args.filter ?? []);
    // unprefixed, as Ansible's setup returns them: `module_setup`, not `ansible_module_setup`
    const plain = {
      gather_subset: ['all'],
      module_setup: true,
      ...(typeof found === 'string' && !interpreterOf(ctx.vars) ? { discovered_interpreter_python: found } : {}),
    };
    return { kind: 'unchanged', result: ok({ ansible_facts: asAnsibleFacts(facts, ctx.vars['ansible_facts'], plain) }) };
  },
  apply() {
    return Promise.resolve(ok());
  },
};

export default setup;
