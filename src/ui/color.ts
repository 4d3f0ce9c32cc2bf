// Ansible's colors (lib/ansible/config: COLOR_OK green, COLOR_CHANGED yellow, COLOR_SKIP cyan,
// COLOR_ERROR red, COLOR_UNREACHABLE bright red, COLOR_WARNING bright purple, COLOR_DIFF_*).
// With color off every painter is the identity, so no escape code can leak into logs.
import type { Status } from '../core/result.js';

export type Paint = (s: string) => string;

export interface Palette {
  readonly enabled: boolean;
  readonly ok: Paint;
  readonly changed: Paint;
  readonly skipped: Paint;
  readonly failed: Paint;
  readonly unreachable: Paint;
  readonly warning: Paint;
  readonly diffAdd: Paint;
  readonly diffRemove: Paint;
  readonly diffHunk: Paint;
  readonly dim: Paint;
  readonly magenta: Paint;
}

const sgr =
  (code: string): Paint =>
  (s) =>
    s === '' ? s : `\u001b[${code}m${s}\u001b[0m`;
const plain: Paint = (s) => s;

export function palette(enabled: boolean): Palette {
  if (!enabled) {
    return {
      enabled,
      ok: plain,
      changed: plain,
      skipped: plain,
      failed: plain,
      unreachable: plain,
      warning: plain,
      diffAdd: plain,
      diffRemove: plain,
      diffHunk: plain,
      dim: plain,
      magenta: plain,
    };
  }
  return {
    enabled,
    ok: sgr('0;32'),
    changed: sgr('0;33'),
    skipped: sgr('0;36'),
    failed: sgr('0;31'),
    unreachable: sgr('1;31'),
    warning: sgr('1;35'),
    diffAdd: sgr('0;32'),
    diffRemove: sgr('0;31'),
    diffHunk: sgr('0;36'),
    dim: sgr('0;90'),
    magenta: sgr('0;35'),
  };
}

export function paintStatus(p: Palette, status: Status): Paint {
  switch (status) {
    case 'ok':
      return p.ok;
    case 'changed':
      return p.changed;
    case 'skipped':
      return p.skipped;
    case 'failed':
      return p.failed;
    case 'unreachable':
      return p.unreachable;
  }
}

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** Visible text of a possibly colored string. */
export function stripAnsi(s: string): string {
  return s.replace(ANSI, '');
}
