// Run a shell command on a real pty (util-linux `script`) and type into it when the screen
// shows a text — never after a fixed delay: on a loaded machine a prompt can take longer to
// come than any fixed sleep, and a key typed before it lands elsewhere (a Ctrl-C before the
// question kills the run instead of answering no).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Type `keys` (printf syntax: `y\\r`, `\\003`) once the output shows `when` (or after `when` seconds). */
export interface Keystroke {
  readonly when: string | number;
  readonly keys: string;
}

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** The raw output of `cmd` run on a pty, with the keystrokes typed as their texts appear. */
export function onPty(cmd: string, keys: readonly Keystroke[], o: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'rb-pty-'));
  const log = join(dir, 'typescript');
  const waitLimit = Math.ceil((o.timeoutMs ?? 60_000) / 100);
  const typing =
    keys
      .map((k) =>
        typeof k.when === 'number'
          ? `sleep ${k.when}; printf ${q(k.keys)}`
          : `n=0; until grep -qF -- ${q(k.when)} ${q(log)} 2>/dev/null || [ $n -ge ${waitLimit} ]; do n=$((n+1)); sleep 0.1; done; sleep 0.2; printf ${q(k.keys)}`,
      )
      .join('; ') || 'true';
  try {
    const r = spawnSync('sh', ['-c', `(${typing}; sleep 1) | script -qefc ${q(cmd)} ${q(log)}`], {
      encoding: 'utf8',
      env: o.env ?? { ...process.env, NO_COLOR: '1' },
      timeout: o.timeoutMs ?? 60_000,
    });
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
