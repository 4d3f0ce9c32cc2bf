// ansible.builtin.getent: a name-service database read with getent(1) into the fact
// `getent_<database>` ({key: [remaining fields]}), as Ansible's module returns it. Reads only.
import { failed, ok } from '../../core/result.js';
import type { Module } from '../types.js';
import type { GetentArgs } from '../generated/args.js';
import { factOpts } from '../support/exec.js';

const COLON = new Set(['passwd', 'shadow', 'group', 'gshadow']);

/** getent's lines as Ansible's module splits them: the first field is the key. */
export function parseGetent(stdout: string, database: string, split: string | undefined): Record<string, string[]> {
  const sep = split ?? (COLON.has(database) ? ':' : undefined);
  const out: Record<string, string[]> = {};
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const fields = sep === undefined ? line.trim().split(/\s+/) : line.split(sep);
    out[fields[0]!] = fields.slice(1);
  }
  return out;
}

const getent: Module<GetentArgs, never> = {
  name: 'getent',
  readOnly: true,
  // facts, as Ansible's: getent_<database> and ansible_facts.getent_<database>
  factsLevel: 'host-facts',
  async check(ctx, args) {
    const database = args.database;
    if (!database) return { kind: 'failed', result: failed('missing required arguments: database') };
    const key = args.key;
    const service = args.service;
    const argv = [
      'getent',
      ...(service ? ['-s', service] : []),
      database,
      ...(key !== undefined ? key.split(/\s*,\s*|\s+/).filter(Boolean) : []),
    ];
    const r = await ctx.conn.exec(argv, factOpts(ctx));
    const facts = { [`getent_${database}`]: parseGetent(r.stdout, database, args.split) };
    switch (r.rc) {
      case 0:
        return { kind: 'unchanged', result: ok({ ansible_facts: facts }) };
      case 1:
        return { kind: 'failed', result: failed('Missing arguments, or database unknown.') };
      case 2:
        if (!args.fail_key)
          return {
            kind: 'unchanged',
            result: ok({ ansible_facts: facts, msg: 'One or more supplied key could not be found in the database.' }),
          };
        return { kind: 'failed', result: failed('One or more supplied key could not be found in the database.') };
      case 3:
        return { kind: 'failed', result: failed('Enumeration not supported on this database.') };
      default:
        return { kind: 'failed', result: failed(`getent exited ${r.rc}: ${r.stderr.trim()}`, { rc: r.rc }) };
    }
  },
  apply() {
    return Promise.resolve(ok());
  },
};

export default getent;
