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

/** `FILE:LINE:COL: message`, then the source line and a caret when known. */
export function renderDiagnostic(d: Diagnostic, withExcerpt = true): string {
  const head = `${formatPos(d.pos)}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message}`;
  if (!withExcerpt || d.excerpt === undefined) return head;
  const caret = ' '.repeat(Math.max(0, d.pos.col - 1)) + '^';
  return `${head}\n    ${d.excerpt}\n    ${caret}`;
}

/** Thrown only inside a layer and caught at its boundary, never across layers. */
export class DiagnosticError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => renderDiagnostic(d, false)).join('\n'));
  }
}
