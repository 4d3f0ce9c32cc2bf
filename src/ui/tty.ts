// Live progress with listr2 (loaded lazily by createReporter). Our tasks arrive as events, while
// listr2 wants a task list up front; so each TASK gets a Listr of its own, started at task-start
// and finished at task-end, with one concurrent subtask per host that settles when that host's
// result arrives (spinner until then). Tasks run one after another, so the Listrs do too; what
// we print ourselves (play banners, warnings, diffs, the recap) is queued between them, never
// while listr2 owns the stream. When `out` is no TTY, listr2's silent renderer runs the same
// tasks and we print each finished task's one-line summary instead.
import type { ListrTask, ListrTaskWrapper } from 'listr2';
import type { ResultView, RunEvent } from '../executor/events.js';
import { paintStatus, palette, type Palette } from './color.js';
import { unifiedDiff } from './diff.js';
import { banner, failureText, formatDuration, hostLabel, shownData } from './format.js';
import { dataLines } from './data-lines.js';
import { progressText, type Progress } from '../core/progress.js';
import type { Reporter, ReporterOptions } from './index.js';
import { flush, warningLine, writeLines } from './io.js';
import { endLines } from './recap.js';
import { printable } from '../core/printable.js';

type Listr2 = typeof import('listr2');
type HostResult = Extract<RunEvent, { type: 'host-result' }>;
type TaskStart = Extract<RunEvent, { type: 'task-start' }>;
type ProgressEvent = Extract<RunEvent, { type: 'progress' }>;
type Wrapper = ListrTaskWrapper<unknown, any, any>;

class Deferred<T> {
  resolve!: (v: T) => void;
  readonly promise = new Promise<T>((r) => (this.resolve = r));
}

const ORDER = ['changed', 'ok', 'replayed', 'skipping', 'ignored', 'failed', 'unreachable'] as const;
type Group = (typeof ORDER)[number];

function groupOf(r: ResultView, resumed = false): Group {
  if (resumed) return 'replayed'; // done by the run resumed, not run again
  if (r.status === 'skipped') return 'skipping';
  if (r.status === 'failed' && r.ignored) return 'ignored';
  return r.status;
}

function isFatal(r: ResultView): boolean {
  return (r.status === 'failed' && !r.ignored) || r.status === 'unreachable';
}

/** `Stop etcd  changed: etcd1 etcd2  ok: etcd3  (2.1s)` */
export function taskSummary(title: string, results: readonly HostResult[], p: Palette, durationMs?: number): string {
  const groups = new Map<Group, string[]>();
  for (const e of results) {
    const g = groupOf(e.result, e.resumed === true);
    // `a->b` without spaces: the list is space-separated
    groups.set(g, [...(groups.get(g) ?? []), hostLabel(e.host, e.delegatedTo).replace(' -> ', '->')]);
  }
  const parts = ORDER.filter((g) => groups.has(g)).map((g) => {
    const paint = g === 'skipping' || g === 'replayed' ? p.skipped : g === 'ignored' ? p.warning : paintStatus(p, g);
    return `${paint(g + ':')} ${groups.get(g)!.join(' ')}`;
  });
  return [title, ...parts, ...(durationMs !== undefined ? [p.dim(`(${formatDuration(durationMs)})`)] : [])].join('  ');
}

/** What a host's subtask says once its result is in: `etcd1 changed`, `etcd2 failed: rc=1: ...`. */
export function hostTitle(e: HostResult, p: Palette): string {
  const r = e.result;
  const who = hostLabel(e.host, e.delegatedTo);
  const g = groupOf(r, e.resumed === true);
  const word = (g === 'replayed' ? p.skipped : paintStatus(p, r.status))(
    g === 'ignored' ? 'failed (ignored)' : g === 'replayed' ? `replayed (${r.status} in the run resumed)` : g,
  );
  const items = e.items && e.items.length ? ` (${e.items.length} items)` : '';
  const took = e.resumed ? '' : ` ${p.dim(`(${formatDuration(e.durationMs)})`)}`;
  if (r.status === 'failed' || r.status === 'unreachable') return `${who} ${word}${items}${took}: ${p.failed(failureText(r))}`;
  if (r.status === 'changed' && r.predicted !== undefined) return `${who} ${word}${items}${took}: would ${r.predicted}`;
  return `${who} ${word}${items}${took}`;
}

