import { describe, expect, it } from 'vitest';
import { EnvValueError, envFileValue } from '../../../src/core/env-file.js';

describe('envFileValue', () => {
  it('leaves plain values alone and double-quotes the rest with $ ` " \\ escaped', () => {
    expect(envFileValue('etcd1=https://10.0.0.1:2380,etcd2=https://10.0.0.2:2380')).toBe(
      'etcd1=https://10.0.0.1:2380,etcd2=https://10.0.0.2:2380',
    );
    expect(envFileValue('')).toBe('""');
    expect(envFileValue('a b')).toBe('"a b"');
    expect(envFileValue('h2$(touch /x)')).toBe('"h2\\$(touch /x)"');
    expect(envFileValue('`id` "q" \\ \'s\'')).toBe('"\\`id\\` \\"q\\" \\\\ \'s\'"');
  });
  it('refuses newlines, carriage returns and NUL', () => {
    for (const v of ['a\nB=c', 'a\rb', 'a\0b']) expect(() => envFileValue(v)).toThrow(EnvValueError);
  });
});
