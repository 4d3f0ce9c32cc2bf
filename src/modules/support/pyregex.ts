// Ansible's regexp arguments are Python regular expressions. The common dialect differences
// are translated to JavaScript; replacement templates (\1, \g<1>, \g<name>) are expanded
// the way Python's match.expand does.

/** A Python pattern as a JavaScript RegExp. */
export function pyRegex(pattern: string, flags = ''): RegExp {
  let src = pattern;
  const f = new Set(flags.split('').filter((c) => c !== ''));
  const inline = /^\(\?([aiLmsux]+)\)/.exec(src);
  if (inline) {
    for (const c of inline[1]!) {
      if (c === 'i' || c === 'm' || c === 's') f.add(c);
      else if (c === 'x') throw new Error(`regular expression '${pattern}': verbose mode (?x) is not supported`);
    }
    src = src.slice(inline[0].length);
  }
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\' && i + 1 < src.length) {
      const n = src[i + 1]!;
      if (n === 'A') out += '(?<![\\s\\S])';
      else if (n === 'Z') out += '(?![\\s\\S])';
      else out += c + n;
      i++;
    } else if (src.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
    } else if (src.startsWith('(?P=', i)) {
      const end = src.indexOf(')', i);
      if (end < 0) throw new Error(`regular expression '${pattern}': unterminated (?P=`);
      out += `\\k<${src.slice(i + 4, end)}>`;
      i = end;
    } else {
      out += c;
    }
  }
  try {
    return new RegExp(out, [...f].join(''));
  } catch (e) {
    throw new Error(`invalid regular expression '${pattern}': ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' };

/** Python's match.expand(template): \1..\99, \g<n>, \g<name> and the usual escapes. */
export function expandTemplate(template: string, m: RegExpMatchArray): string {
  let out = '';
  const group = (ref: string): string => {
    if (/^\d+$/.test(ref)) {
      const n = Number(ref);
      if (n >= m.length) throw new Error(`invalid group reference ${ref}`);
      return m[n] ?? '';
    }
    if (!m.groups || !(ref in m.groups)) throw new Error(`unknown group name '${ref}'`);
    return m.groups[ref] ?? '';
  };
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== '\\' || i + 1 >= template.length) {
      out += c;
      continue;
    }
    const n = template[i + 1]!;
    if (n === 'g' && template[i + 2] === '<') {
      const end = template.indexOf('>', i + 3);
      if (end < 0) throw new Error('missing > in \\g<...>');
      out += group(template.slice(i + 3, end));
      i = end;
    } else if (/\d/.test(n)) {
      const two = /^\d{1,2}/.exec(template.slice(i + 1))![0];
      out += group(two);
      i += two.length;
    } else if (n in ESCAPES) {
      out += ESCAPES[n];
      i++;
    } else {
      out += c + n; // Python keeps unknown escapes of punctuation as written
      i++;
    }
  }
  return out;
}
