// Python's naive datetime (and its date()/time() parts) for Ansible's `now()`: attributes,
// strftime/isoformat/timestamp, str() and repr(). Naive like Ansible's: `now(utc=true)` is the
// UTC wall clock without a zone, so %z and %Z are empty and timestamp() reads the fields as
// local time, exactly as Python does.
import { callError, typeError } from './errors.js';

export interface DateTimeParts {
  readonly year: number;
  readonly month: number; // 1-12
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly microsecond: number;
}

/** An aware value's zone (strftime's %z/%Z); naive values have none. */
export interface Zone {
  readonly offsetMinutes: number;
  readonly name: string;
}

export type DateTimeKind = 'datetime' | 'date' | 'time';

const ATTRS: Readonly<Record<DateTimeKind, readonly (keyof DateTimeParts)[]>> = {
  datetime: ['year', 'month', 'day', 'hour', 'minute', 'second', 'microsecond'],
  date: ['year', 'month', 'day'],
  time: ['hour', 'minute', 'second', 'microsecond'],
};

export class PyDateTime {
  constructor(
    readonly parts: DateTimeParts,
    readonly kind: DateTimeKind = 'datetime',
  ) {
    Object.freeze(this);
  }
  /** what reaches JSON (journal, --output json): the ISO text, as Ansible's JSON encoder writes it */
  toJSON(): string {
    return isoformat(this);
  }
  toString(): string {
    return dateTimeStr(this);
  }
}

export function isDateTime(v: unknown): v is PyDateTime {
  return v instanceof PyDateTime;
}

/** The wall clock now: local time, or UTC when `utc` (both naive, as Ansible's now()). */
export function currentDateTime(utc: boolean, at: Date = new Date()): PyDateTime {
  const p = utc
    ? {
        year: at.getUTCFullYear(),
        month: at.getUTCMonth() + 1,
        day: at.getUTCDate(),
        hour: at.getUTCHours(),
        minute: at.getUTCMinutes(),
        second: at.getUTCSeconds(),
      }
    : {
        year: at.getFullYear(),
        month: at.getMonth() + 1,
        day: at.getDate(),
        hour: at.getHours(),
        minute: at.getMinutes(),
        second: at.getSeconds(),
      };
  return new PyDateTime({ ...p, microsecond: at.getMilliseconds() * 1000 });
}

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const pad = (n: number, w = 2, fill = '0'): string => String(n).padStart(w, fill);

/** Python's weekday(): Monday 0 … Sunday 6. */
function weekday(p: DateTimeParts): number {
  return (new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() + 6) % 7;
}

function dayOfYear(p: DateTimeParts): number {
  return Math.round((Date.UTC(p.year, p.month - 1, p.day) - Date.UTC(p.year, 0, 1)) / 86_400_000) + 1;
}

