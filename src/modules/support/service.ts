// service / systemd: read the service's state with the manager's status command, predict,
// then start/stop/restart/reload and enable/disable.
//
// Managers: systemd (systemctl), sysv (`service NAME ...`, rc.d links for enabled) and
// command: start/stop/status/restart/reload commands given as arguments (start_command...)
// or as variables (service_start_command...; a variable may also be a mapping from service
// name to command). `auto` picks command when a status_command is known, else systemd when
// /run/systemd/system exists, else sysv when /etc/init.d/NAME exists; else it fails — a
// guess would control another service than the operator's. The plan names what it controls
// ("restart etcd via systemd unit etcd.service"). static-pod: a kubelet's static pod, started
// and stopped by moving its manifest (support/static-pod.ts); never picked by auto.
import { changed, failed, ok, type ModuleResult } from '../../core/result.js';
import type { ExecResult } from '../../connection/types.js';
import type { ModuleContext, Prediction } from '../types.js';
import { argvOf, num, str } from './args.js';
import { sleep } from '../../core/sleep.js';
import { execOpts, factOpts, stripNl } from './exec.js';
import { quoteArgv } from '../../connection/quote.js';
import { probeSystemdUnit, unknownState } from './systemd-probe.js';
import { applyStaticPod, podAction, podState, podUnchanged, podVia, staticPodOf, type PodAction, type StaticPod } from './static-pod.js';

export type Manager = 'systemd' | 'sysv' | 'command' | 'static-pod';
export type ServiceState = 'started' | 'stopped' | 'restarted' | 'reloaded';

/** What service and systemd share; the booleans arrive coerced by their schemas (modules/arguments.ts). */
export interface ServiceArgs {
  readonly name?: string;
  readonly state?: unknown;
  readonly enabled?: boolean;
  readonly daemon_reload?: boolean;
  /** systemd only */
  readonly masked?: boolean;
  readonly sleep?: unknown;
  readonly manager?: unknown;
  readonly use?: unknown;
  readonly start_command?: unknown;
  readonly stop_command?: unknown;
  readonly status_command?: unknown;
  readonly restart_command?: unknown;
  readonly reload_command?: unknown;
  readonly manifest?: unknown;
  readonly manifest_stopped_dir?: unknown;
}

type Action = 'start' | 'stop' | 'status' | 'restart' | 'reload';

interface Plan {
  readonly name: string;
  readonly manager: Manager;
  readonly commands: Partial<Record<Action, string[]>>;
  readonly action?: Action;
  readonly enable?: boolean;
  /** systemctl mask (true) or unmask (false), before the rest */
  readonly mask?: boolean;
  /** seconds between a two-step restart's stop and start */
  readonly sleep?: number;
  readonly daemonReload: boolean;
  readonly pod?: { readonly where: StaticPod; readonly action: PodAction };
}

const ACTIONS: readonly Action[] = ['start', 'stop', 'status', 'restart', 'reload'];

/**
 * The command-manager commands from the arguments, else from service_<action>_command vars.
 * `resolve` reads a variable's templated value (the scope holds variables as written, so a
 * `{{ inventory_hostname }}` in one must be rendered for this host before it is split into words).
 */
export function serviceCommands(
  args: ServiceArgs,
  vars: Readonly<Record<string, unknown>>,
  name: string,
  resolve: (key: string) => unknown = (key) => vars[key],
): Partial<Record<Action, string[]>> {
  const out: Partial<Record<Action, string[]>> = {};
  for (const a of ACTIONS) {
    let v: unknown = (args as unknown as Record<string, unknown>)[`${a}_command`];
    if (v === undefined && vars[`service_${a}_command`] !== undefined) {
      v = resolve(`service_${a}_command`);
      if (v && typeof v === 'object' && !Array.isArray(v)) v = (v as Record<string, unknown>)[name];
    }
    const argv = argvOf(v);
    if (argv) out[a] = argv;
  }
  return out;
}

// $1: service name. sysv only when that service has an init script: not any `service` command
const DETECT =
  'if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then echo systemd; elif [ -x "/etc/init.d/$1" ]; then echo sysv; else echo none; fi';

async function detect(ctx: ModuleContext, name: string): Promise<Manager | undefined> {
  const r = await ctx.conn.exec(['/bin/sh', '-c', DETECT, 'sh', name], factOpts(ctx));
  const m = r.stdout.trim();
  return m === 'systemd' || m === 'sysv' ? m : undefined;
}

