// ansible.builtin.user: a local account exists with the wanted uid, groups, shell, home and
// comment, or does not exist. check() reads `getent passwd`, `getent group`, `id -Gn` (and
// `getent shadow` for password_lock); apply() runs the useradd, usermod or userdel it predicted
// (plus the home of an existing account when it is missing), then reads the account back.
import { changed, failed, ok, type ModuleResult } from '../../../core/result.js';
import type { Module, ModuleContext, Prediction } from '../../types.js';
import type { UserArgs } from '../../generated/args.js';
import { execOpts } from '../../support/exec.js';
import {
  MAKE_HOME,
  pathExists,
  readGroups,
  readPasswordField,
  readUser,
  readUserGroups,
  type PasswdEntry,
} from '../../support/accounts.js';
import {
  chageOptions,
  parseShadow,
  passwordChange,
  useraddArgv,
  userdelArgv,
  usermodChanges,
  wantedUser,
  type ShadowNow,
  type WantedUser,
} from './plan.js';

interface Plan {
  readonly w: WantedUser;
  /** the commands, in order */
  readonly steps: readonly (readonly string[])[];
  /** the hash to write last, with chpasswd -e on stdin (never an argument: ps shows those) */
  readonly password?: string;
}

/** Ansible's registered fields for an account that exists. */
function presentFields(w: WantedUser, e: PasswdEntry, created: boolean): Record<string, unknown> {
  return {
    name: w.name,
    state: 'present',
    uid: e.uid,
    group: e.gid,
    comment: e.comment,
    home: e.home,
    shell: e.shell,
    append: w.append,
    ...(w.groups !== undefined ? { groups: w.groups.join(',') } : {}),
    ...(created ? { system: w.system, create_home: w.createHome } : { move_home: w.moveHome }),
    ...(w.password !== undefined ? { password: 'NOT_LOGGING_PASSWORD' } : {}),
  };
}

function absentFields(w: WantedUser): Record<string, unknown> {
  return { name: w.name, state: 'absent', remove: w.remove, force: w.force };
}

async function run(ctx: ModuleContext, argv: readonly string[]): Promise<{ rc: number; out: string }> {
  const r = await ctx.conn.exec(argv, execOpts(ctx, { env: { LC_ALL: 'C' } }));
  return { rc: r.rc, out: (r.stderr || r.stdout).trim() };
}

/** The groups the arguments name that do not exist; the gid/name of the primary group. */
async function resolveGroups(
  ctx: ModuleContext,
  w: WantedUser,
): Promise<{ missing: string[]; primaryGid?: number; primaryName?: string; groupNames?: string[] }> {
  const keys = [...new Set([...(w.group !== undefined ? [w.group] : []), ...(w.groups ?? [])])];
  const found = await readGroups(ctx, keys);
  const missing = keys.filter((k) => !found.has(k));
  const primary = w.group !== undefined ? found.get(w.group) : undefined;
  return {
    missing,
    ...(primary ? { primaryGid: primary.gid, primaryName: primary.name } : {}),
    ...(w.groups ? { groupNames: w.groups.map((g) => found.get(g)?.name ?? g) } : {}),
  };
}

async function readShadow(ctx: ModuleContext, name: string): Promise<ShadowNow | undefined> {
  const r = await ctx.conn.exec(['getent', 'shadow', '--', name], execOpts(ctx, { env: { LC_ALL: 'C' } }));
  return r.rc === 0 ? parseShadow(r.stdout.split('\n')[0] ?? '') : undefined;
}

