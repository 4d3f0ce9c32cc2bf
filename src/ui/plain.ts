// The plain reporter: Ansible's default-callback look, line by line, for CI logs and pipes.
import { assertNever } from '../core/assert-never.js';
import type { RunEvent } from '../executor/events.js';
import { palette, type Palette } from './color.js';
import { banner, formatDuration, resultLines } from './format.js';
import { progressText } from '../core/progress.js';
import { printable } from '../core/printable.js';
import { endLines } from './recap.js';
import type { Reporter, ReporterOptions } from './index.js';
import { flush, writeLines, warningLine } from './io.js';
import { ModuleWarnings } from './module-warnings.js';

export class PlainReporter implements Reporter {
  private readonly p: Palette;
  private readonly modules = new Map<string, string>();
  private readonly waits = new Map<string, number>();
  private readonly starts = new Map<string, number>();
  private started = false;
  /** the includes whose banner is out (a skipped include's, or its first `included:` line's) */
  private readonly bannered = new Set<string>();
  private readonly warnings: ModuleWarnings;
  private readonly err: NodeJS.WritableStream;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly opts: ReporterOptions,
  ) {
    this.p = palette(opts.color);
    this.warnings = new ModuleWarnings(this.p);
    this.err = opts.err ?? out;
  }

  onEvent(e: RunEvent): void {
    if (e.type !== 'host-result' || e.resumed) return this.write(this.render(e));
    // a module's warnings go to stderr as Ansible's: before the result line, after a loop's item lines
    const warnings = this.warnings.lines(e.result);
    if (!e.items?.length) writeLines(this.err, warnings);
    this.write(this.render(e));
    if (e.items?.length) writeLines(this.err, warnings);
  }

  async close(): Promise<void> {
    await flush(this.out);
    if (this.err !== this.out) await flush(this.err);
  }

  /** The lines one event prints. */
  render(e: RunEvent): string[] {
    switch (e.type) {
      case 'run-start':
        return [];
      case 'play-start':
        return e.hosts.length ? this.banner(`PLAY [${e.play}]`) : [...this.banner(`PLAY [${e.play}]`), 'skipping: no hosts matched'];
      case 'batch-start': {
        // ansible-playbook prints the play's banner again for each batch of a serial play
        const lines = e.index > 1 ? this.banner(`PLAY [${e.play}]`) : [];
        return this.opts.verbosity >= 1 ? [...lines, `batch ${e.index}/${e.count}: ${e.hosts.join(', ')}`] : lines;
      }
      case 'task-start': {
        this.modules.set(e.id, e.module);
        this.starts.set(e.id, e.time);
        if (e.module === 'include_tasks') this.bannered.add(e.id);
        const lines = this.banner(e.handler ? `RUNNING HANDLER [${e.task}]` : `TASK [${e.task}]`);
        if (this.opts.verbosity >= 2) lines.push(`task path: ${e.pos.file}:${e.pos.line}`);
        return lines;
      }
      case 'host-result': {
        if (e.resumed) return [this.p.skipped(`replayed: [${e.host}] (${e.result.status} in the run resumed: not run again)`)];
        const o = { verbosity: this.opts.verbosity, diff: this.opts.diff, ...this.moduleOf(e.id) };
        if (e.items && e.items.length > 0) {
          const lines = e.items.flatMap((it) => resultLines(e.host, e.delegatedTo, it, this.p, o, true));
          // the loop as a whole: a line of its own when it was unreachable or every item was skipped, as Ansible's
          // default callback (a failed loop is its items' lines only: v2_runner_on_failed prints no fatal line for it)
          if (e.result.status === 'unreachable' || e.result.status === 'skipped')
            lines.push(...resultLines(e.host, e.delegatedTo, e.result, this.p, { ...o, diff: false }));
          else if (e.result.ignored) lines.push(this.p.skipped('...ignoring'));
          return lines;
        }
        return resultLines(e.host, e.delegatedTo, e.result, this.p, o);
      }
      case 'progress': {
        // a line when a wait begins and every 10 s of it: a CI log shows what hangs, not a flood
        const key = `${e.id} ${e.host}`;
        const bucket = Math.floor(e.progress.elapsedMs / 10_000);
        if (this.waits.get(key) === bucket) return [];
        this.waits.set(key, bucket);
        return [this.p.dim(`  [${e.host}] ${progressText(e.progress)}`)];
      }
      case 'task-end': {
        for (const k of this.waits.keys()) if (k.startsWith(`${e.id} `)) this.waits.delete(k);
        this.modules.delete(e.id);
        // the step's time, under its results, when it is worth reading (the log stays Ansible's)
        const started = this.starts.get(e.id);
        this.starts.delete(e.id);
        return started !== undefined && e.time - started >= 1000 ? [this.p.dim(`took ${formatDuration(e.time - started)}`)] : [];
      }
      case 'play-end':
        this.bannered.clear();
        return [];
      case 'included': {
        // Ansible's `included: FILE for HOSTS => (item=LABEL)`, under the include's banner (include_role: the banner alone)
        const lines =
          e.file === undefined
            ? []
            : [
                this.p.skipped(
                  `included: ${printable(e.file)} for ${e.hosts.map(printable).join(', ')}${e.label !== undefined ? ` => (item=${printable(e.label)})` : ''}`,
                ),
              ];
        if (this.bannered.has(e.id)) return lines;
        this.bannered.add(e.id);
        return [...this.banner(`TASK [${e.task}]`), ...lines];
      }
      case 'warning':
        return [warningLine(e, this.p)];
      case 'run-end':
        return [...this.lead(), ...endLines(e, this.p)];
      default:
        return assertNever(e);
    }
  }

  private moduleOf(id: string): { module?: string } {
    const m = this.modules.get(id);
    return m === undefined ? {} : { module: m };
  }

  /** An empty line before a section, except at the very top of the output. */
  private lead(): string[] {
    const lines = this.started ? [''] : [];
    this.started = true;
    return lines;
  }

  private banner(text: string): string[] {
    return [...this.lead(), banner(text)];
  }

  private write(lines: string[]): void {
    if (lines.length) this.started = true;
    writeLines(this.out, lines);
  }
}
