// Reading one value out of configuration text: an env file's `NAME=...`, a command line's
// `--flag X`. Shared by the data-dir sources and the unit's environment.

/** Value of `NAME=...` as sh and systemd read it: an optional `export`, quotes, a comment. */
export function envValue(text: string, name: string): string | undefined {
  let found: string | undefined;
  for (const line of text.split('\n')) {
    const m = new RegExp(`^\\s*(?:export\\s+)?${name}=(.*)$`).exec(line);
    if (!m) continue;
    let v = m[1]!.trim();
    if (/^"(.*)"$/.test(v)) v = v.slice(1, -1).replace(/\\(["\\`$])/g, '$1');
    else if (/^'(.*)'$/.test(v)) v = v.slice(1, -1);
    else v = v.replace(/\s+#.*$/, '');
    found = v; // the last assignment wins, for sh and systemd alike
  }
  return found;
}

/** `--data-dir X` or `--data-dir=X` in a list of words (a unit's ExecStart, a cmdline). */
export function flagValue(words: readonly string[], flag: string): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!.replace(/^--?/, '--');
    if (w === flag && i + 1 < words.length) found = words[i + 1];
    else if (w.startsWith(`${flag}=`)) found = w.slice(flag.length + 1);
  }
  return found?.replace(/^["']|["']$/g, '');
}