/** The prediction for a user that should be present; `note` ends a change's summary. */
async function present(
  ctx: ModuleContext,
  w: WantedUser,
  current: Awaited<ReturnType<typeof readUser>>,
  groups: Awaited<ReturnType<typeof resolveGroups>>,
  note: string,
): Promise<Prediction<Plan>> {
  const change = (summary: string, steps: (readonly string[])[], password?: string): Prediction<Plan> => ({
    kind: 'change',
    summary,
    plan: { w, steps, ...(password !== undefined ? { password } : {}) },
  });
  const ageing = w.expire.min !== undefined || w.expire.max !== undefined || w.expire.warn !== undefined;
  if (!current) {
    const sameName = w.group === undefined && (await readGroups(ctx, [w.name])).has(w.name);
    const steps: string[][] = [useraddArgv(w, sameName)];
    const password = passwordChange(w, undefined, true);
    if (w.passwordLock === true && password === undefined) steps.push(['usermod', '-L', '--', w.name]);
    const chage = chageOptions(w, undefined);
    if (chage.length) steps.push(['chage', ...chage, '--', w.name]);
    const extras = [
      w.home !== undefined ? `home ${w.home}` : '',
      w.shell !== undefined ? `shell ${w.shell}` : '',
      w.groups?.length ? `groups ${w.groups.join(', ')}` : '',
      password !== undefined ? 'a password' : '',
    ].filter(Boolean);
    return change(
      `create ${w.system ? 'system user' : 'user'} ${w.name}${extras.length ? ` (${extras.join(', ')})` : ''}${note}`,
      steps,
      password,
    );
  }
  const all = w.groups !== undefined ? await readUserGroups(ctx, w.name) : [];
  const primaryNow = all[0];
  const password = w.passwordLock !== undefined ? await readPasswordField(ctx, w.name) : undefined;
  if (w.passwordLock !== undefined && password === undefined) {
    return {
      kind: 'failed',
      result: failed(`cannot read the password state of ${w.name} (getent shadow needs root: use become)`, { data: { name: w.name } }),
    };
  }
  const shadow = w.password !== undefined || ageing ? await readShadow(ctx, w.name) : undefined;
  if ((w.password !== undefined || ageing) && shadow === undefined) {
    return {
      kind: 'failed',
      result: failed(`cannot read the shadow entry of ${w.name} for password/password_expire_* (getent shadow needs root: use become)`, {
        data: { name: w.name },
      }),
    };
  }
  const newPassword = passwordChange(w, shadow, false);
  const { options, changes } = usermodChanges(
    // a new hash carries the lock itself (Ansible drops -L/-U then)
    newPassword !== undefined ? { ...w, passwordLock: undefined } : w,
    { entry: current, supplementary: all.slice(1).filter((g) => g !== primaryNow), password },
    { primaryGid: groups.primaryGid, primaryName: groups.primaryName ?? primaryNow, groupNames: groups.groupNames },
  );
  const steps: string[][] = options.length ? [['usermod', ...options, '--', w.name]] : [];
  const home = w.home ?? current.home;
  // as Ansible: an existing account whose home is missing gets one when create_home is true
  if (w.createHome && !(w.moveHome && w.home !== undefined && w.home !== current.home) && !(await pathExists(ctx, home))) {
    steps.push(['/bin/sh', '-c', MAKE_HOME, 'sh', home, String(w.uid ?? current.uid), String(groups.primaryGid ?? current.gid)]);
    changes.push(`create home ${home}`);
  }
  const chage = shadow ? chageOptions(w, shadow) : [];
  if (chage.length) {
    steps.push(['chage', ...chage, '--', w.name]);
    changes.push(`password ageing ${chage.join(' ')}`);
  }
  if (newPassword !== undefined) changes.push('set the password');
  if (!steps.length && newPassword === undefined) return { kind: 'unchanged', result: ok({ data: presentFields(w, current, false) }) };
  return change(`${w.name}: ${changes.join('; ')}${note}`, steps, newPassword);
}

const user: Module<UserArgs, Plan> = {
  name: 'user',
  async check(ctx, args): Promise<Prediction<Plan>> {
    const w = wantedUser(args);
    if ('error' in w) return { kind: 'failed', result: failed(w.error) };
    const current = await readUser(ctx, w.name);
    const change = (summary: string, steps: (readonly string[])[], password?: string): Prediction<Plan> => ({
      kind: 'change',
      summary,
      plan: { w, steps, ...(password !== undefined ? { password } : {}) },
    });
    if (w.state === 'absent') {
      if (!current) return { kind: 'unchanged', result: ok({ data: absentFields(w) }) };
      return change(`remove user ${w.name}${w.remove ? ' and its home' : ''}`, [userdelArgv(w)]);
    }
    const groups = await resolveGroups(ctx, w);
    if (!groups.missing.length) return present(ctx, w, current, groups, '');
    const note = `; ${groups.missing.length > 1 ? 'groups' : 'group'} ${groups.missing.join(', ')} ${groups.missing.length > 1 ? 'do' : 'does'} not exist yet`;
    // in a plan an earlier task may be about to create the group: the prediction goes on with the
    // group noted; once the earlier tasks ran, a group still missing fails the task
    const inPlan = await present(ctx, w, current, groups, note);
    return {
      kind: 'pending',
      inPlan: inPlan.kind === 'pending' ? inPlan.inPlan : inPlan,
      failure: failed(`Group ${groups.missing[0]!} does not exist`, { data: { name: w.name } }),
    };
  },

  async apply(ctx, _args, prediction): Promise<ModuleResult> {
    const { w, steps } = prediction.plan;
    const base = { name: w.name };
    for (const argv of steps) {
      const r = await run(ctx, argv);
      const tool = argv[0] === '/bin/sh' ? 'creating the home' : argv[0];
      // userdel -r exits 12 when the home or mail spool was already gone: the account is removed
      if (r.rc === 12 && argv[0] === 'userdel' && !(await readUser(ctx, w.name))) continue;
      if (r.rc !== 0) return failed(`${tool} failed (rc ${r.rc}): ${r.out || 'no output'}`, { data: base });
    }
    if (prediction.plan.password !== undefined) {
      const r = await ctx.conn.exec(
        ['chpasswd', '-e'],
        execOpts(ctx, { env: { LC_ALL: 'C' }, stdin: `${w.name}:${prediction.plan.password}\n` }),
      );
      if (r.rc !== 0) return failed(`chpasswd failed (rc ${r.rc}): ${(r.stderr || r.stdout).trim() || 'no output'}`, { data: base });
    }
    if (w.state === 'absent') return changed({ data: absentFields(w) });
    const after = await readUser(ctx, w.name);
    if (!after) return failed(`useradd reported success but user ${w.name} does not exist`, { data: base });
    return changed({ data: presentFields(w, after, steps[0]?.[0] === 'useradd') });
  },
};

export default user;
