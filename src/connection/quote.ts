// The one place that turns argv into shell text. Nothing else concatenates shell strings
// from values: a templated value stays exactly one argument.

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** POSIX single-quote one word: `it's` → `'it'\''s'`. */
export function quote(word: string): string {
  if (word === '') return "''";
  if (SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function quoteArgv(argv: readonly string[]): string {
  return argv.map(quote).join(' ');
}

/** `env K=V ... ` prefix; keys are checked because a key cannot be quoted. */
export function envAssignments(env: Readonly<Record<string, string>>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`invalid environment variable name '${k}'`);
    parts.push(`${k}=${quote(v)}`);
  }
  return parts.join(' ');
}

/**
 * Split a command line into words as Python's shlex.split does (what Ansible's command module
 * calls): quotes group, a backslash escapes outside single quotes (inside double quotes only
 * `"` and `\\`), and nothing is expanded: `command: echo "a b" c` → ['echo', 'a b', 'c'].
 */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error('unterminated single quote');
      cur += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      inWord = true;
      for (;;) {
        if (i >= line.length) throw new Error('unterminated double quote');
        const d = line[i]!;
        if (d === '"') { i++; break; }
        if (d === '\\' && i + 1 < line.length && '"\\'.includes(line[i + 1]!)) {
          cur += line[i + 1];
          i += 2;
          continue;
        }
        cur += d;
        i++;
      }
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw new Error('no escaped character');
      cur += line[i + 1];
      inWord = true;
      i += 2;
    } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      i++;
    } else {
      cur += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/**
 * Wrap a command for sudo (become). `-n` never waits for a password prompt; with a
 * password, `-S` reads it from stdin (the caller prepends it) and `-p ''` keeps the prompt quiet.
 */
export function becomeArgv(user: string, withPassword: boolean): string[] {
  return withPassword ? ['sudo', '-S', '-p', '', '-H', '-u', user, '--'] : ['sudo', '-n', '-H', '-u', user, '--'];
}
