// stdout (and stderr) written once a turn of the event loop (core/turn-batch.ts): the reporters
// write line by line, an event at a time; these streams hand what one turn wrote to `out` and
// `err` in as few writes as the order allows (one queue for both: a warning written before a
// result line reaches the terminal before it).
import { Writable } from 'node:stream';
import type { TurnBatch } from '../core/turn-batch.js';

/** Two streams whose writes reach `out` and `err` at the end of the turn, in the order they were made, through one queue of `turn` made now. */
export function batchedStreams(
  turn: TurnBatch,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): { out: NodeJS.WritableStream; err: NodeJS.WritableStream } {
  const add = turn.queue<{ to: NodeJS.WritableStream; text: string }>((chunks) => {
    for (let i = 0; i < chunks.length;) {
      const to = chunks[i]!.to;
      let text = '';
      for (; i < chunks.length && chunks[i]!.to === to; i++) text += chunks[i]!.text;
      to.write(text);
    }
  });
  const stream = (to: NodeJS.WritableStream): NodeJS.WritableStream =>
    new Writable({
      decodeStrings: false,
      write(chunk: string | Buffer, _encoding, done): void {
        if (chunk.length) add({ to, text: String(chunk) });
        done();
      },
    });
  return { out: stream(out), err: stream(err) };
}
