// etcd_compact's time window: the retention parsed, the sampled revision chosen, the file kept
// small. Pure (compact-history.ts).
import { describe, expect, it } from 'vitest';
import {
  chooseByAge,
  historyText,
  MAX_SAMPLES,
  parseHistory,
  parseRetention,
  span,
  type RevisionSample,
} from '../../../src/modules/etcd/compact-history.js';

const NOW = 1_800_000_000;
const H = 3600;
const s = (agoS: number, revision: number, cluster_id = 'C1'): RevisionSample => ({ time: NOW - agoS, revision, cluster_id });
const choose = (samples: RevisionSample[], windowS = H, current = 1000, clusterId = 'C1') =>
  chooseByAge(samples, { now: NOW, windowS, clusterId, current });

describe('retain_duration', () => {
  it('Go-style durations with units, summed', () => {
    expect(parseRetention('1h')).toBe(3600);
    expect(parseRetention('90m')).toBe(5400);
    expect(parseRetention('1h30m')).toBe(5400);
    expect(parseRetention('2d')).toBe(172_800);
    expect(parseRetention(' 45s ')).toBe(45);
    expect(parseRetention('1.5h')).toBe(5400);
  });
  it('a bare number, an unknown unit, trailing junk or zero are refused with the reason', () => {
    expect(parseRetention('5')).toEqual({ error: expect.stringMatching(/'5': not a duration \(write it with units: 30m, 1h/) });
    expect(parseRetention('1w')).toHaveProperty('error');
    expect(parseRetention('1h and a bit')).toHaveProperty('error');
    expect(parseRetention('')).toHaveProperty('error');
    expect(parseRetention('0h')).toEqual({ error: expect.stringMatching(/longer than 0/) });
  });
});

describe('the revision a time window compacts to', () => {
  it('the newest sample at least the window old', () => {
    const samples = [s(3 * H, 100), s(2 * H, 200), s(H + 60, 300), s(30 * 60, 400), s(60, 500)];
    expect(choose(samples)).toEqual({ kind: 'sample', sample: s(H + 60, 300) });
    expect(choose(samples, 2 * H)).toEqual({ kind: 'sample', sample: s(2 * H, 200) });
    // exactly the window old counts
    expect(choose([s(H, 250)])).toEqual({ kind: 'sample', sample: s(H, 250) });
    // file order does not matter
    expect(choose([...samples].reverse())).toEqual({ kind: 'sample', sample: s(H + 60, 300) });
  });
  it('no sample that old: none, saying how old the oldest is', () => {
    expect(choose([])).toEqual({ kind: 'none', reason: 'no revision sampled at least 1h ago yet (none recorded before this run)' });
    expect(choose([s(20 * 60, 400), s(60, 500)])).toEqual({
      kind: 'none',
      reason: 'no revision sampled at least 1h ago yet (the oldest, revision 400, is from 20m ago)',
    });
  });
  it("another cluster's samples, revisions above the current one and future times are ignored", () => {
    // a restore from an older snapshot: the cluster id changed, revisions went back
    expect(choose([s(2 * H, 900, 'OLD'), s(2 * H, 1500)], H, 1000)).toEqual({
      kind: 'none',
      reason: 'no revision sampled at least 1h ago yet (none recorded before this run; 2 of another cluster or above its revision ignored)',
    });
    expect(choose([s(2 * H, 900, 'OLD'), s(2 * H, 100)], H, 1000)).toEqual({ kind: 'sample', sample: s(2 * H, 100) });
    expect(choose([s(-H, 5)])).toMatchObject({ kind: 'none' });
  });
  it('spans as an operator reads them', () => {
    expect([span(45), span(20 * 60), span(1.5 * H), span(3 * 86_400)]).toEqual(['45s', '20m', '1.5h', '3d']);
  });
});

describe('the history file', () => {
  it('one JSON sample a line; torn or foreign lines are skipped', () => {
    const text = historyText([s(60, 5)], s(0, 7));
    expect(text).toBe(`{"time":${NOW - 60},"revision":5,"cluster_id":"C1"}\n{"time":${NOW},"revision":7,"cluster_id":"C1"}\n`);
    expect(parseHistory(text + '{"time":1,"rev\n# a comment\n{"time":"x","revision":1,"cluster_id":"C1"}\n')).toEqual([s(60, 5), s(0, 7)]);
  });
  it(`keeps the newest ${MAX_SAMPLES}`, () => {
    const many = Array.from({ length: MAX_SAMPLES + 5 }, (_, i) => s(MAX_SAMPLES + 5 - i, i));
    const kept = parseHistory(historyText(many, s(0, 99_999)));
    expect(kept).toHaveLength(MAX_SAMPLES);
    expect(kept[0]!.revision).toBe(6);
    expect(kept.at(-1)!.revision).toBe(99_999);
  });
});
