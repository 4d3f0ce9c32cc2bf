// Ansible's file tests (plugins/test/files.py): `path is file`, `is directory`, `is link`,
// `is exists`, `is link_exists`, `is abs`, `is same_file(other)`, `is mount`, with their is_*
// spellings. They are Python's os.path functions, so they read the controller's filesystem,
// where templating runs (not the host's: a role that means the host stats it), relative paths
// from the directory runbook was started in.
import { lstatSync, statSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { TestSpec } from './env.js';
import { typeError } from './errors.js';
import { pyType } from './values.js';

function path(v: unknown, test: string): string {
  if (typeof v !== 'string') throw typeError(`the '${test}' test expects a path string, got ${pyType(v)}`);
  return v;
}

/** os.stat / os.lstat, None where Python's os.path functions catch the OSError (missing, no access) */
function stat(p: string, follow = true): Stats | undefined {
  try {
    return follow ? statSync(p) : lstatSync(p);
  } catch {
    return undefined;
  }
}

/** os.path.ismount: not a symlink, and on another device than its parent or the root itself */
function isMount(p: string): boolean {
  const s = stat(p, false);
  if (!s || s.isSymbolicLink()) return false;
  const parent = stat(resolve(p, '..'), true);
  if (!parent) return false;
  return s.dev !== parent.dev || s.ino === parent.ino || dirname(resolve(p)) === resolve(p);
}

function sameFile(v: unknown, a: unknown[]): boolean {
  const [x, y] = [path(v, 'same_file'), path(a[0], 'same_file')];
  const [sx, sy] = [stat(x), stat(y)];
  // os.path.samefile raises FileNotFoundError
  if (!sx || !sy) throw typeError(`same_file: [Errno 2] No such file or directory: '${sx ? y : x}'`);
  return sx.dev === sy.dev && sx.ino === sy.ino;
}

const one =
  (test: string, f: (p: string) => boolean): TestSpec['fn'] =>
  (v: unknown) =>
    f(path(v, test));

const tests: Record<string, TestSpec['fn']> = {
  directory: one('directory', (p) => stat(p)?.isDirectory() ?? false),
  file: one('file', (p) => stat(p)?.isFile() ?? false),
  link: one('link', (p) => stat(p, false)?.isSymbolicLink() ?? false),
  exists: one('exists', (p) => stat(p) !== undefined),
  link_exists: one('link_exists', (p) => stat(p, false) !== undefined),
  abs: one('abs', (p) => isAbsolute(p)),
  same_file: sameFile,
  mount: one('mount', isMount),
};

export const FILE_TESTS: Readonly<Record<string, TestSpec>> = Object.fromEntries(
  Object.entries({
    ...tests,
    is_dir: tests['directory']!,
    is_file: tests['file']!,
    is_link: tests['link']!,
    is_abs: tests['abs']!,
    is_same_file: sameFile,
    is_mount: tests['mount']!,
  }).map(([k, fn]) => [k, { fn }]),
);
