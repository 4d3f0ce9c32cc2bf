// The one word splitter, side by side with Python's shlex.split (what Ansible calls): the
// command module's argv, -e key=value words, and the INI inventory's host lines (comments on).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { scanWords, splitWords } from '../../../src/core/words.js';

const CASES = [
  'echo "a b" c',
  `web1 a="x y" b='p q' c=d\\ e`,
  `h a="x\\ny\\"z"`,
  "it's' 'quoted",
  `"" '' x`,
  'a\tb\nc\r d',
  `a"b"'c'd`,
  `"a\\\\b" 'a\\b' a\\\\b`,
  'h pw=ab#cd q="x#y" # trailing',
  'h q="x#y" # trailing',
  '# only a comment',
  'a \\#b "c#"d#e',
  '  leading and trailing  ',
  'etcdctl --endpoints=https://127.0.0.1:2379 member list -w json',
  'sh -c \'echo $HOME; ls "*"\'',
];
const BAD = ['echo "open', "it's", 'trailing\\', 'h a="x y'];

/** Python's answer for each line: the words, or the error's message. */
function python(lines: readonly string[], comments: boolean): (string[] | string)[] {
  const code = `import json, shlex, sys
out = []
for l in json.load(sys.stdin):
    try: out.append(shlex.split(l, comments=${comments ? 'True' : 'False'}))
    except ValueError as e: out.append(str(e))
print(json.dumps(out))`;
  return JSON.parse(execFileSync('python3', ['-c', code], { input: JSON.stringify(lines) }).toString()) as (string[] | string)[];
}

describe("scanWords agrees with Python's shlex.split", () => {
  for (const comments of [false, true]) {
    it(`comments=${comments}`, () => {
      const ours = [...CASES, ...BAD].map((l) => {
        const r = scanWords(l, { comments });
        return r.ok ? r.words.map((w) => w.text) : r.message.replace(/^n/, 'N');
      });
      expect(ours).toEqual(python([...CASES, ...BAD], comments));
    });
  }
});

describe('scanWords positions and options', () => {
  it('gives each word where it starts and ends in the line', () => {
    const line = `web1 a="x y" b='p q' c=d\\ e`;
    const r = scanWords(line, { comments: true });
    expect(r.ok && r.words).toEqual([
      { text: 'web1', start: 0, end: 4 },
      { text: 'a=x y', start: 5, end: 12 },
      { text: 'b=p q', start: 13, end: 20 },
      { text: 'c=d e', start: 21, end: 27 },
    ]);
  });

  it('reports an unclosed quote where it opens, a trailing backslash where it stands', () => {
    expect(scanWords(`h a="x y`)).toEqual({ ok: false, message: 'no closing quotation', at: 4 });
    expect(scanWords(`h a\\`)).toEqual({ ok: false, message: 'no escaped character', at: 3 });
    expect(() => splitWords('echo "open')).toThrow('no closing quotation');
  });

  it("templates: blanks inside {{ }} {% %} {# #} do not split (Ansible's split_args)", () => {
    const line = 'msg={{ a | default("x y") }} {% if x %}y{% endif %} {# c d #} z';
    const r = scanWords(line, { templates: true, escapes: false });
    expect(r.ok && r.words.map((w) => line.slice(w.start, w.end))).toEqual([
      'msg={{ a | default("x y") }}',
      '{% if x %}y{% endif %}',
      '{# c d #}',
      'z',
    ]);
  });

  it('escapes off: a backslash outside quotes is a character; unclosed word: runs to the end', () => {
    const r = scanWords('a\\ b \\ "c \\" d', { escapes: false, unclosed: 'word' });
    expect(r.ok && r.words.map((w) => w.text)).toEqual(['a\\', 'b', '\\', 'c " d']);
    expect(scanWords('x "open', { unclosed: 'word' })).toEqual({
      ok: true,
      words: [
        { text: 'x', start: 0, end: 1 },
        { text: 'open', start: 2, end: 7 },
      ],
    });
  });
});