export function managerCommand(
  manager: Manager,
  name: string,
  action: Action,
  commands: Partial<Record<Action, string[]>>,
): string[] | undefined {
  switch (manager) {
    case 'systemd':
      return action === 'status' ? ['systemctl', 'is-active', '--quiet', name] : ['systemctl', action, name];
    case 'sysv':
      return ['service', name, action];
    case 'command':
      return commands[action];
    case 'static-pod':
      return undefined;
  }
}

// $1: service name. rc 0 when a start link exists in a multi-user runlevel.
const SYSV_ENABLED = 'for f in /etc/rc[2345].d/S[0-9][0-9]"$1"; do [ -e "$f" ] && exit 0; done; exit 1';
const SYSV_ENABLE =
  'if command -v update-rc.d >/dev/null 2>&1; then if [ "$2" = on ]; then update-rc.d "$1" defaults; else update-rc.d -f "$1" remove; fi; elif command -v chkconfig >/dev/null 2>&1; then chkconfig "$1" "$2"; else echo "neither update-rc.d nor chkconfig found" >&2; exit 1; fi';

// $1: service name. An init script, or (Debian's service(8) falls through to systemd) nothing.
const SYSV_EXISTS = '[ -e "/etc/init.d/$1" ] || [ -e "/etc/rc.d/init.d/$1" ]';

async function isEnabled(ctx: ModuleContext, manager: Manager, name: string): Promise<boolean> {
  if (manager === 'systemd') return (await ctx.conn.exec(['systemctl', 'is-enabled', '--quiet', name], factOpts(ctx))).rc === 0;
  return (await ctx.conn.exec(['/bin/sh', '-c', SYSV_ENABLED, 'sh', name], factOpts(ctx))).rc === 0;
}

