// runTogether on this machine (LocalConnection, /bin/sh): several commands in one round trip,
// each result as if it had run alone (exit code, stdout to the byte, stderr), in the order
// given; they run at once; the temp dir is removed.
import { afterAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runTogether, splitTogether } from '../../../src/modules/etcd/host.js';
import { cleanup, makeCtx, tempDir } from '../modules/context.js';

afterAll(() => cleanup());

describe('runTogether', () => {
  it('each result as alone, in order: exit codes, exact stdout, stderr, words with spaces and quotes', async () => {
    const r = await runTogether(makeCtx(), [
      ['sh', '-c', 'printf "%s" "$1"; exit 3', 'x', "it's two words"],
      ['sh', '-c', 'echo out; echo err >&2'],
      ['no-such-command-here'],
    ]);
    expect(r.map((x) => x.rc)).toEqual([3, 0, 127]);
    expect(r[0]!.stdout).toBe("it's two words");
    expect(r[1]).toMatchObject({ stdout: 'out\n', stderr: 'err\n' });
    expect(r[2]!.stdout).toBe('');
  });

  it('they run at once (the first waits for a file the second makes), and leave no temp dir behind', async () => {
    const tmp = tempDir();
    const flag = join(tempDir(), 'made');
    const r = await runTogether(makeCtx({ env: { TMPDIR: tmp } }), [
      ['sh', '-c', 'i=0; while [ $i -lt 100 ]; do [ -e "$1" ] && exit 0; sleep 0.1; i=$((i + 1)); done; exit 1', 'x', flag],
      ['touch', flag],
    ]);
    expect(r.map((x) => x.rc)).toEqual([0, 0]);
    expect(readdirSync(tmp)).toEqual([]);
  });
});

describe('splitTogether', () => {
  it('a whole output: every command; anything missing or out of order: undefined', () => {
    const whole = '\n@@m 0 0\na\n@@m 0 err\n\n@@m 1 2\n\n@@m 1 err\nbad\n\n@@m 2 end\n';
    expect(splitTogether(whole, '@@m', 2)).toEqual([
      { rc: 0, stdout: 'a', stderr: '' },
      { rc: 2, stdout: '', stderr: 'bad\n' },
    ]);
    expect(splitTogether(whole.replace('\n@@m 2 end\n', ''), '@@m', 2)).toBeUndefined();
    expect(splitTogether(whole, '@@m', 3)).toBeUndefined();
    expect(splitTogether('', '@@m', 2)).toBeUndefined();
  });
});
