// Reporters: subscribers to the executor's RunEvents that turn them into output on `out`.
//   plain — Ansible's default-callback look (non-TTY default)
//   plan  — what `runbook plan` shows: only what would change, and a summary
//   json  — one JSON object per event (NDJSON)
//   tty   — live progress with listr2, loaded only when chosen (CLI cold start)
import { assertNever } from '../core/assert-never.js';
import type { RunEvent } from '../executor/events.js';
import { JsonReporter } from './json.js';
import { PlainReporter } from './plain.js';
import { PlanReporter } from './plan.js';

export type ReporterKind = 'tty' | 'plain' | 'json' | 'plan';

export interface Reporter {
  onEvent(e: RunEvent): void;
  /** a message the operator must see at once (Ctrl-C acknowledged), shown in the live view */
  notice?(text: string): void;
  close(): Promise<void>;
}

export interface ReporterOptions {
  readonly verbosity: number;
  readonly color: boolean;
  readonly diff: boolean;
  /** where a module's warnings go (Ansible: stderr); `out` when not given */
  readonly err?: NodeJS.WritableStream;
}

export async function createReporter(kind: ReporterKind, out: NodeJS.WritableStream, opts: ReporterOptions): Promise<Reporter> {
  switch (kind) {
    case 'plain':
      return new PlainReporter(out, opts);
    case 'plan':
      return new PlanReporter(out, opts);
    case 'json':
      return new JsonReporter(out);
    case 'tty': {
      const { TtyReporter } = await import('./tty.js');
      return TtyReporter.create(out, opts);
    }
    default:
      return assertNever(kind);
  }
}
