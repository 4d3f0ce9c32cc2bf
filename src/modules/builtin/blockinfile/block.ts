// blockinfile's edit, as ansible.builtin.blockinfile (2.14) computes it, pure: the lines
// between the two marker lines are the block; a block not there yet goes after the last line
// matching insertafter (EOF by default) or before the last matching insertbefore (or BOF).
import { compilePyRegex } from '../../../template/regex.js';
import { splitKeep } from '../../support/lines.js';

export interface BlockOptions {
  readonly state: 'present' | 'absent';
  readonly block: string;
  readonly marker: string;
  readonly markerBegin: string;
  readonly markerEnd: string;
  readonly insertafter?: string | undefined;
  readonly insertbefore?: string | undefined;
}

/** The new text and Ansible's message ('' when unchanged; 'File created', 'Block removed', 'Block inserted'). */
export function editBlock(original: string | null, o: BlockOptions): { text: string; changed: boolean; msg: string } {
  const lines = original === null ? [] : splitKeep(original);
  let insertafter = o.insertafter;
  const insertbefore = o.insertbefore;
  if (insertbefore === undefined && insertafter === undefined) insertafter = 'EOF';
  const pattern =
    insertafter !== undefined && insertafter !== 'EOF'
      ? insertafter
      : insertbefore !== undefined && insertbefore !== 'BOF'
        ? insertbefore
        : undefined;
  const insertre = pattern !== undefined ? compilePyRegex(pattern) : undefined;
  const marker0 = o.marker.split('{mark}').join(o.markerBegin) + '\n';
  const marker1 = o.marker.split('{mark}').join(o.markerEnd) + '\n';
  let blocklines: string[] = [];
  if (o.state === 'present' && o.block !== '') {
    const block = o.block.endsWith('\n') ? o.block : o.block + '\n';
    blocklines = [marker0, ...splitKeep(block), marker1];
  }
  let n0: number | undefined;
  let n1: number | undefined;
  lines.forEach((line, i) => {
    if (line === marker0) n0 = i;
    if (line === marker1) n1 = i;
  });
  if (n0 === undefined || n1 === undefined) {
    n0 = undefined;
    if (insertre) {
      if (insertre.multiline) {
        const m = insertre.exec(original ?? '');
        if (m) n0 = countNl((original ?? '').slice(0, insertafter !== undefined ? m.index + m[0].length : m.index));
      } else {
        lines.forEach((line, i) => {
          if (insertre.test(line)) n0 = i;
        });
      }
      if (n0 === undefined) n0 = lines.length;
      else if (insertafter !== undefined) n0 += 1;
    } else if (insertbefore !== undefined) n0 = 0;
    else n0 = lines.length;
  } else if (n0 < n1) {
    lines.splice(n0, n1 - n0 + 1);
  } else {
    lines.splice(n1, n0 - n1 + 1);
    n0 = n1;
  }
  if (n0 > 0 && !lines[n0 - 1]!.endsWith('\n')) lines[n0 - 1] += '\n';
  lines.splice(n0, 0, ...blocklines);
  const text = lines.join('');
  if (original === text) return { text, changed: false, msg: '' };
  if (original === null) return { text, changed: true, msg: 'File created' };
  return { text, changed: true, msg: blocklines.length ? 'Block inserted' : 'Block removed' };
}

function countNl(s: string): number {
  let n = 0;
  for (const c of s) if (c === '\n') n++;
  return n;
}
