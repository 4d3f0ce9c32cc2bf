// lookup('password', 'PATH length=N chars=ascii_letters,digits'), as Ansible 2.14's password lookup:
// a random password of `chars` (names of Python's string constants, or the characters themselves),
// kept in PATH on the controller (read back when the file exists; /dev/null keeps nothing). The
// plaintext is returned; encrypt= and seed= are refused (runbook has no passlib nor Python's random).
import { randomInt } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';

const PARAMS = new Set(['length', 'encrypt', 'chars', 'ident', 'seed']);

/** Python's string module constants, by name */
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const STRING_CONSTANTS: Readonly<Record<string, string>> = {
  ascii_letters: LETTERS,
  ascii_lowercase: LETTERS.slice(0, 26),
  ascii_uppercase: LETTERS.slice(26),
  digits: '0123456789',
  hexdigits: '0123456789abcdefABCDEF',
  octdigits: '01234567',
  punctuation: PUNCTUATION,
  whitespace: ' \t\n\r\x0b\x0c',
  printable: '0123456789' + LETTERS + PUNCTUATION + ' \t\n\r\x0b\x0c',
};
const DEFAULT_CHARS = ['ascii_letters', 'digits', '.,:-_'];

/** One term: its password (`baseDir` resolves a relative PATH, as Ansible's path_dwim). */
export function passwordLookup(term: string, kwargs: Record<string, unknown>, baseDir: string): string {
  const { path, params } = parseTerm(term);
  const opt = (k: string): unknown => params[k] ?? kwargs[k];
  if (opt('encrypt') || opt('seed') !== undefined) throw new Error("lookup('password'): encrypt= and seed= are not supported by runbook");
  const length = Number(opt('length') ?? 20);
  if (!Number.isInteger(length) || length < 0)
    throw new Error(`lookup('password'): length must be a whole number, got '${String(opt('length'))}'`);
  const chars = candidates(charSpecs(opt('chars')));
  if (chars === '') throw new Error("lookup('password'): chars gives no characters to choose from");
  const file = isAbsolute(path) ? path : resolve(baseDir, path);
  if (file !== '/dev/null' && existsSync(file)) {
    const content = readFileSync(file, 'utf8').trimEnd();
    const salt = content.lastIndexOf(' salt=');
    return salt >= 0 ? content.slice(0, salt) : content;
  }
  const password = Array.from({ length }, () => chars[randomInt(chars.length)]).join('');
  if (file !== '/dev/null') {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, password + '\n', { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return password;
}

function parseTerm(term: string): { path: string; params: Record<string, string> } {
  const words = term.trim().split(/\s+/);
  const at = words.findIndex((w, i) => i > 0 && /^\w+=/.test(w));
  const path = (at < 0 ? words : words.slice(0, at)).join(' ');
  const params: Record<string, string> = {};
  for (const w of at < 0 ? [] : words.slice(at)) {
    const m = /^(\w+)=(.*)$/.exec(w);
    if (!m) throw new Error("lookup('password'): unrecognized value after key=value parameters");
    if (!PARAMS.has(m[1]!)) throw new Error(`Unrecognized parameter(s) given to password lookup: ${m[1]}`);
    params[m[1]!] = m[2]!.replace(/^(['"])(.*)\1$/, '$2');
  }
  return { path, params };
}

/** chars= as Ansible splits it: commas separate specs, `,,` is a comma itself */
function charSpecs(v: unknown): string[] {
  if (v === undefined || v === null || v === '') return DEFAULT_CHARS;
  if (Array.isArray(v)) return v.map(String);
  const s = String(v);
  return [
    ...(s.includes(',,') ? [','] : []),
    ...s
      .replaceAll(',,', ',')
      .split(',')
      .filter((c) => c !== ''),
  ];
}

function candidates(specs: readonly string[]): string {
  return specs
    .map((c) => (Object.hasOwn(STRING_CONSTANTS, c) ? STRING_CONSTANTS[c]! : c))
    .join('')
    .replace(/["']/g, '');
}
