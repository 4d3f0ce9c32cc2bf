// The quorum rule of a planned removal (etcd_member state=absent).
import { describe, expect, it } from 'vitest';
import { quorumOf, removalKeepsQuorum } from '../../../src/modules/etcd/member-remove.js';
import type { Member } from '../../../src/modules/etcd/parse.js';

const m = (id: string): Member => ({
  id,
  name: `etcd${id}`,
  peerUrls: [`http://h${id}:2380`],
  clientUrls: [`http://h${id}:2379`],
  isLearner: false,
});
const five = ['1', '2', '3', '4', '5'].map(m);

describe('removalKeepsQuorum', () => {
  it('quorum is the smallest majority', () => {
    expect([1, 2, 3, 4, 5, 6].map(quorumOf)).toEqual([1, 2, 2, 3, 3, 4]);
  });
  it('5 healthy, remove one: 4 left, 3 needed', () => {
    expect(removalKeepsQuorum(five, new Set(['1', '2', '3', '4', '5']), new Set(['5']))).toEqual({
      ok: true,
      left: 4,
      healthyLeft: 4,
      need: 3,
    });
  });
  it('refused when the healthy members left are not a majority of those left', () => {
    // 3 members, one down: removing a healthy one leaves 1 healthy of 2 (2 needed)
    expect(removalKeepsQuorum(five.slice(0, 3), new Set(['1', '2']), new Set(['2'])).ok).toBe(false);
    // removing the member that is down is fine: 2 healthy of 2
    expect(removalKeepsQuorum(five.slice(0, 3), new Set(['1', '2']), new Set(['3'])).ok).toBe(true);
  });
  it('never removes the last member', () => {
    expect(removalKeepsQuorum(five.slice(0, 1), new Set(['1']), new Set(['1'])).ok).toBe(false);
  });
});
