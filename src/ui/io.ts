// Writing to the reporter's stream (src/ui is one of the two places allowed to do I/O).
import type { RunEvent } from '../executor/events.js';
import type { Palette } from './color.js';

export function writeLines(out: NodeJS.WritableStream, lines: readonly string[]): void {
  if (lines.length) out.write(lines.join('\n') + '\n');
}

/** Resolves once everything written so far has been handed to the stream's destination. */
export function flush(out: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    try {
      out.write('', () => resolve());
    } catch {
      resolve();
    }
  });
}

export function warningLine(e: Extract<RunEvent, { type: 'warning' }>, p: Palette): string {
  return p.warning(`[WARNING]: ${e.host !== undefined ? `[${e.host}] ` : ''}${e.message}`);
}
