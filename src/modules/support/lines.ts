// lineinfile's edit as a pure function of the file text, following ansible.builtin.lineinfile
// (present: last match of regexp/search_string is replaced, else the exact line is kept, else
// the line is inserted after/before the last match of insertafter/insertbefore, else at EOF).
import { compilePyRegex, expandPyTemplate } from '../../template/regex.js';

export interface LineOptions {
  readonly state?: 'present' | 'absent';
  readonly line?: string | undefined;
  readonly regexp?: string | undefined;
  readonly searchString?: string | undefined;
  /** a regexp, or EOF / BOF */
  readonly insertafter?: string | undefined;
  /** a regexp, or BOF */
  readonly insertbefore?: string | undefined;
  readonly backrefs?: boolean | undefined;
  readonly firstmatch?: boolean | undefined;
}

export interface LineEdit {
  readonly text: string;
  readonly changed: boolean;
  /** Ansible's message: 'line added', 'line replaced', 'N line(s) removed' or '' */
  readonly msg: string;
  /** absent: how many lines were removed */
  readonly found?: number;
}

const NL = '\n';

/** Lines with their terminators, as Python's readlines(). */
export function splitKeep(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const j = text.indexOf('\n', i);
    if (j < 0) {
      out.push(text.slice(i));
      break;
    }
    out.push(text.slice(i, j + 1));
    i = j + 1;
  }
  return out;
}

const bare = (l: string): string => l.replace(/[\r\n]+$/, '');
const endsWithNl = (l: string): boolean => l.endsWith('\n') || l.endsWith('\r');

export function editLines(text: string, o: LineOptions): LineEdit {
  const lines = splitKeep(text);
  if ((o.state ?? 'present') === 'absent') return removeLines(lines, o);
  const line = o.line;
  if (line === undefined) throw new Error("state=present requires 'line'");
  if (o.backrefs && o.regexp === undefined) throw new Error("'backrefs' requires 'regexp'");
  const re = o.regexp !== undefined ? compilePyRegex(o.regexp) : undefined;
  let ins: RegExp | undefined;
  if (o.insertafter !== undefined && o.insertafter !== 'BOF' && o.insertafter !== 'EOF') ins = compilePyRegex(o.insertafter);
  else if (o.insertbefore !== undefined && o.insertbefore !== 'BOF') ins = compilePyRegex(o.insertbefore);

  let matchIdx = -1;
  let insIdx = -1;
  let match: RegExpExecArray | true | undefined;
  if (re || o.searchString !== undefined) {
    for (let i = 0; i < lines.length; i++) {
      const cur = bare(lines[i]!);
      const found = re ? (re.exec(cur) ?? undefined) : cur.includes(o.searchString!) ? true : undefined;
      if (found) {
        matchIdx = i;
        match = found;
        if (o.firstmatch) break;
      }
    }
  }
  if (!match) {
    for (let i = 0; i < lines.length; i++) {
      const cur = lines[i]!;
      if (bare(cur) === line) {
        matchIdx = i;
      } else if (ins && ins.test(bare(cur))) {
        insIdx = o.insertafter !== undefined ? i + 1 : i;
        if (o.firstmatch) break;
      }
    }
  }

  const result = (msg: string): LineEdit => ({ text: lines.join(''), changed: msg !== '', msg });
  if (matchIdx !== -1) {
    let newLine = o.backrefs && match && match !== true ? expandPyTemplate(line, match, match.groups) : line;
    if (!newLine.endsWith(NL)) newLine += NL;
    if (lines[matchIdx] !== newLine) {
      lines[matchIdx] = newLine;
      return result('line replaced');
    }
    return result('');
  }
  if (o.backrefs) return result(''); // without a match there is nothing to fill the backrefs from
  if (o.insertbefore === 'BOF' || o.insertafter === 'BOF') {
    lines.unshift(line + NL);
    return result('line added');
  }
  if (o.insertafter === 'EOF' || insIdx === -1) {
    if (lines.length && !endsWithNl(lines[lines.length - 1]!)) lines.push(NL);
    lines.push(line + NL);
    return result('line added');
  }
  if (o.insertafter !== undefined) {
    if (insIdx === lines.length) {
      if (bare(lines[insIdx - 1]!) !== line) {
        if (!endsWithNl(lines[insIdx - 1]!)) lines.push(NL);
        lines.push(line + NL);
        return result('line added');
      }
      return result('');
    }
    if (bare(lines[insIdx]!) !== line) {
      lines.splice(insIdx, 0, line + NL);
      return result('line added');
    }
    return result('');
  }
  // insertbefore matched
  if (insIdx <= 0 ? bare(lines[insIdx]!) !== line : bare(lines[insIdx - 1]!) !== line) {
    lines.splice(insIdx, 0, line + NL);
    return result('line added');
  }
  return result('');
}

function removeLines(lines: string[], o: LineOptions): LineEdit {
  if (o.regexp === undefined && o.searchString === undefined && o.line === undefined)
    throw new Error("state=absent requires one of 'regexp', 'search_string' or 'line'");
  const re = o.regexp !== undefined ? compilePyRegex(o.regexp) : undefined;
  let found = 0;
  const kept = lines.filter((l) => {
    const cur = bare(l);
    const hit = re ? re.test(cur) : o.searchString !== undefined ? cur.includes(o.searchString) : cur === o.line;
    if (hit) found++;
    return !hit;
  });
  return { text: kept.join(''), changed: found > 0, msg: found > 0 ? `${found} line(s) removed` : '', found };
}

/** The edited text (see editLines for the message and whether anything changed). */
export function setLine(text: string, o: LineOptions): string {
  return editLines(text, o).text;
}
