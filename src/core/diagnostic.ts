import { formatPos, type SourcePos } from './source.js';

// A problem found in user input, always tied to the node it is about.
export interface Diagnostic {
  readonly pos: SourcePos;
  readonly message: string;
  /** the offending source line, shown under the message with a caret */
  readonly excerpt?: string;
  readonly severity: 'error' | 'warning';
}

export function error(pos: SourcePos, message: string, excerpt?: string): Diagnostic {
  return excerpt === undefined ? { pos, message, severity: 'error' } : { pos, message, excerpt, severity: 'error' };
}

export function warning(pos: SourcePos, message: string): Diagnostic {
  return { pos, message, severity: 'warning' };
}

const EXCERPT_WIDTH = 120;

/** `FILE:LINE:COL: message`, then the source line (at most EXCERPT_WIDTH of it) and a caret. */
export function renderDiagnostic(d: Diagnostic, withExcerpt = true): string {
  const head = `${formatPos(d.pos)}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message}`;
  if (!withExcerpt || d.excerpt === undefined) return head;
  // a very long line (minified or generated YAML) is shown as a window around the column
  let text = d.excerpt;
  let col = Math.max(0, d.pos.col - 1);
  if (text.length > EXCERPT_WIDTH) {
    const start = Math.max(0, Math.min(col - EXCERPT_WIDTH / 2, text.length - EXCERPT_WIDTH));
    text = `${start > 0 ? '…' : ''}${text.slice(start, start + EXCERPT_WIDTH)}${start + EXCERPT_WIDTH < d.excerpt.length ? '…' : ''}`;
    col = col - start + (start > 0 ? 1 : 0);
  }
  return `${head}\n    ${text}\n    ${' '.repeat(col)}^`;
}

/** Thrown only inside a layer and caught at its boundary, never across layers. */
export class DiagnosticError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => renderDiagnostic(d, false)).join('\n'));
  }
}
