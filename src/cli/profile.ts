// RUNBOOK_PROFILE=1: where one run's time went, printed on stderr at the end. Collected here,
// at the edge, by wrapping what the command already hands the executor (the connection
// opener, the journal listener) and by listening to the events: the engine stays unaware.
// A "command" is one exec/shell on a host's framed shell: one round trip (the first one on a
// host also starts its login shell); a "file op" is a readFile/writeFileAtomic (SFTP, a few
// round trips on one session). Calls outside any task are the host lock's (after connect) or
// teardown's (the lock's release, closing).
import type { Connection } from '../connection/types.js';
import type { RunEvent } from '../executor/events.js';

type Open = (host: string, vars: Readonly<Record<string, unknown>>) => Promise<Connection>;

interface Calls {
  commands: number;
  fileOps: number;
  /** summed over hosts: time spent waiting for those calls */
  ms: number;
  /** the busiest host's share of `ms` */
  hostMs: Map<string, number>;
}

interface TaskRow extends Calls {
  name: string;
  start: number;
  end?: number;
}

const calls = (): Calls => ({ commands: 0, fileOps: 0, ms: 0, hostMs: new Map() });

export class RunProfile {
  private readonly phases = new Map<string, number>();
  private readonly connects = new Map<string, number>();
  private readonly tasks = new Map<string, TaskRow>();
  private readonly current = new Map<string, string>();
  /** per host: 'lock' between connect and the lock taken, 'teardown' once closing */
  private readonly hostPhase = new Map<string, 'lock' | 'run' | 'teardown'>();
  private readonly outside = { lock: calls(), run: calls(), teardown: calls() };
  private journal = { lines: 0, writes: 0, ms: 0 };
  private lastTaskEnd: number | undefined;
  private runEnd: number | undefined;
  private closeMs = 0;

  /** RUNBOOK_PROFILE=2: also one line a command (host, start, duration, the command's start) */
  private readonly traced: string[] = [];

  constructor(
    private readonly now: () => number = () => performance.now(),
    private readonly trace = false,
  ) {}

  /** a phase measured by the caller (start-up, load...) */
  phase(name: string, ms: number): void {
    this.phases.set(name, (this.phases.get(name) ?? 0) + ms);
  }

  async time<T>(name: string, f: () => Promise<T>): Promise<T> {
    const t = this.now();
    try {
      return await f();
    } finally {
      this.phase(name, this.now() - t);
    }
  }

  /** The raw opener: connect time per host; every call on the connection counted. */
  wrapConnect(open: Open): Open {
    return async (host, vars) => {
      const t = this.now();
      const conn = await open(host, vars);
      this.connects.set(host, this.now() - t);
      this.hostPhase.set(host, 'lock');
      const count =
        <A extends unknown[], R>(kind: 'commands' | 'fileOps', f: (...a: A) => Promise<R>) =>
        async (...a: A): Promise<R> => {
          const t0 = this.now();
          try {
            return await f(...a);
          } finally {
            this.count(host, kind, this.now() - t0);
            if (this.trace)
              this.traced.push(
                `  ${t0.toFixed(0).padStart(7)} +${(this.now() - t0).toFixed(0).padStart(5)} ms ${host} ${JSON.stringify(a[0]).replace(/\s+/g, ' ').slice(0, 110)}`,
              );
          }
        };
      return Object.assign(conn, {
        exec: count('commands', conn.exec.bind(conn)),
        shell: count('commands', conn.shell.bind(conn)),
        readFile: count('fileOps', conn.readFile.bind(conn)),
        writeFileAtomic: count('fileOps', conn.writeFileAtomic.bind(conn)),
      });
    };
  }

  /** The opener after the host lock: the lock is taken; closing is teardown. */
  wrapLocked(open: Open): Open {
    return async (host, vars) => {
      const conn = await open(host, vars);
      this.hostPhase.set(host, 'run');
      const close = conn.close.bind(conn);
      return Object.assign(conn, {
        close: async () => {
          this.hostPhase.set(host, 'teardown');
          const t = this.now();
          try {
            await close();
          } finally {
            this.closeMs = Math.max(this.closeMs, this.now() - t);
          }
        },
      });
    };
  }

