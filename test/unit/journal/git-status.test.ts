// The journal header's git facts from one `git status --branch --porcelain=v2`.
import { describe, expect, it } from 'vitest';
import { parseGitStatus } from '../../../src/journal/header.js';

describe('parseGitStatus', () => {
  const oid = 'ef5c4fed27f914096859152aac9990bc8955c4a6';
  it('reads the commit, the branch and whether tracked files changed', () => {
    expect(parseGitStatus(`# branch.oid ${oid}\n# branch.head main\n# branch.upstream origin/main\n`)).toEqual({
      commit: oid,
      branch: 'main',
      dirty: false,
    });
    expect(parseGitStatus(`# branch.oid ${oid}\n# branch.head main\n1 .M N... 100644 100644 100644 a a pb.yml\n`)).toEqual({
      commit: oid,
      branch: 'main',
      dirty: true,
    });
  });
  it('names a detached head HEAD, as rev-parse --abbrev-ref does', () => {
    expect(parseGitStatus(`# branch.oid ${oid}\n# branch.head (detached)\n`)).toEqual({ commit: oid, branch: 'HEAD', dirty: false });
  });
  it('has no commit before the first one', () => {
    expect(parseGitStatus('# branch.oid (initial)\n# branch.head master\n')).toBeUndefined();
  });
});
