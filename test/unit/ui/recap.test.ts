import { describe, expect, it } from 'vitest';
import { palette } from '../../../src/ui/color.js';
import { recapLines } from '../../../src/ui/recap.js';
import { counters } from './helpers.js';

describe('PLAY RECAP', () => {
  it('sorts hosts and aligns the colons at column 27 for short names', () => {
    const out = recapLines({ etcd2: counters({ ok: 12, failed: 1 }), etcd1: counters({ ok: 3, changed: 1, skipped: 2 }) }, palette(false));
    expect(out.slice(1)).toEqual([
      'etcd1                      : ok=3    changed=1    unreachable=0    failed=0    skipped=2    rescued=0    ignored=0',
      'etcd2                      : ok=12   changed=0    unreachable=0    failed=1    skipped=0    rescued=0    ignored=0',
    ]);
    expect(out[1]!.indexOf(':')).toBe(27);
  });

  it('widens the host column for long host names so every colon lines up', () => {
    const long = 'etcd-member-01.eu-west-1.internal.example';
    const out = recapLines({ [long]: counters({ ok: 1 }), etcd1: counters({ ok: 1 }) }, palette(false));
    const colons = out.slice(1).map((l) => l.indexOf(' : '));
    expect(colons).toEqual([long.length, long.length]);
    expect(out[2]).toBe(
      `${'etcd1'.padEnd(long.length)} : ok=1    changed=0    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0`,
    );
  });

  it('colors non-zero counts and the host by its worst outcome, zeros stay plain', () => {
    const [, line] = recapLines({ etcd1: counters({ ok: 2, unreachable: 1 }) }, palette(true));
    expect(line).toContain('\u001b[0;31metcd1\u001b[0m');
    expect(line).toContain('\u001b[0;32mok=2   \u001b[0m');
    expect(line).toContain('\u001b[1;31munreachable=1   \u001b[0m');
    expect(line).toContain(' changed=0    ');
  });
});
