// Ansible's now(utc=False, fmt=None) and the datetime value it returns. strftime and friends
// are tested on fixed values through the pure helpers; now() itself only against the clock.
import { describe, expect, it } from 'vitest';
import { evaluate, render, renderString } from '../../../src/template/index.js';
import {
  currentDateTime,
  dateTimeRepr,
  dateTimeStr,
  isoformat,
  PyDateTime,
  strftime,
  type DateTimeParts,
} from '../../../src/template/datetime.js';
import { pyNow } from '../../../src/template/globals.js';
import { templateError } from './helpers.js';

// Tuesday 5 March 2024, 14:07:09.123456 (naive)
const P: DateTimeParts = { year: 2024, month: 3, day: 5, hour: 14, minute: 7, second: 9, microsecond: 123456 };
const DT = new PyDateTime(P);

describe('strftime (pure)', () => {
  it('formats the common directives in the C locale', () => {
    expect(strftime(P, '%Y-%m-%d %H:%M:%S.%f')).toBe('2024-03-05 14:07:09.123456');
    expect(strftime(P, '%y %b %B %a %A %j %%')).toBe('24 Mar March Tue Tuesday 065 %');
    expect(strftime(P, '%e|%-d|%-m|%I|%p|%u|%w')).toBe(' 5|5|3|02|PM|2|2');
    expect(strftime(P, '%F %T|%D|%R|%c')).toBe('2024-03-05 14:07:09|03/05/24|14:07|Tue Mar  5 14:07:09 2024');
    expect(strftime(P, '%U %W %G-W%V')).toBe('09 10 2024-W10');
    expect(strftime(P, 'no directives, %q unknown')).toBe('no directives, %q unknown');
  });

  it('leaves %z and %Z empty for a naive value, as Python does; fills them for a zone', () => {
    expect(strftime(P, '[%z][%Z]')).toBe('[][]');
    expect(strftime(P, '%z %Z', { offsetMinutes: -330, name: 'X' })).toBe('-0530 X');
  });

  it('%s and timestamp() read the naive fields as local time (mktime)', () => {
    const local = new Date(2024, 2, 5, 14, 7, 9).getTime() / 1000;
    expect(strftime(P, '%s')).toBe(String(local));
    expect(evaluate('dt.timestamp()', { dt: DT })).toBeCloseTo(local + 0.123456, 6);
  });

  it('week numbers at the edges of the year', () => {
    const jan1 = { ...P, month: 1, day: 1 }; // a Monday
    expect(strftime(jan1, '%U %W %j %G %V')).toBe('00 01 001 2024 01');
    const dec29 = { ...P, year: 2025, month: 12, day: 29 }; // Monday of ISO week 1 of 2026
    expect(strftime(dec29, '%G %V %g')).toBe('2026 01 26');
  });
});

