// The user module's decisions, pure: the wanted account from the arguments, the useradd
// command for a new account, and the usermod options that close the gap with an existing one
// (Ansible's user module on Linux, option by option). Unit-tested without a host.
import type { UserArgs } from '../../generated/args.js';
import { str } from '../../support/args.js';
import { checkAccountName, isLocked, type PasswdEntry } from '../../support/accounts.js';

export interface WantedUser {
  readonly name: string;
  readonly state: 'present' | 'absent';
  readonly uid?: number | undefined;
  readonly nonUnique: boolean;
  /** primary group, a name or a gid */
  readonly group?: string | undefined;
  /** supplementary groups; undefined when not managed */
  readonly groups?: readonly string[] | undefined;
  readonly append: boolean;
  readonly shell?: string | undefined;
  readonly home?: string | undefined;
  readonly createHome: boolean;
  readonly moveHome: boolean;
  readonly system: boolean;
  readonly comment?: string | undefined;
  readonly passwordLock?: boolean | undefined;
  readonly remove: boolean;
  readonly force: boolean;
  /** the crypt(3) hash to set, as given (Ansible's `password`); never shown */
  readonly password?: string | undefined;
  readonly updatePassword: 'always' | 'on_create';
  /** shadow ageing: chage -m / -M / -W */
  readonly expire: { readonly min?: number | undefined; readonly max?: number | undefined; readonly warn?: number | undefined };
}

/** A user's shadow entry, the fields the module compares. -1 is an empty field (Python's spwd). */
export interface ShadowNow {
  readonly password: string;
  readonly min: number;
  readonly max: number;
  readonly warn: number;
}

export function parseShadow(line: string): ShadowNow | undefined {
  const f = line.replace(/\r?\n$/, '').split(':');
  if (f.length < 6 || f[0] === '') return undefined;
  const n = (s: string | undefined): number => (s === undefined || s === '' ? -1 : Number(s));
  return { password: f[1] ?? '', min: n(f[3]), max: n(f[4]), warn: n(f[5]) };
}

/** The password to write when it differs from the shadow's (Ansible compares without leading '!'). */
export function passwordChange(w: WantedUser, now: ShadowNow | undefined, created: boolean): string | undefined {
  if (w.password === undefined || (!created && w.updatePassword !== 'always')) return undefined;
  const strip = (s: string): string => s.replace(/^!+/, '');
  if (now && strip(now.password) === strip(w.password)) return undefined;
  // password_lock with a new hash: locked in the same write, as Ansible's usermod -p '!HASH'
  return w.passwordLock === true ? `!${w.password}` : w.password;
}

/** chage options for the ageing fields that differ (all given ones for a new account). */
export function chageOptions(w: WantedUser, now: ShadowNow | undefined): string[] {
  const out: string[] = [];
  const { min, max, warn } = w.expire;
  if (min !== undefined && (!now || now.min !== min)) out.push('-m', String(min));
  if (max !== undefined && (!now || now.max !== max)) out.push('-M', String(max));
  if (warn !== undefined && (!now || now.warn !== warn)) out.push('-W', String(warn));
  return out;
}

