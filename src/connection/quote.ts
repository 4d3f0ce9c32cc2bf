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
 * Wrap a command for sudo (become). `-n` never waits for a password prompt; with a
 * password, `-S` reads it from stdin (the caller prepends it) and `-p ''` keeps the prompt quiet.
 */
export function becomeArgv(user: string, withPassword: boolean): string[] {
  return withPassword ? ['sudo', '-S', '-p', '', '-H', '-u', user, '--'] : ['sudo', '-n', '-H', '-u', user, '--'];
}

/**
 * A command line for rsync's `-e`/`--rsh`, which rsync splits itself: words separated by spaces,
 * single quotes keep a word whole and a doubled quote inside them is one quote (no backslashes).
 */
export function quoteRsh(argv: readonly string[]): string {
  return argv.map((w) => (w !== '' && SAFE.test(w) ? w : `'${w.replace(/'/g, "''")}'`)).join(' ');
}
