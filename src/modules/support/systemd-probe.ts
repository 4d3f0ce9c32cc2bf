// What systemd knows of a unit, read as ansible-core 2.14's systemd module reads it: `systemctl
// show`; when that fails (no systemd as PID 1: a container, a chroot) `systemctl is-enabled`,
// then `systemctl list-unit-files`, and when neither knows the unit, `systemctl` itself, whose
// failure ("System has not been booted with systemd as init system") fails the task as Ansible's
// `run_command(systemctl, check_rc=True)` does. A unit found without `show` has no state:
// asking for one fails "Service is in unknown state", as Ansible's.
import { failed, type ModuleResult } from '../../core/result.js';
import type { ModuleContext } from '../types.js';
import { factOpts } from './exec.js';

// $1: unit name. `systemctl show` of its LoadState (rc 1 when systemd does not answer).
export const SYSTEMD_SHOW = 'case "$1" in *.*) u="$1" ;; *) u="$1.service" ;; esac; systemctl show -p LoadState "$u"';

/** is-enabled answers Ansible's systemd module takes as "systemd knows this unit" */
const KNOWN_STATES = new Set([
  'enabled',
  'enabled-runtime',
  'linked',
  'linked-runtime',
  'masked',
  'masked-runtime',
  'static',
  'indirect',
  'disabled',
  'generated',
  'transient',
]);

export type SystemdUnit =
  /** `show` answered: the unit exists unless its LoadState is not-found */
  | { readonly kind: 'shown'; readonly found: boolean }
  /** systemd does not run, but its files know the unit: no state can be read */
  | { readonly kind: 'files'; readonly found: true }
  | { readonly kind: 'failed'; readonly result: ModuleResult };

export async function probeSystemdUnit(ctx: ModuleContext, name: string): Promise<SystemdUnit> {
  const shown = await ctx.conn.exec(['/bin/sh', '-c', SYSTEMD_SHOW, 'sh', name], factOpts(ctx));
  const load = /^LoadState=(.*)$/m.exec(shown.stdout)?.[1];
  if (shown.rc === 0 && load !== undefined && !/ignoring request/.test(shown.stdout + shown.stderr))
    return { kind: 'shown', found: load !== 'not-found' };
  const enabled = await ctx.conn.exec(['systemctl', 'is-enabled', name], factOpts(ctx));
  if (KNOWN_STATES.has(enabled.stdout.trim())) return { kind: 'files', found: true };
  if ((await ctx.conn.exec(['systemctl', 'list-unit-files', name], factOpts(ctx))).rc === 0) return { kind: 'files', found: true };
  const path = (await ctx.conn.exec(['/bin/sh', '-c', 'command -v systemctl'], factOpts(ctx))).stdout.trim() || 'systemctl';
  const bare = await ctx.conn.exec([path], factOpts(ctx));
  if (bare.rc === 0) return { kind: 'shown', found: false };
  // Ansible's fail_json from run_command(check_rc=True): msg is stderr without its trailing whitespace
  const msg = (bare.stderr || bare.stdout).trimEnd() || `systemctl exited ${bare.rc}`;
  return { kind: 'failed', result: failed(msg, { cmd: path, rc: bare.rc, stdout: bare.stdout, stderr: bare.stderr }) };
}

/** A state asked of a unit systemd's files know but no running systemd can tell (Ansible's message). */
export function unknownState(): ModuleResult {
  return failed('Service is in unknown state', { data: { status: {} } });
}
