// Python's textwrap.wrap with its defaults (break_long_words, break_on_hyphens, whitespace
// replaced by spaces), which ansible-core's Display wraps its warnings and deprecations with:
// the same words end the same lines, so a warning reads as ansible-playbook's.
const WS = '[\\t\\n\\x0b\\x0c\\r ]';
const NWS = '[^\\t\\n\\x0b\\x0c\\r ]';
const WORD_PUNCT = '[\\p{L}\\p{M}\\p{N}_!"\'&.,?]';
const LETTER = '[\\p{L}\\p{M}_]';
const WORD = '[\\p{L}\\p{M}\\p{N}_]';
// TextWrapper.wordsep_re (Python 3.11), its capturing group kept so split() returns the chunks
const WORDSEP = new RegExp(
  `(${WS}+` +
    `|(?<=${WORD_PUNCT})-{2,}(?=${WORD})` +
    `|${NWS}+?(?:-(?:(?<=${LETTER}{2}-)|(?<=${LETTER}-${LETTER}-))(?=${LETTER}-?${LETTER})|(?=${WS}|$)|(?<=${WORD_PUNCT})(?=-{2,}${WORD})))`,
  'u',
);

function expandTabs(s: string): string {
  let out = '';
  let col = 0;
  for (const ch of s) {
    if (ch === '\t') {
      const n = 8 - (col % 8);
      out += ' '.repeat(n);
      col += n;
    } else {
      out += ch;
      col = ch === '\n' || ch === '\r' ? 0 : col + 1;
    }
  }
  return out;
}

/** textwrap.wrap(text, width[, drop_whitespace=False]): the lines, none for blank text. */
export function pyWrap(text: string, width: number, dropWhitespace = true): string[] {
  const munged = expandTabs(text).replace(/[\t\n\x0b\x0c\r]/g, ' ');
  const chunks = munged.split(WORDSEP).filter((c) => c !== '' && c !== undefined);
  chunks.reverse();
  const lines: string[] = [];
  const len = (s: string): number => [...s].length;
  while (chunks.length) {
    const cur: string[] = [];
    let curLen = 0;
    if (dropWhitespace && chunks[chunks.length - 1]!.trim() === '' && lines.length) chunks.pop();
    while (chunks.length) {
      const l = len(chunks[chunks.length - 1]!);
      if (curLen + l > width) break;
      cur.push(chunks.pop()!);
      curLen += l;
    }
    if (chunks.length && len(chunks[chunks.length - 1]!) > width) {
      // _handle_long_word: break it where the line ends (after its last hyphen there, if any)
      const space = Math.max(1, width - curLen);
      const chunk = [...chunks[chunks.length - 1]!];
      let end = space;
      if (chunk.length > space) {
        const hyphen = chunk.slice(0, space).lastIndexOf('-');
        if (hyphen > 0 && chunk.slice(0, hyphen).some((c) => c !== '-')) end = hyphen + 1;
      }
      cur.push(chunk.slice(0, end).join(''));
      chunks[chunks.length - 1] = chunk.slice(end).join('');
    }
    if (dropWhitespace && cur.length && cur[cur.length - 1]!.trim() === '') cur.pop();
    if (cur.length) lines.push(cur.join(''));
  }
  return lines;
}
