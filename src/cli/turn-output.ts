// stdout written once a turn of the event loop (core/turn-batch.ts): the reporters write line by
// line, an event at a time; this stream hands what one turn wrote to `out` in one write.
import { Writable } from 'node:stream';
import type { TurnBatch } from '../core/turn-batch.js';

/** A stream whose writes reach `out` at the end of the turn, through a queue of `turn` made now. */
export function batchedStream(turn: TurnBatch, out: NodeJS.WritableStream): NodeJS.WritableStream {
  const add = turn.queue<string>((chunks) => void out.write(chunks.join('')));
  return new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, done): void {
      if (chunk.length) add(String(chunk));
      done();
    },
  });
}