/** ISO 8601 year and week (%G, %V). */
function isoWeek(p: DateTimeParts): [number, number] {
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day));
  d.setUTCDate(d.getUTCDate() + 3 - weekday(p)); // the Thursday of this week decides the year
  const year = d.getUTCFullYear();
  return [year, Math.floor((d.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1];
}

/** The fields read as local time, as C's mktime() does for a naive value (%s, timestamp()). */
function localEpoch(p: DateTimeParts): number {
  const d = new Date(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  if (p.year < 100) d.setFullYear(p.year);
  return d.getTime() / 1000;
}

function zoneOffset(z: Zone, colon: boolean): string {
  const sign = z.offsetMinutes < 0 ? '-' : '+';
  const m = Math.abs(z.offsetMinutes);
  return `${sign}${pad(Math.floor(m / 60))}${colon ? ':' : ''}${pad(m % 60)}`;
}

/**
 * C/glibc strftime in the C locale, with Python's additions (%f, %z/%Z empty when naive).
 * Supports glibc's `-` flag (no padding: %-d). Unknown directives are copied as they are.
 */
export function strftime(p: DateTimeParts, fmt: string, zone?: Zone): string {
  const wd = weekday(p);
  const h12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
  // %U: weeks start on Sunday, %W: on Monday; the days before the first one are week 0
  const yday = dayOfYear(p) - 1;
  const weekSunday = Math.floor((yday + 7 - ((wd + 1) % 7)) / 7);
  const weekMonday = Math.floor((yday + 7 - wd) / 7);
  const fields = (c: string): [string | number, number, string] | string | undefined => {
    switch (c) {
      case 'a':
        return DAYS[wd]!.slice(0, 3);
      case 'A':
        return DAYS[wd]!;
      case 'b':
      case 'h':
        return MONTHS[p.month - 1]!.slice(0, 3);
      case 'B':
        return MONTHS[p.month - 1]!;
      case 'C':
        return [Math.floor(p.year / 100), 2, '0'];
      case 'd':
        return [p.day, 2, '0'];
      case 'e':
        return [p.day, 2, ' '];
      case 'f':
        return [p.microsecond, 6, '0'];
      case 'H':
        return [p.hour, 2, '0'];
      case 'k':
        return [p.hour, 2, ' '];
      case 'I':
        return [h12, 2, '0'];
      case 'l':
        return [h12, 2, ' '];
      case 'j':
        return [dayOfYear(p), 3, '0'];
      case 'm':
        return [p.month, 2, '0'];
      case 'M':
        return [p.minute, 2, '0'];
      case 'p':
        return p.hour < 12 ? 'AM' : 'PM';
      case 'P':
        return p.hour < 12 ? 'am' : 'pm';
      case 'S':
        return [p.second, 2, '0'];
      case 's':
        return String(Math.floor(localEpoch(p)));
      case 'u':
        return String(wd + 1);
      case 'w':
        return String((wd + 1) % 7);
      case 'U':
        return [weekSunday, 2, '0'];
      case 'W':
        return [weekMonday, 2, '0'];
      case 'G':
        return String(isoWeek(p)[0]);
      case 'g':
        return [isoWeek(p)[0] % 100, 2, '0'];
      case 'V':
        return [isoWeek(p)[1], 2, '0'];
      case 'y':
        return [p.year % 100, 2, '0'];
      case 'Y':
        return String(p.year);
      case 'z':
        return zone ? zoneOffset(zone, false) : '';
      case 'Z':
        return zone ? zone.name : '';
      case 'c':
        return strftime(p, '%a %b %e %H:%M:%S %Y', zone);
      case 'x':
      case 'D':
        return strftime(p, '%m/%d/%y', zone);
      case 'X':
      case 'T':
        return strftime(p, '%H:%M:%S', zone);
      case 'F':
        return strftime(p, '%Y-%m-%d', zone);
      case 'R':
        return strftime(p, '%H:%M', zone);
      case 'r':
        return strftime(p, '%I:%M:%S %p', zone);
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case '%':
        return '%';
      default:
        return undefined;
    }
  };
  return fmt.replace(/%(-?)(.)/gs, (whole, flag: string, c: string) => {
    const f = fields(c);
    if (f === undefined) return whole;
    if (typeof f === 'string') return f;
    const [n, width, fill] = f;
    return flag === '-' ? String(n) : String(n).padStart(width, fill);
  });
}

function timeText(p: DateTimeParts, timespec = 'auto'): string {
  const hm = `${pad(p.hour)}:${pad(p.minute)}`;
  switch (timespec) {
    case 'hours':
      return pad(p.hour);
    case 'minutes':
      return hm;
    case 'seconds':
      return `${hm}:${pad(p.second)}`;
    case 'milliseconds':
      return `${hm}:${pad(p.second)}.${pad(Math.floor(p.microsecond / 1000), 3)}`;
    case 'microseconds':
      return `${hm}:${pad(p.second)}.${pad(p.microsecond, 6)}`;
    case 'auto':
      return timeText(p, p.microsecond ? 'microseconds' : 'seconds');
    default:
      throw callError(`Unknown timespec value: '${timespec}'`);
  }
}

const dateText = (p: DateTimeParts): string => `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;

export function isoformat(v: PyDateTime, sep = 'T', timespec = 'auto'): string {
  if (v.kind === 'date') return dateText(v.parts);
  if (v.kind === 'time') return timeText(v.parts, timespec);
  return `${dateText(v.parts)}${sep}${timeText(v.parts, timespec)}`;
}

/** Python str(): isoformat with a space between date and time. */
export function dateTimeStr(v: PyDateTime): string {
  return isoformat(v, ' ');
}

/** Python str() of a timedelta of `ms` milliseconds (not negative): `0:00:00.006003`, `1 day, 2:03:04`. */
export function timedeltaStr(ms: number): string {
  const us = Math.max(0, Math.round(ms * 1000));
  const days = Math.floor(us / 86_400e6);
  const secs = Math.floor((us % 86_400e6) / 1e6);
  const frac = us % 1e6;
  const hms = `${Math.floor(secs / 3600)}:${pad(Math.floor(secs / 60) % 60)}:${pad(secs % 60)}${frac ? '.' + pad(frac, 6) : ''}`;
  return days ? `${days} day${days === 1 ? '' : 's'}, ${hms}` : hms;
}

/** Python repr(): `datetime.datetime(2024, 3, 5, 14, 7, 9, 123000)`, trailing zero fields left out. */
export function dateTimeRepr(v: PyDateTime): string {
  const values = ATTRS[v.kind].map((k) => v.parts[k]);
  const keep = v.kind === 'date' ? 3 : v.kind === 'datetime' ? 5 : 2;
  while (values.length > keep && values[values.length - 1] === 0) values.pop();
  return `datetime.${v.kind}(${values.join(', ')})`;
}

/** `dt.year` … (only the attributes the kind has). */
export function dateTimeAttr(v: PyDateTime, name: string): { found: boolean; value: unknown } {
  return ATTRS[v.kind].includes(name as keyof DateTimeParts)
    ? { found: true, value: v.parts[name as keyof DateTimeParts] }
    : { found: false, value: undefined };
}

/** Ordering of two values of the same kind (fields compared in order); undefined otherwise. */
export function compareDateTimes(a: PyDateTime, b: PyDateTime): number | undefined {
  if (a.kind !== b.kind) return undefined;
  for (const k of ATTRS[a.kind]) if (a.parts[k] !== b.parts[k]) return a.parts[k] < b.parts[k] ? -1 : 1;
  return 0;
}

function strArg(v: unknown, what: string): string {
  if (typeof v !== 'string') throw typeError(`${what} must be str, not ${v === null || v === undefined ? 'NoneType' : typeof v}`);
  return v;
}

/** The methods: strftime, isoformat, timestamp, date, time, weekday, isoweekday. */
export function dateTimeMethod(v: PyDateTime, name: string, args: unknown[], kw: Record<string, unknown>): unknown {
  const p = v.parts;
  const a = (i: number, key: string): unknown => (Object.hasOwn(kw, key) ? kw[key] : args[i]);
  const dated = v.kind !== 'time';
  switch (name) {
    case 'strftime': {
      const parts = v.kind === 'time' ? { ...p, year: 1900, month: 1, day: 1 } : p;
      return strftime(parts, strArg(a(0, 'format'), 'strftime() argument 1'));
    }
    case 'isoformat':
      return isoformat(
        v,
        v.kind === 'datetime' && a(0, 'sep') !== undefined ? strArg(a(0, 'sep'), 'isoformat() argument 1') : 'T',
        a(v.kind === 'datetime' ? 1 : 0, 'timespec') !== undefined
          ? strArg(a(v.kind === 'datetime' ? 1 : 0, 'timespec'), 'timespec')
          : 'auto',
      );
    case 'timestamp':
      if (v.kind === 'datetime') return localEpoch(p) + p.microsecond / 1e6;
      break;
    case 'date':
      if (v.kind === 'datetime') return new PyDateTime({ ...p, hour: 0, minute: 0, second: 0, microsecond: 0 }, 'date');
      break;
    case 'time':
      if (v.kind === 'datetime') return new PyDateTime({ ...p, year: 1900, month: 1, day: 1 }, 'time');
      break;
    case 'weekday':
      if (dated) return weekday(p);
      break;
    case 'isoweekday':
      if (dated) return weekday(p) + 1;
      break;
  }
  throw callError(`method '${name}' is not supported on ${v.kind} values`);
}
