// fnmatch-style globs (Python's fnmatch, which Ansible uses for host patterns and fact filters):
// `*`, `?`, `[seq]`, `[!seq]`; everything else literal.

/** The regular expression source of a glob (not anchored). */
export function globSource(glob: string): string {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      let j = i + 1;
      if (glob[j] === '!') j++;
      if (glob[j] === ']') j++;
      while (j < glob.length && glob[j] !== ']') j++;
      if (j >= glob.length) {
        re += '\\[';
        continue;
      }
      let set = glob.slice(i + 1, j).replace(/\\/g, '\\\\');
      if (set.startsWith('!')) set = '^' + set.slice(1);
      else if (set.startsWith('^')) set = '\\' + set;
      re += `[${set}]`;
      i = j;
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return re;
}

/** A glob as an anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^(?:${globSource(glob)})$`, 's');
}
