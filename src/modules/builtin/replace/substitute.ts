// The replace module's edit as a pure function: Python re.subn with MULTILINE over the
// whole text, or over the part between `after` and `before` (DOTALL, as Ansible builds it).
import { compilePyRegex, expandPyTemplate } from '../../../template/regex.js';

export interface ReplaceOptions {
  readonly regexp: string;
  readonly replace?: string | undefined;
  readonly after?: string | undefined;
  readonly before?: string | undefined;
}

export interface ReplaceEdit {
  readonly text: string;
  readonly count: number;
  readonly changed: boolean;
  readonly msg: string;
}

/** The regexp source of a Python pattern as JavaScript (for composing the section pattern). */
function jsSource(p: string): string {
  return compilePyRegex(p).source;
}

export function replaceText(text: string, o: ReplaceOptions): ReplaceEdit {
  let start = 0;
  let end = text.length;
  if (o.after !== undefined || o.before !== undefined) {
    const pattern = `${o.after !== undefined ? jsSource(o.after) : ''}(?<subsection>[\\s\\S]${o.after !== undefined && o.before !== undefined ? '*?' : '*'})${o.before !== undefined ? jsSource(o.before) : ''}`;
    const m = new RegExp(pattern, 'sd').exec(text);
    const at = m?.indices?.groups?.['subsection'];
    if (!m || !at) {
      return { text, count: 0, changed: false, msg: `Pattern for before/after params did not match the given file: ${pattern}` };
    }
    [start, end] = at;
  }
  const section = text.slice(start, end);
  const re = compilePyRegex(o.regexp, {}, 'gm');
  let out = '';
  let last = 0;
  let count = 0;
  for (const m of section.matchAll(re)) {
    out += section.slice(last, m.index) + expandPyTemplate(o.replace ?? '', m, m.groups);
    last = (m.index ?? 0) + m[0].length;
    count++;
  }
  out += section.slice(last);
  const changed = count > 0 && out !== section;
  return {
    text: changed ? text.slice(0, start) + out + text.slice(end) : text,
    count,
    changed,
    msg: changed ? `${count} replacements made` : '',
  };
}