describe('the datetime value', () => {
  it('str(), repr() and isoformat() as Python', () => {
    expect(dateTimeStr(DT)).toBe('2024-03-05 14:07:09.123456');
    expect(dateTimeStr(new PyDateTime({ ...P, microsecond: 0 }))).toBe('2024-03-05 14:07:09');
    expect(dateTimeRepr(DT)).toBe('datetime.datetime(2024, 3, 5, 14, 7, 9, 123456)');
    expect(dateTimeRepr(new PyDateTime({ ...P, second: 0, microsecond: 0 }))).toBe('datetime.datetime(2024, 3, 5, 14, 7)');
    expect(isoformat(DT)).toBe('2024-03-05T14:07:09.123456');
    expect(render('{{ dt }}', { dt: DT })).toBe('2024-03-05 14:07:09.123456');
    expect(render('at {{ dt }}', { dt: DT })).toBe('at 2024-03-05 14:07:09.123456');
    expect(evaluate('dt | string', { dt: DT })).toBe('2024-03-05 14:07:09.123456');
    expect(evaluate('[dt] | to_json', { dt: DT })).toBe('["2024-03-05T14:07:09.123456"]');
    expect(evaluate('dt | type_debug', { dt: DT })).toBe('datetime');
    expect(JSON.stringify({ dt: DT })).toBe('{"dt":"2024-03-05T14:07:09.123456"}');
  });

  it('attributes and methods', () => {
    const ev = (e: string): unknown => evaluate(e, { dt: DT });
    expect(ev('[dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, dt.microsecond]')).toEqual([2024, 3, 5, 14, 7, 9, 123456]);
    expect(ev("dt.strftime('%d/%m/%Y')")).toBe('05/03/2024');
    expect(ev("dt.isoformat(' ', 'seconds')")).toBe('2024-03-05 14:07:09');
    expect(ev("dt.isoformat(timespec='milliseconds')")).toBe('2024-03-05T14:07:09.123');
    expect(ev('dt.date() | string')).toBe('2024-03-05');
    expect(ev('dt.date().isoformat()')).toBe('2024-03-05');
    expect(ev('dt.time() | string')).toBe('14:07:09.123456');
    expect(ev("dt.time().strftime('%H.%M')")).toBe('14.07');
    expect(ev('[dt.weekday(), dt.isoweekday()]')).toEqual([1, 2]);
    expect(ev('dt.date().year')).toBe(2024);
    expect(ev('dt.foo is defined')).toBe(false);
    expect(ev('dt.date().hour is defined')).toBe(false);
    expect(templateError(() => ev('dt.nope()')).message).toMatch(/method 'nope' is not supported on datetime values/);
    expect(templateError(() => ev('dt.strftime(1)')).message).toMatch(/must be str/);
  });

  it('compares with another datetime', () => {
    const later = new PyDateTime({ ...P, second: 10 });
    expect(evaluate('a < b and b > a and a == a2 and a != b', { a: DT, a2: new PyDateTime(P), b: later })).toBe(true);
  });

  it('currentDateTime: local or UTC fields of a given instant', () => {
    const at = new Date(Date.UTC(2024, 2, 5, 23, 30, 0, 250));
    expect(currentDateTime(true, at).parts).toEqual({ year: 2024, month: 3, day: 5, hour: 23, minute: 30, second: 0, microsecond: 250000 });
    expect(currentDateTime(false, at).parts).toMatchObject({
      year: at.getFullYear(),
      month: at.getMonth() + 1,
      day: at.getDate(),
      hour: at.getHours(),
    });
  });
});

describe('now()', () => {
  it('returns the current time; fmt gives the strftime text', () => {
    const year = String(new Date().getFullYear());
    expect(render("{{ now(fmt='%Y') }}", {})).toBe(year);
    expect(renderString("{{ now(utc=true, fmt='%Y') }}", {})).toBe(String(new Date().getUTCFullYear()));
    expect(evaluate('now().year', {})).toBe(new Date().getFullYear());
    expect(evaluate("now(true, '%Y-%m-%d')", {})).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(evaluate('now() | type_debug', {})).toBe('datetime');
    // a lone {{ now() }} becomes its str(), as Ansible's templating gives it
    expect(render('{{ now() }}', {})).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{6})?$/);
    const epoch = evaluate('now().timestamp()', {}) as number;
    expect(Math.abs(epoch - Date.now() / 1000)).toBeLessThan(5);
  });

  it('pyNow on a fixed instant; argument errors', () => {
    const at = new Date(Date.UTC(2024, 2, 5, 14, 7, 9));
    expect(pyNow([], { utc: true, fmt: '%H:%M' }, at)).toBe('14:07');
    expect(pyNow([true, ''], {}, at)).toBeInstanceOf(PyDateTime);
    expect(templateError(() => evaluate('now(zone=1)', {})).message).toMatch(/unexpected keyword argument 'zone'/);
    expect(templateError(() => evaluate('now(false, 5)', {})).message).toMatch(/must be str, not int/);
  });

  it('a variable named now wins over the function', () => {
    expect(evaluate('now', { now: 'mine' })).toBe('mine');
  });
});
