// Writes made in one turn of the event loop, done once at its end. A run's events come in
// bursts: the hosts' answers to one task arrive in one poll of the sockets, and the task's end
// and the next task's start follow in the same turn. Writing each event as it comes cost one
// write(2) an event on stdout and on the journal (3 hosts × 30 tasks: 124 and 156); queued
// here, each queue is written once a turn (setImmediate: after every I/O callback of the poll
// and the promise continuations they started).
//
// Queues are flushed in the order they were made: the journal's queue is made before the
// reporter's, so whatever the operator (or a test reading stdout) has seen is in the journal
// already. `flush()` writes everything now: before a close, an exit, or reading what was written.

type Queue = { items: unknown[]; sink: (items: readonly unknown[]) => void };

export class TurnBatch {
  private readonly queues: Queue[] = [];
  private scheduled = false;

  /** A queue written by `sink` once a turn (never with an empty list); returns its `add`. */
  queue<T>(sink: (items: readonly T[]) => void): (item: T) => void {
    const q: Queue = { items: [], sink: sink as (items: readonly unknown[]) => void };
    this.queues.push(q);
    return (item) => {
      q.items.push(item);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    };
  }

  /** Writes every queue now, in the order they were made. */
  flush(): void {
    this.scheduled = false;
    for (const q of this.queues) {
      if (!q.items.length) continue;
      const items = q.items;
      q.items = [];
      q.sink(items);
    }
  }
}