export async function checkService(ctx: ModuleContext, args: ServiceArgs, forced?: Manager): Promise<Prediction<Plan>> {
  const name = args.name;
  const reloadOnly = args.daemon_reload && args.state === undefined && args.enabled === undefined && args.masked === undefined;
  if (reloadOnly && (name === undefined || name === '')) {
    // Ansible's service hands this to the systemd module on a systemd host; elsewhere it needs a name
    const chosen = forced ?? str(args.manager) ?? str(args.use) ?? 'auto';
    const manager = chosen === 'auto' ? await detect(ctx, '') : chosen;
    if (manager !== 'systemd') return { kind: 'failed', result: failed('missing required arguments: name') };
    return { kind: 'change', summary: 'daemon-reload', plan: { name: '', manager: 'systemd', commands: {}, daemonReload: true } };
  }
  if (name === undefined || name === '') return { kind: 'failed', result: failed('name is required') };
  const stateText = str(args.state);
  if (stateText !== undefined && !['started', 'stopped', 'restarted', 'reloaded'].includes(stateText)) {
    return { kind: 'failed', result: failed(`state must be one of started, stopped, restarted, reloaded (got '${stateText}')`) };
  }
  const state = stateText as ServiceState | undefined;
  const enabled = args.enabled;
  const wantReload = args.daemon_reload === true;
  const masked = args.masked;
  if (state === undefined && enabled === undefined && masked === undefined && !wantReload)
    return { kind: 'failed', result: failed('one of state, enabled, masked or daemon_reload is required') };
  let commands: Partial<Record<Action, string[]>>;
  try {
    commands = serviceCommands(args, ctx.vars, name, (key) => ctx.evaluate(key));
  } catch (e) {
    return { kind: 'failed', result: failed(`cannot read the service commands: ${(e as Error).message}`) };
  }
  const chosen = forced ?? str(args.manager) ?? str(args.use) ?? 'auto';
  let manager: Manager | undefined;
  if (chosen === 'auto') manager = commands.status ? 'command' : await detect(ctx, name);
  else if (chosen === 'service') manager = 'sysv';
  else if (chosen === 'systemd' || chosen === 'sysv' || chosen === 'command' || chosen === 'static-pod') manager = chosen;
  else return { kind: 'failed', result: failed(`unknown service manager '${chosen}' (auto, systemd, sysv, command or static-pod)`) };
  if (manager === 'static-pod') {
    if (enabled !== undefined)
      return {
        kind: 'failed',
        result: failed('enabled is not supported by the static-pod service manager (the kubelet runs every manifest in its directory)'),
      };
    if (state === undefined) return { kind: 'failed', result: failed('the static-pod service manager needs state') };
    const where = staticPodOf(name, str(args.manifest), str(args.manifest_stopped_dir), undefined);
    const s = await podState(ctx, where);
    const action = podAction(state, s);
    if (!action) return { kind: 'unchanged', result: podUnchanged(name, s, where) };
    return {
      kind: 'change',
      summary: `${action} ${name} ${podVia(where, action)}`,
      plan: { name, manager, commands: {}, daemonReload: false, pod: { where, action } },
    };
  }
  if (!manager)
    return {
      kind: 'failed',
      result: failed(
        `Could not find the requested service ${name}: host (no service manager found: systemd does not run and there is no /etc/init.d/${name}; give manager:, or start_command/stop_command/status_command (for etcd: the inventory's etcd_service_* variables))`,
      ),
    };
  if (manager === 'command' && state !== undefined && !commands.status) {
    return { kind: 'failed', result: failed('the command service manager needs status_command (or the service_status_command variable)') };
  }
  if (manager === 'command' && enabled !== undefined) {
    return { kind: 'failed', result: failed('enabled is not supported by the command service manager') };
  }
  if (masked !== undefined && manager !== 'systemd') return { kind: 'failed', result: failed('masked needs systemd') };
  if (wantReload && manager !== 'systemd' && forced === 'systemd') return { kind: 'failed', result: failed('daemon_reload needs systemd') };
  // the service module passes daemon_reload on to systemd, as Ansible does; other managers have nothing to reload
  const daemonReload = wantReload && manager === 'systemd';

  // systemd: read as Ansible's systemd module reads it (support/systemd-probe.ts), which also fails where systemd does not run
  const unit = manager === 'systemd' ? await probeSystemdUnit(ctx, name) : undefined;
  if (unit?.kind === 'failed') return { kind: 'failed', result: unit.result };
  const exists = async (): Promise<boolean> =>
    unit ? unit.found : (await ctx.conn.exec(['/bin/sh', '-c', SYSV_EXISTS, 'sh', name], factOpts(ctx))).rc === 0;
  if ((state !== undefined || enabled !== undefined) && manager !== 'command' && !(await exists())) {
    // as Ansible: a typo'd name must not pass as "already stopped"
    return { kind: 'failed', result: failed(`Could not find the requested service ${name}: host`) };
  }
  if (state !== undefined && unit?.kind === 'files') return { kind: 'failed', result: unknownState() };
  let running: boolean | undefined;
  if (state !== undefined) {
    const status = managerCommand(manager, name, 'status', commands)!;
    running = (await ctx.conn.exec(status, execOpts(ctx))).rc === 0;
  }
  let action: Action | undefined;
  if (state === 'started' && !running) action = 'start';
  else if (state === 'stopped' && running) action = 'stop';
  else if (state === 'restarted') action = 'restart';
  else if (state === 'reloaded') action = running ? 'reload' : 'start';
  let mask: boolean | undefined;
  if (masked !== undefined) {
    const now = (await ctx.conn.exec(['systemctl', 'is-enabled', name], factOpts(ctx))).stdout.trim();
    if (now.startsWith('masked') !== masked) mask = masked;
  }
  let enable: boolean | undefined;
  if (enabled !== undefined && (await isEnabled(ctx, manager, name)) !== enabled) enable = enabled;
  if (action === undefined && enable === undefined && mask === undefined && !daemonReload) {
    const data = {
      name,
      manager,
      ...(running !== undefined ? { state: running ? 'started' : 'stopped', status: { running } } : {}),
      ...(enabled !== undefined ? { enabled } : {}),
      ...(masked !== undefined ? { masked } : {}),
    };
    return { kind: 'unchanged', result: ok({ data }) };
  }
  const parts = [
    ...(mask !== undefined ? [`${mask ? 'mask' : 'unmask'} ${name}`] : []),
    ...(daemonReload ? ['daemon-reload'] : []),
    ...(action ? [`${action} ${name} ${via(manager, name, action, commands)}`] : []),
    ...(enable !== undefined ? [`${enable ? 'enable' : 'disable'} ${name}`] : []),
  ];
  return {
    kind: 'change',
    summary: parts.join(', '),
    plan: {
      name,
      manager,
      commands,
      ...(action ? { action } : {}),
      ...(enable !== undefined ? { enable } : {}),
      ...(mask !== undefined ? { mask } : {}),
      ...(args.sleep !== undefined && args.sleep !== null ? { sleep: num(args.sleep, 0) } : {}),
      daemonReload,
    },
  };
}