class TaskRun {
  readonly results: HostResult[] = [];
  readonly done = new Deferred<void>();
  private readonly waiting = new Map<string, Deferred<HostResult | undefined>>();
  /** each host's subtask while it runs, and what it waits for (retitled every second) */
  readonly subtasks = new Map<string, Wrapper>();
  private readonly waits = new Map<string, { progress: Progress; at: number }>();
  private ticker: ReturnType<typeof setInterval> | undefined;
  wrapper: Wrapper | undefined;
  finished = false;
  endedAt: number | undefined;
  notice: string | undefined;

  constructor(readonly start: TaskStart) {
    for (const h of start.hosts) this.waiting.set(h, new Deferred());
  }

  get title(): string {
    return this.start.handler ? `RUNNING HANDLER ${this.start.task}` : this.start.task;
  }

  /** `etcd1 waiting for https://…:2379 healthy — 4 s of 60 s`, counting on between events */
  progress(e: ProgressEvent): void {
    this.waits.set(e.host, { progress: e.progress, at: Date.now() });
    this.retitle(e.host);
    this.ticker ??= setInterval(() => {
      for (const h of this.waits.keys()) this.retitle(h);
    }, 1000);
    this.ticker.unref?.();
  }

  retitle(host: string): void {
    const w = this.waits.get(host);
    const sub = this.subtasks.get(host);
    if (w && sub) sub.title = `${host} ${progressText(w.progress, w.progress.elapsedMs + Date.now() - w.at)}`;
  }

  get durationMs(): number | undefined {
    return this.endedAt === undefined ? undefined : this.endedAt - this.start.time;
  }

  result(e: HostResult): void {
    this.waits.delete(e.host);
    this.results.push(e);
    let d = this.waiting.get(e.host);
    if (!d) this.waiting.set(e.host, (d = new Deferred()));
    d.resolve(e);
  }

  hostResult(host: string): Promise<HostResult | undefined> {
    return this.waiting.get(host)?.promise ?? Promise.resolve(undefined);
  }

  finish(p: Palette, at = Date.now()): void {
    if (this.finished) return;
    this.finished = true;
    this.endedAt = at;
    if (this.ticker) clearInterval(this.ticker);
    this.waits.clear();
    if (this.wrapper) this.wrapper.title = taskSummary(this.title, this.results, p, this.durationMs);
    for (const d of this.waiting.values()) d.resolve(undefined);
    this.done.resolve();
  }
}

export class TtyReporter implements Reporter {
  private readonly p: Palette;
  private readonly tty: boolean;
  private chain: Promise<void> = Promise.resolve();
  private current: TaskRun | undefined;
  private started = false;

  static async create(out: NodeJS.WritableStream, opts: ReporterOptions): Promise<TtyReporter> {
    return new TtyReporter(await import('listr2'), out, opts);
  }

  private constructor(
    private readonly listr2: Listr2,
    private readonly out: NodeJS.WritableStream,
    private readonly opts: ReporterOptions,
  ) {
    this.p = palette(opts.color);
    // listr2 decides by process.stdout whether its live renderer can run; ask for it only when
    // both agree, so it can never fall back to a renderer that writes somewhere else
    this.tty = (out as { isTTY?: boolean }).isTTY === true && process.stdout.isTTY === true;
  }

  onEvent(e: RunEvent): void {
    switch (e.type) {
      case 'run-start':
        if (e.check) this.print([this.p.dim('Check mode: nothing will be changed.')]);
        return;
      case 'play-start':
        this.print([...this.lead(), banner(`PLAY [${e.play}]`), ...(e.hosts.length ? [] : ['skipping: no hosts matched'])]);
        return;
      case 'batch-start':
        if (this.opts.verbosity >= 1) this.print([`batch ${e.index}/${e.count}: ${e.hosts.join(', ')}`]);
        return;
      case 'task-start': {
        this.current?.finish(this.p);
        const run = new TaskRun(e);
        this.current = run;
        this.started = true;
        this.enqueue(() => this.runTask(run));
        return;
      }
      case 'host-result':
        if (this.current?.start.id === e.id) this.current.result(e);
        return;
      case 'progress':
        if (this.current?.start.id === e.id) this.current.progress(e);
        return;
      case 'task-end':
        if (this.current?.start.id === e.id) {
          this.current.finish(this.p, e.time);
          this.current = undefined;
        }
        return;
      case 'play-end':
      case 'included':
        return;
      case 'warning':
        this.print([warningLine(e, this.p)]);
        return;
      case 'run-end':
        this.current?.finish(this.p);
        this.print([...this.lead(), ...endLines(e, this.p)]);
        return;
    }
  }

