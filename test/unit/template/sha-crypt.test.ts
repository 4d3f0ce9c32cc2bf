// SHA-crypt against crypt(3): every expected value below is what this machine's libc gives
// (python3 -c "import crypt; print(crypt.crypt(KEY, SETTING))", the call Ansible 2.14's
// password_hash makes without passlib), the first two also the specification's own examples.
import { describe, expect, it } from 'vitest';
import { shaCrypt } from '../../../src/template/sha-crypt.js';

const X64 = 'x'.repeat(64); // as long as a sha512 digest: the length the unixcrypt package got wrong

describe('shaCrypt', () => {
  it.each([
    [
      'Hello world!',
      '6',
      'saltstring',
      undefined,
      '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1',
    ],
    ['Hello world!', '5', 'saltstring', undefined, '$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5'],
    ['Hello world!', '5', 'saltstringsaltstring', undefined, '$5$saltstringsaltst$a5C8Ofk71MUIoKve2QuP9FMl.dwNgseF5tR1LGAL7iB'],
    ['', '5', 'saltstringsaltstring', undefined, '$5$saltstringsaltst$fZ6M5HzkVbdG/lB/Id.WJL8Z4MwBAkXlboKmx8NceL8'],
    ['pässwörd', '5', 'toolongsaltstring', 5000, '$5$rounds=5000$toolongsaltstrin$MCgnQaFeyv/vsKemKD8Hv2GmYRHSjo5LU9tklEZuWVD'],
    ['secret', '5', 'abc', 6000, '$5$rounds=6000$abc$G8FVV/l11CTNKWNb0HDX2xCZVTSZM4eB3tmQUIXg8x3'],
    [
      X64,
      '6',
      'abcdefghijklmnop',
      undefined,
      '$6$abcdefghijklmnop$HllZQEL3y/1eVnXmyWIVQOduC5KVxWvlySsZtD4PMLSK7UcBe.gu/jam1u25YUvnJf.I5PHFJpToI3cwZx.m/.',
    ],
    [
      X64,
      '6',
      'abcdefghijklmnop',
      5001,
      '$6$rounds=5001$abcdefghijklmnop$tR/zOKf.4SAsXl0jIrvqlKfk6oUnSV6XQ4Ja2bRzbMjxNrmds0tkpzTQN0vc.4MpTTdqcQEmpyOhsij5dAjZ.1',
    ],
    ['pässwörd', '6', 'ab$cd', undefined, '$6$ab$MpxrX4b2nB2ONj1vFkTxO1WziUU7H5i50b94RpB.4R9rTnXToJEHZjpxG8xZMZoIP0oKonPlfDSUHBVy8G4yg.'],
    ['', '6', 'ab', undefined, '$6$ab$xnh5Qsr2NdbFw1PgdZie7nLON3gv.S.23iQDBqAzkdoXPtDnVSpludXkM5UWybQO3OI7hBj9wHg9Ow6sUWD60/'],
  ] as const)('crypt(%j, $%s$…%s, rounds %s)', (key, id, salt, rounds, expected) => {
    expect(shaCrypt(key, id, salt, rounds)).toBe(expected);
  });

  it('rounds outside 1000–999999999 are clamped (the unixcrypt package did so; crypt(3) here answers *0)', () => {
    expect(shaCrypt('x', '6', 'sa', 10)).toMatch(/^\$6\$rounds=1000\$sa\$/);
  });
});