/** What a plan says it controls: `via systemd unit etcd.service`, `via command \`lab-etcd start\``. */
export function via(manager: Manager, name: string, action: Action, commands: Partial<Record<Action, string[]>>): string {
  switch (manager) {
    case 'systemd':
      return `via systemd unit ${name.includes('.') ? name : `${name}.service`}`;
    case 'sysv':
      return `via sysv script /etc/init.d/${name}`;
    case 'static-pod':
      return 'via static pod';
    case 'command': {
      const steps = commands[action]
        ? [commands[action]]
        : action === 'restart' || action === 'reload'
          ? [commands.stop, commands.start].filter((c) => c !== undefined)
          : [];
      return steps.length
        ? `via command ${steps.map((c) => '`' + quoteArgv(c) + '`').join(' then ')}`
        : `via command (no ${action}_command)`;
    }
  }
}

function fail(what: string, r: ExecResult, cmd: readonly string[]): ModuleResult {
  return failed(`${what} failed: ${stripNl(r.stderr || r.stdout) || `rc ${r.rc}`}`, {
    rc: r.rc,
    stdout: stripNl(r.stdout),
    stderr: stripNl(r.stderr),
    cmd,
  });
}

export async function applyService(ctx: ModuleContext, p: Plan): Promise<ModuleResult> {
  if (p.pod) return applyStaticPod(ctx, p.name, p.pod.where, p.pod.action);
  if (p.daemonReload) {
    const cmd = ['systemctl', 'daemon-reload'];
    const r = await ctx.conn.exec(cmd, execOpts(ctx));
    if (r.rc !== 0) return failed(`failure ${r.rc} during daemon-reload: ${r.stderr}`); // Ansible's message, and only it
  }
  let did = false;
  if (p.mask !== undefined) {
    const cmd = ['systemctl', p.mask ? 'mask' : 'unmask', p.name];
    const r = await ctx.conn.exec(cmd, execOpts(ctx));
    if (r.rc !== 0) return fail(`${p.mask ? 'mask' : 'unmask'} ${p.name}`, r, cmd);
    did = true;
  }
  if (p.action) {
    let steps: string[][];
    const direct = managerCommand(p.manager, p.name, p.action, p.commands);
    if (direct) steps = [direct];
    else if (p.action === 'restart' || p.action === 'reload') {
      // command manager without restart/reload commands: stop then start
      const stop = p.commands.stop;
      const start = p.commands.start;
      if (!start) return failed(`cannot ${p.action} ${p.name}: no start_command`);
      steps = stop ? [stop, start] : [start];
    } else return failed(`cannot ${p.action} ${p.name}: no ${p.action}_command`);
    for (let i = 0; i < steps.length; i++) {
      const cmd = steps[i]!;
      const r = await ctx.conn.exec(cmd, execOpts(ctx));
      // the stop of a stop+start may fail (a service that was not running): as Ansible's
      // service module, only the start decides then
      if (r.rc !== 0 && !(steps.length === 2 && i === 0)) return fail(`${p.action} ${p.name}`, r, cmd);
      if (steps.length === 2 && i === 0 && p.sleep) await sleep(p.sleep * 1000);
    }
    did = true;
  }
  if (p.enable !== undefined) {
    const cmd =
      p.manager === 'systemd'
        ? ['systemctl', p.enable ? 'enable' : 'disable', p.name]
        : ['/bin/sh', '-c', SYSV_ENABLE, 'sh', p.name, p.enable ? 'on' : 'off'];
    const r = await ctx.conn.exec(cmd, execOpts(ctx));
    if (r.rc !== 0) return fail(`${p.enable ? 'enable' : 'disable'} ${p.name}`, r, cmd);
    did = true;
  }
  const data = {
    name: p.name,
    manager: p.manager,
    ...(p.action ? { state: p.action === 'stop' ? 'stopped' : 'started' } : {}),
    ...(p.enable !== undefined ? { enabled: p.enable } : {}),
  };
  // a daemon-reload alone is not a change (as Ansible's systemd module)
  return did ? changed({ data }) : ok({ data });
}
