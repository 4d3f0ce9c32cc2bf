// PLAY RECAP, as Ansible prints it: `host : ok=3    changed=1 ...`, hosts sorted, the host
// column at least 26 wide and as wide as the longest host so the colons line up.
import type { Counters, RunEvent } from '../executor/events.js';
import type { Paint, Palette } from './color.js';
import { banner, formatDuration } from './format.js';

type RunEnd = Extract<RunEvent, { type: 'run-end' }>;

const FIELDS: readonly (keyof Counters)[] = ['ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'];

function fieldPaint(p: Palette, f: keyof Counters): Paint {
  switch (f) {
    case 'ok':
    case 'rescued':
      return p.ok;
    case 'changed':
      return p.changed;
    case 'unreachable':
      return p.unreachable;
    case 'failed':
      return p.failed;
    case 'skipped':
      return p.skipped;
    case 'ignored':
      return p.warning;
    case 'replayed':
      return p.skipped;
  }
}

function hostPaint(p: Palette, c: Counters): Paint {
  if (c.failed > 0 || c.unreachable > 0) return p.failed;
  if (c.changed > 0) return p.changed;
  return p.ok;
}

export function recapLines(recap: RunEnd['recap'], p: Palette): string[] {
  const hosts = Object.keys(recap).sort();
  const width = Math.max(26, ...hosts.map((h) => h.length));
  const out = [banner('PLAY RECAP')];
  for (const h of hosts) {
    const c = recap[h]!;
    // replayed= (runbook's --resume) only when there is something replayed: the rest is Ansible's line
    const fields = [...FIELDS, ...(c.replayed ? (['replayed'] as const) : [])].map((f) => {
      const text = `${f}=${String(c[f]).padEnd(4)}`;
      return c[f] !== 0 ? fieldPaint(p, f)(text) : text;
    });
    out.push(`${hostPaint(p, c)(h)}${' '.repeat(width - h.length)} : ${fields.join(' ')}`.trimEnd());
  }
  return out;
}

/** Recap, then `Finished in`, then (last) the interruption notice. */
export function endLines(e: RunEnd, p: Palette): string[] {
  const out = [...recapLines(e.recap, p), '', `Finished in ${formatDuration(e.durationMs)}`];
  if (e.interrupted) out.push(p.warning('Interrupted: the run was stopped before it finished; tasks after the interruption did not run.'));
  return out;
}
