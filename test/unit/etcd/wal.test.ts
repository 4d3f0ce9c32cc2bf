// The WAL reader on a real segment: the first 8 KiB of the WAL of a one-member etcd 3.5.30
// that took 20 puts and was SIGKILLed (endpoint status said raftIndex 24, raftTerm 2 just
// before), gzipped; and on damaged copies of it.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32c, newestSegment, readWalSegment, snapName, walName } from '../../../src/modules/etcd/wal.js';

const seg = gunzipSync(readFileSync(new URL('../../fixtures/wal/etcd-3.5.30-segment.wal.gz', import.meta.url)));

describe('WAL segment reader', () => {
  it('finds the last entry and hard state etcd reported', () => {
    const p = readWalSegment(seg);
    expect(p).toMatchObject({ last_term: 2, last_index: 24, hard_term: 2, commit: 24, torn: false });
    expect(p.end).toBeGreaterThan(0);
    expect(seg.subarray(p.end).every((b) => b === 0)).toBe(true);
  });
  it('stops at a torn or corrupt last record and says so', () => {
    const full = readWalSegment(seg);
    const cut = readWalSegment(seg.subarray(0, full.end - 3));
    expect(cut.torn).toBe(true);
    expect(cut.records).toBe(full.records - 1);
    const flipped = Buffer.from(seg);
    flipped[full.end - 2] = flipped[full.end - 2]! ^ 0xff; // data of the last record: CRC mismatch
    const bad = readWalSegment(flipped);
    expect(bad.torn).toBe(true);
    expect(bad.records).toBe(full.records - 1);
  });
  it('CRC-32C and the file names', () => {
    expect(crc32c(0, Buffer.from('123456789'))).toBe(0xe3069283); // the standard check value
    expect(crc32c(crc32c(0, Buffer.from('1234')), Buffer.from('56789'))).toBe(0xe3069283);
    expect(walName('0000000000000003-00000000000004a1.wal')).toEqual([3, 0x4a1]);
    expect(snapName('0000000000000002-0000000000002711.snap')).toEqual([2, 10001]);
    expect(
      newestSegment([
        '0.tmp',
        '0000000000000000-0000000000000000.wal',
        '0000000000000002-0000000000000100.wal',
        '0000000000000001-0000000000000050.wal',
      ]),
    ).toBe('0000000000000002-0000000000000100.wal');
  });
});