  /** Said at once, in the live view (a line written beside listr2 would be painted over). */
  notice(text: string): void {
    const run = this.current;
    if (run?.wrapper && !run.finished) {
      run.notice = text;
      run.wrapper.title = `${run.title}  ${this.p.warning(text)}`;
      return;
    }
    if (run && !run.finished) run.notice = text;
    else writeLines(this.out, [this.p.warning(text)]);
  }

  async close(): Promise<void> {
    this.current?.finish(this.p);
    await this.chain;
    await flush(this.out);
  }

  private lead(): string[] {
    const lines = this.started ? [''] : [];
    this.started = true;
    return lines;
  }

  private print(lines: string[]): void {
    if (lines.length) this.started = true;
    this.enqueue(async () => writeLines(this.out, lines));
  }

  private enqueue(fn: () => Promise<void>): void {
    this.chain = this.chain.then(fn).catch(() => undefined);
  }

  private async runTask(run: TaskRun): Promise<void> {
    const { Listr, ListrLogger, ProcessOutput, ListrDefaultRendererLogLevels: Level, figures, color } = this.listr2;
    const p = this.p;
    const hostTasks = (): ListrTask[] =>
      run.start.hosts.map((h) => ({
        title: h,
        task: async (_ctx: unknown, sub: Wrapper) => {
          run.subtasks.set(h, sub);
          run.retitle(h);
          const e = await run.hostResult(h);
          run.subtasks.delete(h);
          if (!e) return sub.skip(`${h} no result`);
          sub.title = hostTitle(e, p);
          if (e.result.status === 'skipped') sub.skip(sub.title);
          if (isFatal(e.result)) throw new Error(sub.title);
        },
      }));
    const task: ListrTask = {
      title: run.title,
      task: (_ctx: unknown, t: Wrapper) => {
        run.wrapper = t;
        if (run.notice) t.title = `${run.title}  ${p.warning(run.notice)}`;
        if (run.finished) t.title = taskSummary(run.title, run.results, p, run.durationMs);
        return t.newListr(hostTasks(), { concurrent: true, exitOnError: false });
      },
    };
    const processOutput = new ProcessOutput(this.out as NodeJS.WriteStream, undefined, { leaveEmptyLine: false });
    const listr = this.tty
      ? new Listr([task], {
          renderer: 'default',
          rendererOptions: {
            logger: new ListrLogger({ useIcons: true, toStderr: [], processOutput }),
            collapseSubtasks: true,
            collapseErrors: false,
            showErrorMessage: true,
            // a task whose host failed has failed: a red ✖, not listr2's yellow ⚠
            icon: { [Level.COMPLETED_WITH_FAILED_SUBTASKS]: figures.cross },
            color: { [Level.COMPLETED_WITH_FAILED_SUBTASKS]: color.red },
          },
          exitOnError: false,
          registerSignalListeners: false,
        })
      : new Listr([task], { renderer: 'silent', exitOnError: false, registerSignalListeners: false });
    try {
      await listr.run();
    } catch {
      // a renderer problem must not take the run down; the summary below still tells the story
    }
    await run.done.promise;
    const lines: string[] = [];
    if (!this.tty) {
      const failed = run.results.some((e) => isFatal(e.result));
      lines.push(`${failed ? p.failed('✖') : p.ok('✔')} ${taskSummary(run.title, run.results, p, run.durationMs)}`);
      for (const e of run.results) if (isFatal(e.result)) lines.push(`  ${p.failed('✖')} ${hostTitle(e, p)}`);
    }
    if (run.notice) lines.push(p.warning(run.notice));
    lines.push(...this.details(run, p));
    writeLines(this.out, lines);
  }

  /** debug output and (with --diff) file diffs, which do not fit a one-line title. */
  private details(run: TaskRun, p: Palette): string[] {
    const lines: string[] = [];
    for (const e of run.results) {
      for (const r of e.items?.length ? e.items : [e.result]) {
        const data = r.status === 'ok' || r.status === 'changed' ? shownData(run.start.module, r) : undefined;
        const who = `  [${hostLabel(e.host, e.delegatedTo)}]${r.item !== undefined ? ` (item=${printable(String(r.item))})` : ''}`;
        if (data) lines.push(`${who}:`, ...dataLines(data).map((l) => '    ' + l));
        const diffs = this.opts.diff && r.diff ? r.diff.flatMap((d) => unifiedDiff(d, p)) : [];
        if (diffs.length) lines.push(`${who} diff:`, ...diffs.map((l) => '    ' + l));
      }
    }
    return lines;
  }
}
