// NDJSON: one JSON object per event, exactly the event as the executor published it.
import type { RunEvent } from '../executor/events.js';
import type { Reporter } from './index.js';
import { flush } from './io.js';

export class JsonReporter implements Reporter {
  constructor(private readonly out: NodeJS.WritableStream) {}

  onEvent(e: RunEvent): void {
    this.out.write(JSON.stringify(e) + '\n');
  }

  async close(): Promise<void> {
    await flush(this.out);
  }
}
