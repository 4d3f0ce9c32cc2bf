// OpenSSH pattern lists (`Host` lines in ssh_config, host fields in known_hosts):
// `*` and `?` wildcards, `!` negation, comma or space separated. A known_hosts of a fleet is
// matched once per entry per host connected (500 × 500): a pattern without wildcards is a
// plain case-insensitive comparison, and a glob's RegExp is built once.

const globs = new Map<string, RegExp>();

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (const c of glob) {
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

export function matchPattern(pattern: string, name: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?'))
    return pattern.length === name.length && pattern.toLowerCase() === name.toLowerCase();
  let re = globs.get(pattern);
  if (!re) globs.set(pattern, (re = globToRegExp(pattern)));
  return re.test(name);
}

/** True when some positive pattern matches and no negated one does. */
export function matchPatternList(patterns: readonly string[], name: string): boolean {
  let matched = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (matchPattern(p.slice(1), name)) return false;
    } else if (matchPattern(p, name)) {
      matched = true;
    }
  }
  return matched;
}
