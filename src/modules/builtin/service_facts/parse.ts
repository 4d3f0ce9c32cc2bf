// service_facts' script output (script.ts) read as ansible-core 2.14's service_facts reads each
// tool's output: the same regular expressions, the same column rules, the same quirks (a bad
// state anywhere on a list-units line shifts its columns by one, the "●" column).
import { MARK } from './script.js';

export type Service = Record<string, unknown> & { name: string };
export type Services = Record<string, Service>;

interface Section {
  readonly name: string;
  readonly lines: string[];
  /** the words of the `end` marker that closes the section's group */
  end: string[];
}

/** The script's sections in order; an `end` marker closes the ones since the previous end. */
export function sections(stdout: string): Section[] {
  const out: Section[] = [];
  let open: Section[] = [];
  let current: Section | undefined;
  for (const line of stdout.split('\n')) {
    if (line.startsWith(MARK)) {
      const [name = '', ...words] = line.slice(MARK.length).split(' ');
      if (name === 'end') {
        for (const s of open) s.end = words;
        open = [];
        current = undefined;
      } else {
        current = { name, lines: [], end: [] };
        out.push(current);
        open.push(current);
      }
      continue;
    }
    current?.lines.push(line);
  }
  return out;
}

const BAD_STATES = ['not-found', 'masked', 'failed'];

/** `systemctl list-units --no-pager --type service --all` */
export function systemdUnits(lines: readonly string[], into: Services): void {
  for (const line of lines.filter((l) => l.includes('.service'))) {
    let fields = line.trim().split(/\s+/);
    const bad = BAD_STATES.find((b) => fields.includes(b));
    const status = bad ?? fields[2];
    if (bad) fields = fields.slice(1);
    const name = fields[0]!;
    into[name] = { name, state: fields[3] === 'running' ? 'running' : 'stopped', status: status ?? null, source: 'systemd' };
  }
}

/** `systemctl list-unit-files ...`, with the ActiveState `systemctl show` gave each unit list-units did not list. */
export function systemdUnitFiles(lines: readonly string[], shown: readonly string[], into: Services): void {
  const active = new Map<string, string>();
  for (const l of shown) {
    const m = /^(\S+) (\d+) ?(.*)$/.exec(l);
    if (m) active.set(m[1]!, m[2] === '0' && m[3] !== '' ? m[3]!.replace(/ActiveState=/g, '').trimEnd() : 'unknown');
  }
  for (const line of lines.filter((l) => l.includes('.service'))) {
    const [name, status] = line.trim().split(/\s+/);
    if (name === undefined || status === undefined) continue;
    const known = into[name];
    if (!known) into[name] = { name, state: active.get(name) ?? 'unknown', status, source: 'systemd' };
    else if (!BAD_STATES.includes(String(known['status']))) known['status'] = status;
  }
}

/** `service --status-all`: `[ + ]` running, `[ - ]` stopped (`[ ? ]` is not a state). */
export function sysvStatusAll(lines: readonly string[], into: Services): void {
  for (const line of lines) {
    const m = /^\s*\[ ([+-]) \]\s+(.+)$/.exec(line);
    if (m) into[m[2]!] = { name: m[2]!, state: m[1] === '+' ? 'running' : 'stopped', source: 'sysv' };
  }
}

/** `initctl list` */
export function upstartList(lines: readonly string[], into: Services): void {
  for (const line of lines) {
    const m = /^\s?(.*)\s(\w+)\/(\w+)(,\sprocess\s([0-9]+))?\s*$/.exec(line.replace(/\r/g, ''));
    if (m) into[m[1]!] = { name: m[1]!, state: m[3]!, goal: m[2]!, source: 'upstart' };
  }
}

const CHKCONFIG =
  /^(.*?)\s+[0-9]:(on|off)\s+[0-9]:(on|off)\s+[0-9]:(on|off)\s+[0-9]:(on|off)\s+[0-9]:(on|off)\s+[0-9]:(on|off)\s+[0-9]:(on|off)/;

/** chkconfig's runlevels, with `service NAME status` (its exit status, and whether it was refused permission). */
export function chkconfigList(lines: readonly string[], statuses: readonly string[], into: Services, warn: (m: string) => void): void {
  const rcs = new Map(statuses.map((l) => l.split(' ')).map(([n = '', rc = '', p = '']) => [n, { rc: Number(rc), denied: p === '1' }]));
  for (const line of lines) {
    const m = CHKCONFIG.exec(line);
    if (!m) continue;
    const name = m[1]!;
    const r = rcs.get(name.trim().split(/\s+/)[0]!) ?? { rc: 1, denied: false };
    let state: unknown = r.rc === 0 ? 'running' : 'stopped';
    if (r.rc !== 0 && r.denied) {
      warn(`Insufficient permissions to query sysV service "${name}" and their states`);
      state = r.rc;
    }
    into[name] = { name, state, status: m[5] === 'on' ? 'enabled' : 'disabled', source: 'sysv' };
  }
}

/** `rc-status -a -s -m` with `rc-update show -v`'s runlevels */
export function openrcList(status: readonly string[], runlevels: readonly string[], into: Services): void {
  const levels = new Map<string, string[] | null>();
  for (const line of runlevels) {
    const d = line.split('|');
    if (d.length < 2) continue;
    const r = d[1]!.trim();
    levels.set(d[0]!.trim(), r === '' ? null : r.split(/\s+/));
  }
  for (const line of status) {
    const d = line.trim().split(/\s+/);
    if (d.length < 2 || d[0] === '') continue;
    into[d[0]!] = { name: d[0]!, runlevels: levels.get(d[0]!) ?? null, state: d[1]!, source: 'openrc' };
  }
}

/** Every service the script's output names, as Ansible merges them: init scripts first, systemd's over them. */
export function parseServices(stdout: string, warn: (m: string) => void): Services {
  const secs = sections(stdout);
  const get = (n: string): Section | undefined => secs.find((s) => s.name === n);
  const scan: Services = {};
  const sysv = get('sysv');
  if (sysv && !(sysv.end[0] === '4' && sysv.end[1] === '0')) {
    if (sysv.end[0] !== '0') warn(`Unable to query 'service' tool (${sysv.end[0]}): `);
    sysvStatusAll(sysv.lines, scan);
  }
  const upstart = get('upstart');
  if (upstart && upstart.end[0] !== '0') warn('Unable to query upstart for service data: ');
  else if (upstart) upstartList(upstart.lines, scan);
  const chk = get('chkconfig');
  if (chk) chkconfigList(chk.lines, get('chkconfig-status')?.lines ?? [], scan, warn);
  const openrc = get('openrc');
  if (openrc) openrcList(openrc.lines, get('openrc-runlevels')?.lines ?? [], scan);
  const systemd: Services = {};
  const units = get('systemd-units');
  if (units && units.end[0] !== '0') warn('Could not list units from systemd: ');
  else if (units) systemdUnits(units.lines, systemd);
  const files = get('systemd-unit-files');
  if (files && files.end[0] !== '0') warn('Could not get unit files data from systemd: ');
  else if (files) systemdUnitFiles(files.lines, get('systemd-show')?.lines ?? [], systemd);
  return { ...scan, ...systemd };
}
