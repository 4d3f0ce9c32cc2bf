// The one map from a run's verdict to ansible-playbook's exit code.
import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeOf } from '../../../src/cli/exit.js';

describe('exit codes', () => {
  it('maps each verdict to the exit code ansible-playbook uses', () => {
    expect([exitCodeOf('ok'), exitCodeOf('failed'), exitCodeOf('unreachable'), exitCodeOf('interrupted')]).toEqual([0, 2, 4, 130]);
    expect(EXIT.invalid).toBe(1);
  });
});
