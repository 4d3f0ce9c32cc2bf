// The plain reporter: Ansible's default-callback look, line by line, for CI logs and pipes.
import { assertNever } from '../core/assert-never.js';
import type { RunEvent } from '../executor/events.js';
import { palette, type Palette } from './color.js';
import { banner, resultLines } from './format.js';
import { endLines } from './recap.js';
import type { Reporter, ReporterOptions } from './index.js';
import { flush, writeLines, warningLine } from './io.js';

export class PlainReporter implements Reporter {
  private readonly p: Palette;
  private readonly modules = new Map<string, string>();
  private started = false;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly opts: ReporterOptions,
  ) {
    this.p = palette(opts.color);
  }

  onEvent(e: RunEvent): void {
    this.write(this.render(e));
  }

  async close(): Promise<void> {
    await flush(this.out);
  }

  /** The lines one event prints. */
  render(e: RunEvent): string[] {
    switch (e.type) {
      case 'run-start':
        return [];
      case 'play-start':
        return e.hosts.length ? this.banner(`PLAY [${e.play}]`) : [...this.banner(`PLAY [${e.play}]`), 'skipping: no hosts matched'];
      case 'batch-start':
        return this.opts.verbosity >= 1 ? [`batch ${e.index}/${e.count}: ${e.hosts.join(', ')}`] : [];
      case 'task-start': {
        this.modules.set(e.id, e.module);
        const lines = this.banner(e.handler ? `RUNNING HANDLER [${e.task}]` : `TASK [${e.task}]`);
        if (this.opts.verbosity >= 2) lines.push(`task path: ${e.pos.file}:${e.pos.line}`);
        return lines;
      }
      case 'host-result': {
        if (e.resumed) return [this.p.skipped(`replayed: [${e.host}] (${e.result.status} in the run resumed: not run again)`)];
        const o = { verbosity: this.opts.verbosity, diff: this.opts.diff, ...this.moduleOf(e.id) };
        if (e.items && e.items.length > 0) {
          const lines = e.items.flatMap((it) => resultLines(e.host, e.delegatedTo, it, this.p, o, true));
          // the loop as a whole: only its failure needs a line of its own (Ansible does the same)
          if (e.result.status === 'failed' || e.result.status === 'unreachable') lines.push(...resultLines(e.host, e.delegatedTo, e.result, this.p, { ...o, diff: false }));
          return lines;
        }
        return resultLines(e.host, e.delegatedTo, e.result, this.p, o);
      }
      case 'task-end':
        this.modules.delete(e.id);
        return [];
      case 'play-end':
        return [];
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