  /** Wraps the journal's writer (one call a turn of the event loop): time in write + fsync, lines, writes. */
  wrapJournal(write: (es: readonly RunEvent[]) => void): (es: readonly RunEvent[]) => void {
    return (es) => {
      const t = this.now();
      write(es);
      this.journal.ms += this.now() - t;
      this.journal.lines += es.length;
      this.journal.writes++;
    };
  }

  onEvent(e: RunEvent): void {
    const t = this.now();
    if (e.type === 'task-start') {
      this.tasks.set(e.id, { name: e.task, start: t, ...calls() });
      for (const h of e.hosts) this.current.set(h, e.id);
    } else if (e.type === 'task-end') {
      const row = this.tasks.get(e.id);
      if (row) row.end = t;
      for (const [h, id] of this.current) if (id === e.id) this.current.delete(h);
      this.lastTaskEnd = t;
    } else if (e.type === 'run-end') {
      this.runEnd = t;
    }
  }

  private count(host: string, kind: 'commands' | 'fileOps', ms: number): void {
    // the lock is taken, and released, inside whichever task first (last) used the host
    const phase = this.hostPhase.get(host) ?? 'run';
    const id = phase === 'run' ? this.current.get(host) : undefined;
    const c = (id !== undefined ? this.tasks.get(id) : undefined) ?? this.outside[phase];
    c[kind]++;
    c.ms += ms;
    c.hostMs.set(host, (c.hostMs.get(host) ?? 0) + ms);
  }

  /** The breakdown, one line a phase or task; `total` is the process's wall time so far. */
  render(total = this.now()): string {
    const ms = (n: number): string => `${n.toFixed(1).padStart(8)} ms`;
    const calls = (c: Calls): string => {
      const hosts = c.hostMs.size || 1;
      const busiest = Math.max(0, ...c.hostMs.values());
      return `${String(c.commands).padStart(4)} cmd ${String(c.fileOps).padStart(3)} file  (${(c.commands / hosts).toFixed(1)} cmd/host; busiest host waited ${busiest.toFixed(1)} ms)`;
    };
    const out = [`runbook profile (RUNBOOK_PROFILE=1): ${total.toFixed(1)} ms from process start`];
    for (const [name, n] of this.phases) out.push(`  ${name.padEnd(34)}${ms(n)}`);
    if (this.connects.size) {
      const c = [...this.connects.values()];
      out.push(
        `  ${'connect (ssh, hosts at once)'.padEnd(34)}${ms(Math.max(...c))}  slowest of ${c.length} host(s), sum ${c.reduce((a, b) => a + b, 0).toFixed(1)} ms`,
      );
    }
    const lock = this.outside.lock;
    if (lock.commands + lock.fileOps)
      out.push(`  ${'host lock (+ login shell start)'.padEnd(34)}${ms(Math.max(0, ...lock.hostMs.values()))}  ${calls(lock)}`);
    let sumCmd = 0;
    for (const row of this.tasks.values()) {
      sumCmd += row.commands;
      const wall = (row.end ?? this.runEnd ?? total) - row.start;
      out.push(`  task ${JSON.stringify(row.name).slice(0, 28).padEnd(29)}${ms(wall)}  ${calls(row)}`);
    }
    const run = this.outside.run;
    if (run.commands + run.fileOps) out.push(`  ${'outside tasks'.padEnd(34)}${' '.repeat(11)}  ${calls(run)}`);
    out.push(
      `  ${'journal (write + fsync)'.padEnd(34)}${ms(this.journal.ms)}  ${this.journal.lines} lines in ${this.journal.writes} writes`,
    );
    const td = this.outside.teardown;
    const teardown = this.lastTaskEnd !== undefined && this.runEnd !== undefined ? this.runEnd - this.lastTaskEnd : this.closeMs;
    out.push(`  ${'teardown (release locks, close)'.padEnd(34)}${ms(teardown)}  ${calls(td)}`);
    out.push(`  commands in tasks: ${sumCmd} over ${this.tasks.size} task(s)`);
    if (this.trace) out.push('commands (RUNBOOK_PROFILE=2): start from process start, +duration, host, argv or path', ...this.traced);
    return out.join('\n') + '\n';
  }
}
