// ansible.builtin.group: a local group exists with the wanted gid, or does not exist.
// check() reads `getent group`; apply() runs the one groupadd, groupmod or groupdel it predicted.
import { changed, failed, ok, type ModuleResult } from '../../core/result.js';
import type { Module, ModuleContext, Prediction } from '../types.js';
import type { GroupArgs } from '../generated/args.js';
import { str } from '../support/args.js';
import { execOpts } from '../support/exec.js';
import { checkAccountName, readGroup } from '../support/accounts.js';

interface Plan {
  readonly name: string;
  readonly state: 'present' | 'absent';
  readonly system: boolean;
  readonly argv: readonly string[];
}

interface Settings {
  readonly name: string;
  readonly state: 'present' | 'absent';
  readonly gid?: number | undefined;
  readonly system: boolean;
  readonly nonUnique: boolean;
}

function settings(args: GroupArgs): Settings | { error: string } {
  const name = args.name ?? '';
  const bad = checkAccountName('group', name);
  if (bad) return { error: bad };
  const state = str(args.state) ?? 'present';
  if (state !== 'present' && state !== 'absent') return { error: `state must be present or absent (got '${state}')` };
  try {
    const gid = args.gid;
    if (gid !== undefined && (!Number.isInteger(gid) || gid < 0))
      return { error: `gid must be a whole number (got '${String(args.gid)}')` };
    const nonUnique = args.non_unique;
    if (nonUnique && gid === undefined) return { error: 'non_unique needs gid' };
    return { name, state, gid, system: args.system, nonUnique };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Ansible's registered fields. */
function fields(name: string, state: string, gid?: number, system?: boolean): Record<string, unknown> {
  return state === 'absent' ? { name, state } : { name, state, ...(gid !== undefined ? { gid } : {}), system: system ?? false };
}

async function run(ctx: ModuleContext, argv: readonly string[]): Promise<string | undefined> {
  const r = await ctx.conn.exec(argv, execOpts(ctx, { env: { LC_ALL: 'C' } }));
  if (r.rc === 0) return undefined;
  return `${argv[0]} failed (rc ${r.rc}): ${(r.stderr || r.stdout).trim() || 'no output'}`;
}

const group: Module<GroupArgs, Plan> = {
  name: 'group',
  async check(ctx: ModuleContext, args: GroupArgs): Promise<Prediction<Plan>> {
    const s = settings(args);
    if ('error' in s) return { kind: 'failed', result: failed(s.error) };
    const current = await readGroup(ctx, s.name);
    const plan = (summary: string, argv: string[]): Prediction<Plan> => ({
      kind: 'change',
      summary,
      plan: { name: s.name, state: s.state, system: s.system, argv },
    });
    if (s.state === 'absent') {
      if (!current) return { kind: 'unchanged', result: ok({ data: fields(s.name, 'absent') }) };
      return plan(`remove group ${s.name}`, ['groupdel', '--', s.name]);
    }
    const gidArgs = s.gid !== undefined ? ['-g', String(s.gid), ...(s.nonUnique ? ['-o'] : [])] : [];
    if (!current) {
      const what = [s.system ? 'system group' : 'group', s.name, ...(s.gid !== undefined ? [`with gid ${s.gid}`] : [])].join(' ');
      return plan(`create ${what}`, ['groupadd', ...(s.system ? ['-r'] : []), ...gidArgs, '--', s.name]);
    }
    if (s.gid !== undefined && current.gid !== s.gid)
      return plan(`change the gid of group ${s.name} from ${current.gid} to ${s.gid}`, ['groupmod', ...gidArgs, '--', s.name]);
    return { kind: 'unchanged', result: ok({ data: fields(s.name, 'present', current.gid, s.system) }) };
  },

  async apply(ctx, _args, prediction): Promise<ModuleResult> {
    const { name, state, system, argv } = prediction.plan;
    const err = await run(ctx, argv);
    if (err) return failed(err, { data: fields(name, state) });
    if (state === 'absent') return changed({ data: fields(name, 'absent') });
    const after = await readGroup(ctx, name);
    if (!after) return failed(`${argv[0]} reported success but group ${name} does not exist`, { data: fields(name, state) });
    return changed({ data: fields(name, 'present', after.gid, system) });
  },
};

export default group;
