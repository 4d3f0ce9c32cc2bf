// The one error type the template engine throws; `kind` tells callers what went wrong.
export type TemplateErrorKind = 'undefined' | 'syntax' | 'type' | 'recursion' | 'filter' | 'call';

export interface TemplateErrorDetail {
  readonly variable?: string;
  readonly offset?: number;
}

export class TemplateError extends Error {
  readonly kind: TemplateErrorKind;
  readonly variable?: string;
  readonly offset?: number;

  constructor(kind: TemplateErrorKind, message: string, detail: TemplateErrorDetail = {}) {
    super(message);
    this.name = 'TemplateError';
    this.kind = kind;
    if (detail.variable !== undefined) this.variable = detail.variable;
    if (detail.offset !== undefined) this.offset = detail.offset;
  }
}

export function syntaxError(message: string, offset: number): TemplateError {
  return new TemplateError('syntax', message, { offset });
}

export function typeError(message: string): TemplateError {
  return new TemplateError('type', message);
}

export function filterError(message: string): TemplateError {
  return new TemplateError('filter', message);
}

export function callError(message: string): TemplateError {
  return new TemplateError('call', message);
}

/** A missing value, carried through `default`, `is defined` and friends; raised anywhere else. */
export class Undef {
  constructor(
    readonly variable: string,
    readonly message: string,
  ) {}

  error(): TemplateError {
    return new TemplateError('undefined', this.message, { variable: this.variable });
  }
}

/** Raise if `v` is undefined, else return it. */
export function defined(v: unknown): unknown {
  if (v instanceof Undef) throw v.error();
  return v;
}
