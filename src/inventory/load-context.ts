// What loading one inventory collects: the problems found, the files read, and how a file is
// named in messages (relative to where the user ran the command).
import { relative } from 'node:path';
import { error, type Diagnostic } from '../core/diagnostic.js';
import { readBounded } from '../core/read-bounded.js';
import type { Inventory } from './model.js';

export class LoadContext {
  readonly errors: Diagnostic[] = [];
  readonly warnings: Diagnostic[] = [];

  constructor(
    readonly cwd: string,
    readonly inv: Inventory,
  ) {}

  display(abs: string): string {
    const rel = relative(this.cwd, abs);
    return rel === '' || rel.startsWith('..') ? abs : rel;
  }

  /** The text of a file (recorded as a source), or undefined after reporting why not. */
  read(abs: string): string | undefined {
    const read = readBounded(abs);
    if (!read.ok) {
      this.errorAt(abs, read.why);
      return undefined;
    }
    this.inv.sources.push(abs);
    return read.text;
  }

  /** An error about a whole file, placed at its first line. */
  errorAt(abs: string, message: string, line = 1, col = 1): void {
    this.errors.push(error({ file: this.display(abs), line, col }, message));
  }

  add(diagnostics: readonly Diagnostic[]): void {
    for (const d of diagnostics) (d.severity === 'error' ? this.errors : this.warnings).push(d);
  }
}