/** The wanted account, or an error message for arguments that cannot work. */
export function wantedUser(args: UserArgs): WantedUser | { error: string } {
  const name = args.name ?? '';
  const bad = checkAccountName('user', name);
  if (bad) return { error: bad };
  const state = str(args.state) ?? 'present';
  if (state !== 'present' && state !== 'absent') return { error: `state must be present or absent (got '${state}')` };
  try {
    const uid = args.uid;
    if (uid !== undefined && (!Number.isInteger(uid) || uid < 0)) return { error: `uid must be a whole number (got '${String(uid)}')` };
    const nonUnique = args.non_unique;
    if (nonUnique && uid === undefined) return { error: 'non_unique needs uid' };
    const group = args.group;
    if (group !== undefined && checkAccountName('group', group)) return { error: checkAccountName('group', group)! };
    const groups = args.groups?.map((g) => g.trim()).filter((g) => g !== '');
    for (const g of groups ?? []) if (checkAccountName('group', g)) return { error: checkAccountName('group', g)! };
    const createHome = args.create_home;
    const update = str(args.update_password) ?? 'always';
    if (update !== 'always' && update !== 'on_create') return { error: `update_password must be always or on_create (got '${update}')` };
    const days = (d: number | undefined, key: string): number | undefined => {
      if (d !== undefined && !Number.isInteger(d)) throw new Error(`${key} must be a whole number of days (got '${String(d)}')`);
      return d;
    };
    const expire = {
      min: days(args.password_expire_min, 'password_expire_min'),
      max: days(args.password_expire_max, 'password_expire_max'),
      warn: days(args.password_expire_warn, 'password_expire_warn'),
    };
    return {
      name,
      state,
      uid,
      nonUnique,
      group,
      groups,
      append: args.append,
      shell: args.shell,
      home: args.home,
      createHome,
      moveHome: args.move_home,
      system: args.system,
      comment: args.comment,
      passwordLock: args.password_lock,
      remove: args.remove,
      force: args.force,
      ...(args.password !== undefined && args.password !== null ? { password: String(args.password) } : {}),
      updatePassword: update,
      expire,
    };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/**
 * useradd for a new account. Without `group`, useradd makes a group named like the user; when
 * such a group exists already that would fail, so -N gives the default group (Ansible does the same).
 */
export function useraddArgv(w: WantedUser, sameNameGroupExists: boolean): string[] {
  const argv = ['useradd'];
  if (w.uid !== undefined) argv.push('-u', String(w.uid), ...(w.nonUnique ? ['-o'] : []));
  if (w.group !== undefined) argv.push('-g', w.group);
  else if (sameNameGroupExists) argv.push('-N');
  if (w.groups && w.groups.length) argv.push('-G', w.groups.join(','));
  if (w.comment !== undefined) argv.push('-c', w.comment);
  if (w.home !== undefined) argv.push('-d', w.home);
  if (w.shell !== undefined) argv.push('-s', w.shell);
  argv.push(w.createHome ? '-m' : '-M');
  if (w.system) argv.push('-r');
  argv.push('--', w.name);
  return argv;
}

export interface UserNow {
  readonly entry: PasswdEntry;
  /** supplementary group names (the primary group left out) */
  readonly supplementary: readonly string[];
  /** the shadow password field, when it could be read */
  readonly password?: string | undefined;
}

export interface Resolved {
  /** gid of the wanted primary group (w.group); undefined when it does not exist (yet) */
  readonly primaryGid?: number | undefined;
  /** name of the primary group the account will have */
  readonly primaryName?: string | undefined;
  /** canonical names of the wanted supplementary groups, in the order given */
  readonly groupNames?: readonly string[] | undefined;
}

/** usermod options for an existing account, each with the words that describe it. */
export function usermodChanges(w: WantedUser, now: UserNow, r: Resolved): { options: string[]; changes: string[] } {
  const options: string[] = [];
  const changes: string[] = [];
  const e = now.entry;
  if (w.uid !== undefined && w.uid !== e.uid) {
    options.push('-u', String(w.uid), ...(w.nonUnique ? ['-o'] : []));
    changes.push(`uid ${e.uid} → ${w.uid}`);
  }
  if (w.group !== undefined && r.primaryGid !== e.gid) {
    options.push('-g', w.group);
    changes.push(`primary group → ${w.group}`);
  }
  if (w.comment !== undefined && w.comment !== e.comment) {
    options.push('-c', w.comment);
    changes.push(`comment '${e.comment}' → '${w.comment}'`);
  }
  if (w.home !== undefined && w.home !== e.home) {
    options.push('-d', w.home, ...(w.moveHome ? ['-m'] : []));
    changes.push(`home ${e.home} → ${w.home}${w.moveHome ? ' (moved)' : ''}`);
  }
  if (w.shell !== undefined && w.shell !== e.shell) {
    options.push('-s', w.shell);
    changes.push(`shell ${e.shell} → ${w.shell}`);
  }
  if (w.groups !== undefined) {
    // the primary group counts as a membership the user has already
    const wanted = (r.groupNames ?? w.groups).filter((g) => g !== r.primaryName);
    const have = new Set(now.supplementary);
    const missing = wanted.filter((g) => !have.has(g));
    const extra = now.supplementary.filter((g) => !wanted.includes(g));
    if (w.append && missing.length) {
      options.push('-a', '-G', wanted.join(','));
      changes.push(`add to groups ${missing.join(', ')}`);
    } else if (!w.append && (missing.length || extra.length)) {
      options.push('-G', wanted.join(','));
      changes.push(
        [missing.length ? `add to groups ${missing.join(', ')}` : '', extra.length ? `remove from groups ${extra.join(', ')}` : '']
          .filter(Boolean)
          .join(', '),
      );
    }
  }
  if (w.passwordLock !== undefined && now.password !== undefined) {
    if (w.passwordLock && !isLocked(now.password)) {
      options.push('-L');
      changes.push('lock the password');
    } else if (!w.passwordLock && isLocked(now.password)) {
      options.push('-U');
      changes.push('unlock the password');
    }
  }
  return { options, changes };
}

/** userdel, with -r (remove) and -f (force). */
export function userdelArgv(w: WantedUser): string[] {
  return ['userdel', ...(w.remove ? ['-r'] : []), ...(w.force ? ['-f'] : []), '--', w.name];
}
