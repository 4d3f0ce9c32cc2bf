// One write a turn of the event loop: what is queued in one turn reaches its sink once, at the end
// of the turn, queues in the order they were made; flush() writes at once.
import { describe, expect, it } from 'vitest';
import { TurnBatch } from '../../../src/core/turn-batch.js';

const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('TurnBatch', () => {
  it('writes what one turn queued once, at its end, and the next turn on its own', async () => {
    const writes: string[][] = [];
    const turn = new TurnBatch();
    const add = turn.queue<string>((xs) => writes.push([...xs]));
    add('a');
    await Promise.resolve(); // promise continuations of the same turn join it
    add('b');
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual([['a', 'b']]);
    add('c');
    await nextTurn();
    expect(writes).toEqual([['a', 'b'], ['c']]);
    await nextTurn();
    expect(writes).toHaveLength(2); // an empty turn writes nothing
  });

  it('flushes the queues in the order they were made, whichever was added to first', async () => {
    const order: string[] = [];
    const turn = new TurnBatch();
    const journal = turn.queue<string>((xs) => order.push(`journal ${xs.join(',')}`));
    const stdout = turn.queue<string>((xs) => order.push(`stdout ${xs.join(',')}`));
    stdout('progress');
    journal('task-end');
    await nextTurn();
    expect(order).toEqual(['journal task-end', 'stdout progress']);
  });

  it('flush() writes at once, and the turn then has nothing left to write', async () => {
    const writes: number[][] = [];
    const turn = new TurnBatch();
    const add = turn.queue<number>((xs) => writes.push([...xs]));
    add(1);
    add(2);
    turn.flush();
    expect(writes).toEqual([[1, 2]]);
    await nextTurn();
    expect(writes).toEqual([[1, 2]]);
  });
});
