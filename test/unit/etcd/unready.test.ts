// unacceptedWhileIdle: only an etcd whose own client socket kept connections unaccepted in every
// sample, never stopped, and idle (every thread sleeping) in one, counts as "accepts nothing"
// (not serving); a paused, draining or unknown one does not.
import { describe, expect, it } from 'vitest';
import { unacceptedWhileIdle } from '../../../src/modules/etcd/unready.js';

const join = (ss: string[][]): string => ss.map((rows) => rows.join('\n') + '\n--\n').join('');
/** the sample taken at once (the first given, again), then the given ones */
const samples = (...ss: string[][]): string => join(ss.length ? [ss[0]!, ...ss] : []);

describe('unacceptedWhileIdle', () => {
  it('connections queued on its address while every thread sleeps: accepts nothing', () => {
    expect(unacceptedWhileIdle(samples(['127.0.90.3:2379 2 SSSSSS', '127.0.90.1:2379 0 S']), '127.0.90.3', '2379')).toBe(true);
  });
  it('a runnable thread in some samples (the runtime ticking), idle in one: accepts nothing', () => {
    expect(unacceptedWhileIdle(samples(['127.0.90.3:2379 2 SSRSS'], ['127.0.90.3:2379 2 SSSSS']), '127.0.90.3', '2379')).toBe(true);
  });
  it('never idle in any sample: cannot tell', () => {
    expect(unacceptedWhileIdle(samples(['127.0.90.3:2379 2 SSRSS'], ['127.0.90.3:2379 2 RSSSS']), '127.0.90.3', '2379')).toBe(false);
  });
  it('the queue drained in a later sample: it accepts (slow, not unready)', () => {
    expect(unacceptedWhileIdle(samples(['127.0.90.3:2379 1 SSRSS'], ['127.0.90.3:2379 0 SSSSS']), '127.0.90.3', '2379')).toBe(false);
  });
  it('another member on the same host and port is not this one', () => {
    expect(unacceptedWhileIdle(samples(['127.0.90.3:2379 0 S', '127.0.90.1:2379 3 S']), '127.0.90.3', '2379')).toBe(false);
  });
  it('a thread stopped (T: SIGSTOP, t: traced) in any sample: paused, slow, not unready', () => {
    for (const st of ['T', 'TTTT', 'SSStS', 'SSTSS'])
      expect(unacceptedWhileIdle(samples([`127.0.90.3:2379 2 ${st}`], ['127.0.90.3:2379 2 SSSS']), '127.0.90.3', '2379')).toBe(false);
  });
  it('in I/O (D) or gone (Z) only, or no process seen: cannot tell', () => {
    for (const st of ['SDS', 'Z', '-']) expect(unacceptedWhileIdle(samples([`127.0.90.3:2379 2 ${st}`]), '127.0.90.3', '2379')).toBe(false);
  });
  it('an empty queue says nothing', () => {
    expect(unacceptedWhileIdle(samples(['127.0.90.3:2379 0 S']), '127.0.90.3', '2379')).toBe(false);
  });
  it('a wildcard listener serves the address (IPv4 and IPv6 forms)', () => {
    expect(unacceptedWhileIdle(samples(['0.0.0.0:2379 1 S']), '10.0.0.5', '2379')).toBe(true);
    expect(unacceptedWhileIdle(samples(['*:2379 1 S']), '10.0.0.5', '2379')).toBe(true);
    expect(unacceptedWhileIdle(samples(['[::]:2379 1 S']), '[fd00::1]', '2379')).toBe(true);
    expect(unacceptedWhileIdle(samples(['[fd00::1]:2379 1 S']), '[fd00::1]', '2379')).toBe(true);
  });
  it('two wildcard-ish listeners and none exact: cannot tell', () => {
    expect(unacceptedWhileIdle(samples(['0.0.0.0:2379 1 S', '[::]:2379 0 S']), '10.0.0.5', '2379')).toBe(false);
  });
  it('the sample taken at once is no sign of idleness by itself', () => {
    expect(unacceptedWhileIdle(join([['127.0.90.3:2379 1 SSSS']]), '127.0.90.3', '2379')).toBe(false);
  });
  it('no sample, no row, another port: false', () => {
    expect(unacceptedWhileIdle('', '127.0.90.3', '2379')).toBe(false);
    expect(unacceptedWhileIdle(samples([]), '127.0.90.3', '2379')).toBe(false);
    expect(unacceptedWhileIdle(samples(['127.0.90.3:2380 4 S']), '127.0.90.3', '2379')).toBe(false);
  });
});
