// ui/wrap.ts against Python 3.11's textwrap.wrap(text, 79): the expected lines below are what
// Python returned for each text (drop_whitespace as Display.warning / Display.deprecated call it).
import { describe, expect, it } from 'vitest';
import { pyWrap } from '../../../src/ui/wrap.js';
import { deprecationText } from '../../../src/ui/module-warnings.js';

const CASES: [string, boolean, string[]][] = [
  ['[WARNING]: second warning\nspanning two lines', true, ['[WARNING]: second warning spanning two lines']],
  [
    '[DEPRECATION WARNING]: old way is deprecated. This feature will be removed in version 2.99. Deprecation warnings can be disabled by setting deprecation_warnings=False in ansible.cfg.',
    false,
    [
      '[DEPRECATION WARNING]: old way is deprecated. This feature will be removed in ',
      'version 2.99. Deprecation warnings can be disabled by setting ',
      'deprecation_warnings=False in ansible.cfg.',
    ],
  ],
  [
    '[WARNING]: a-very-long-hyphenated-word-that-goes-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-beyond',
    true,
    ['[WARNING]: a-very-long-hyphenated-word-that-goes-on-and-on-and-on-and-on-and-', 'on-and-on-and-on-and-on-and-on-beyond'],
  ],
  [
    '[WARNING]: /usr/lib/python3/dist-packages/ansible/modules/very/long/path/that/does/not/fit/in/one/line/at/all/x.py here',
    true,
    ['[WARNING]: /usr/lib/python3/dist-packages/ansible/modules/very/long/path/that/d', 'oes/not/fit/in/one/line/at/all/x.py here'],
  ],
  [
    '[WARNING]: tabs\there and  double  spaces and em--dash words -- and co-operate re-do x-y-z',
    true,
    ['[WARNING]: tabs here and  double  spaces and em--dash words -- and co-operate', 're-do x-y-z'],
  ],
  ['', true, []],
];

describe('pyWrap: Python textwrap.wrap at 79 columns', () => {
  it.each(CASES)('%j', (text, drop, want) => {
    expect(pyWrap(text, 79, drop)).toEqual(want);
  });

  it('words a deprecation as Display.get_deprecation_message', () => {
    expect(deprecationText({ msg: 'old way', version: '2.99' })).toBe(
      '[DEPRECATION WARNING]: old way. This feature will be removed in version 2.99. Deprecation warnings can be disabled by setting deprecation_warnings=False in ansible.cfg.',
    );
    expect(deprecationText({ msg: 'dated!', date: '2030-01-01', collection_name: 'ansible.builtin' })).toMatch(
      /^\[DEPRECATION WARNING\]: dated! This feature will be removed from ansible-core in a release after 2030-01-01\. /,
    );
  });
});
