// One value of a KEY=value env file, written so that it reads back as exactly that value both
// when the file is sourced by sh (sysv's /etc/default/etcd, the lab's service script) and when
// systemd reads it as an EnvironmentFile: nothing in it is ever run or expanded. Plain values
// stay unquoted; anything else is double-quoted with `$`, backticks, `"` and `\` escaped — the
// four characters both readers unescape inside double quotes. A newline cannot be written inert
// for both (systemd joins lines ending in a backslash; sh would not), so it is refused.

const PLAIN = /^[A-Za-z0-9_@%+=:,./-]*$/;

export class EnvValueError extends Error {}

export function envFileValue(value: string): string {
  if (/[\n\r\0]/.test(value))
    throw new EnvValueError(
      `a value with a newline, carriage return or NUL cannot be written to an env file: ${JSON.stringify(value.slice(0, 60))}`,
    );
  if (PLAIN.test(value) && value !== '') return value;
  return `"${value.replace(/[$`"\\]/g, (c) => `\\${c}`)}"`;
}
