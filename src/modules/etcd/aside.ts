// Moving a directory aside instead of deleting it: `<path>.<suffix>`, or `-2`, `-3`... when
// that name is taken. The one way the etcd modules get a data dir out of the way.
import type { ModuleContext } from '../types.js';
import { script } from './host.js';

const MOVE = 'd="$1.$2"; n=1; while [ -e "$d" ]; do n=$((n+1)); d="$1.$2-$n"; done; mv -- "$1" "$d" && printf %s "$d"';

/** Moves `path` aside; returns where it went. Throws with the reason when mv fails. */
export async function moveAside(ctx: ModuleContext, path: string, suffix: string): Promise<string> {
  const r = await script(ctx, MOVE, [path.replace(/\/+$/, ''), suffix]);
  if (r.rc !== 0) throw new Error(`cannot move ${path} aside: ${r.stderr.trim() || `rc ${r.rc}`}`);
  return r.stdout.trim();
}

export async function exists(ctx: ModuleContext, path: string): Promise<boolean> {
  const r = await script(ctx, '[ -e "$1" ]', [path]);
  return r.rc === 0;
}
