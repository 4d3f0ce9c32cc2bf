// What the controller remembers between commands, under the user's data dir
// ($XDG_DATA_HOME/runbook, else ~/.local/share/runbook): the last lab directory and the last
// state dir an apply recorded in, so `runbook lab status` and `runbook runs` find them without
// the flags given to `lab up` and `apply`. Best effort: a read-only home only forgets.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The controller's own data dir (0700): remembered paths, default snapshot backups. */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env['XDG_DATA_HOME'];
  return join(xdg && xdg.startsWith('/') ? xdg : join(env['HOME'] || homedir(), '.local', 'share'), 'runbook');
}

export type Remembered = 'lab-dir' | 'state-dir';

export function remember(what: Remembered, value: string): void {
  try {
    mkdirSync(dataDir(), { recursive: true, mode: 0o700 });
    writeFileSync(join(dataDir(), what), value + '\n', { mode: 0o600 });
  } catch {
    // nothing depends on it: the flag still works
  }
}

export function recall(what: Remembered): string | undefined {
  try {
    return readFileSync(join(dataDir(), what), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

export function forget(what: Remembered, value: string): void {
  if (recall(what) === value) rmSync(join(dataDir(), what), { force: true });
}
