// PyYAML (what Ansible reads playbooks with) accepts a quoted scalar whose continuation lines
// start with a TAB or are indented no deeper than their key; the yaml package, following YAML
// 1.2 to the letter, refuses both (one TAB gave dozens of cascading errors). Leading
// whitespace of a continuation line is folded away either way, so rewriting it as enough
// spaces changes no value. The same holds for the lines of a flow collection (`- {` then
// `name: x,` at the dash's column, as in a molecule converge.yml): PyYAML takes them, the
// yaml package wants them deeper than the block collection around. Only used when the text as
// written does not parse.

/** A quote opens a scalar only where a node may start: after `key: `, `- `, `[`, `{`, `,` or indentation. */
function opensScalar(before: string): boolean {
  const prev = before.trimEnd();
  return prev === '' || (/[:\-?]$/.test(prev) && /\s$/.test(before)) || /[[{,]$/.test(prev);
}

/** Where the node starting after `before` sits: its continuation lines must be deeper than that. */
function nodeIndent(before: string): number {
  return (/^(?:[ \t]*-[ \t]+)*[ \t]*/.exec(before)?.[0].length ?? 0) + 1;
}

/** The text with every quoted scalar's and flow collection's continuation lines re-indented with spaces. */
export function relaxQuotedContinuations(text: string): string {
  let out = '';
  let i = 0;
  let lineStart = 0;
  let flowDepth = 0;
  let flowIndent = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      out += c;
      lineStart = ++i;
      if (flowDepth > 0) {
        const lead = /^[ \t]*/.exec(text.slice(i))![0];
        if (text[i + lead.length] !== undefined && text[i + lead.length] !== '\n') {
          out += ' '.repeat(Math.max(lead.length, flowIndent));
          i += lead.length;
          lineStart = i;
        }
      }
      continue;
    }
    if (c === '#' && (i === lineStart || /\s/.test(text[i - 1]!))) {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out += text.slice(i, stop);
      i = stop;
      continue;
    }
    const before = text.slice(lineStart, i);
    if ((c === '"' || c === "'") && opensScalar(before)) {
      // where the node holding the scalar starts: a continuation line must be deeper than that
      const indent = flowDepth > 0 ? flowIndent : nodeIndent(before);
      const end = closingQuote(text, i + 1, c);
      if (end < 0) {
        out += text.slice(i);
        break;
      }
      out += text.slice(i, end + 1).replace(/\n[ \t]*(?=[^\n])/g, (m) => '\n' + ' '.repeat(Math.max(m.length - 1, indent)));
      const nl = text.lastIndexOf('\n', end);
      if (nl >= i) lineStart = nl + 1;
      i = end + 1;
      continue;
    }
    if ((c === '{' || c === '[') && (flowDepth > 0 || opensScalar(before))) {
      if (flowDepth === 0) flowIndent = nodeIndent(before);
      flowDepth++;
    } else if ((c === '}' || c === ']') && flowDepth > 0) flowDepth--;
    out += c;
    i++;
  }
  return out;
}

/** Index of the quote that closes a scalar opened just before `from`, or -1. */
function closingQuote(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (quote === '"' && c === '\\') i++;
    else if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}
