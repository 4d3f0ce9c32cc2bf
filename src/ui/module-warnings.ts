// A module's warnings and deprecations as ansible-core's default callback prints them: before
// the task's result line (a loop's after its items' lines), `[WARNING]: …` and
// `[DEPRECATION WARNING]: …` wrapped at 79 columns as Display does, each text once a run.
import type { Deprecation } from '../core/result.js';
import type { ResultView } from '../executor/events.js';
import type { Palette } from './color.js';
import { pyWrap } from './wrap.js';

/** Display.columns when the output is not a terminal: max(79, tty width - 1) */
const COLUMNS = 79;

/** Display.get_deprecation_message (not `removed`) */
export function deprecationText(d: Deprecation): string {
  let msg = d.msg.trim();
  if (msg && !['!', '?', '.'].includes(msg[msg.length - 1]!)) msg += '.';
  const collection = d.collection_name === 'ansible.builtin' ? 'ansible-core' : d.collection_name;
  const when = d.date ? `in a release after ${d.date}.` : d.version ? `in version ${d.version}.` : 'in a future release.';
  return [
    `[DEPRECATION WARNING]: ${msg}`,
    'This feature will be removed',
    collection ? `from ${collection}` : '',
    when,
    'Deprecation warnings can be disabled by setting deprecation_warnings=False in ansible.cfg.',
  ]
    .filter(Boolean)
    .join(' ');
}

export class ModuleWarnings {
  private readonly seen = new Set<string>();

  constructor(private readonly p: Palette) {}

  /** The lines a result's warnings print, the ones this run printed already left out (Display._warns, _deprecations). */
  lines(r: ResultView): string[] {
    const out: string[] = [];
    for (const w of r.warnings ?? []) this.add(out, `w${pyWrap(`[WARNING]: ${w}`, COLUMNS).join('\n')}`);
    for (const d of r.deprecations ?? []) this.add(out, `d${pyWrap(deprecationText(d), COLUMNS, false).join('\n').trim()}`);
    return out;
  }

  private add(out: string[], keyed: string): void {
    if (this.seen.has(keyed)) return;
    this.seen.add(keyed);
    const text = keyed.slice(1);
    // wrap() of a blank warning is no line: Display still prints its newline
    out.push(...(text === '' ? [''] : text.split('\n').map((l) => this.p.warning(l))));
  }
}
