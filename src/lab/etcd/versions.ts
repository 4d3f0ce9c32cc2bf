// Which etcd a lab member runs: the machine's own (Debian bookworm's 3.4 in /usr/bin), a newer
// release fetched by scripts/fetch-etcd.sh (Debian trixie's 3.5.16, sid's 3.5.30, unpacked
// under .runbook/etcd/<version>/usr/bin, never installed), or any directory holding etcd and
// etcdctl (--etcd-bin-dir). Each member records its binaries in lab.json, so a lab can mix
// versions (a rolling upgrade interrupted by the disaster).
import { execFile } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../core/package-root.js';
import { promisify } from 'node:util';
import type { LabEtcd } from './model.js';
import { LabError } from '../sshd.js';

const run = promisify(execFile);

/** Versions `lab up --etcd-version` knows by name (others: any fetched x.y.z, or --etcd-bin-dir). */
export const KNOWN_ETCD_VERSIONS = ['3.4', '3.5.16', '3.5.30'] as const;

/** The machine's own etcd, as lab.json files written before versions existed mean it. */
export const SYSTEM_ETCD: LabEtcd = { version: '3.4', bin: '/usr/bin/etcd', etcdctl: '/usr/bin/etcdctl' };

/** Where scripts/fetch-etcd.sh unpacks releases: $RUNBOOK_ETCD_CACHE, else <project>/.runbook/etcd. */
export function etcdCacheDir(): string {
  return process.env['RUNBOOK_ETCD_CACHE'] || join(PACKAGE_ROOT, '.runbook', 'etcd');
}

export function fetchScript(): string {
  return join(PACKAGE_ROOT, 'scripts', 'fetch-etcd.sh');
}

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `etcd --version` → "3.5.16" */
export function parseEtcdVersion(text: string): string | undefined {
  return /etcd Version:\s*(\d+\.\d+\.\d+)/.exec(text)?.[1];
}

/** The binaries of a directory, their version asked from etcd itself. */
export async function etcdInDir(dir: string): Promise<LabEtcd> {
  const bin = join(dir, 'etcd');
  const etcdctl = join(dir, 'etcdctl');
  const etcdutl = join(dir, 'etcdutl');
  for (const p of [bin, etcdctl])
    if (!executable(p))
      throw new LabError(`${p} is missing or not executable (the etcd bin dir must hold etcd and etcdctl)`, 'missing-deps');
  let out: string;
  try {
    out = (await run(bin, ['--version'])).stdout;
  } catch (e) {
    throw new LabError(`${bin} --version failed: ${(e as Error).message.split('\n')[0]}`, 'missing-deps');
  }
  const version = parseEtcdVersion(out);
  if (!version) throw new LabError(`${bin} --version does not say which etcd it is: ${out.trim().split('\n')[0] ?? ''}`, 'missing-deps');
  // the service script compares /proc/<pid>/exe with this path: it must be the real one
  return {
    version,
    bin: realpathSync(bin),
    etcdctl: realpathSync(etcdctl),
    ...(executable(etcdutl) ? { etcdutl: realpathSync(etcdutl) } : {}),
  };
}

/** A version name → its binaries; fetches it first when asked to (lab up --install-deps). */
export async function resolveEtcd(o: { version?: string; binDir?: string; fetch?: boolean }): Promise<LabEtcd> {
  if (o.binDir) return etcdInDir(o.binDir);
  const version = o.version ?? '3.4';
  if (version === '3.4' || version === 'system') {
    const e = await etcdInDir('/usr/bin');
    if (version === '3.4' && !e.version.startsWith('3.4.')) throw new LabError(`/usr/bin/etcd is ${e.version}, not 3.4`, 'missing-deps');
    return e;
  }
  if (!/^\d+\.\d+\.\d+$/.test(version))
    throw new LabError(`--etcd-version must be 3.4 or a release x.y.z (${KNOWN_ETCD_VERSIONS.join(', ')}), got '${version}'`, 'usage');
  const dir = join(etcdCacheDir(), version, 'usr', 'bin');
  if (!executable(join(dir, 'etcd'))) {
    if (!o.fetch)
      throw new LabError(
        `etcd ${version} is not fetched (no ${dir}/etcd): run bash ${fetchScript()} ${version}, or lab up --install-deps, or give --etcd-bin-dir`,
        'missing-deps',
      );
    try {
      await run('bash', [fetchScript(), version], { maxBuffer: 16 << 20 });
    } catch (e) {
      const err = e as { stderr?: string; message: string };
      throw new LabError(`fetching etcd ${version} failed: ${(err.stderr || err.message).trim().split('\n').pop() ?? ''}`, 'missing-deps');
    }
  }
  const e = await etcdInDir(dir);
  if (e.version !== version) throw new LabError(`${dir}/etcd is ${e.version}, not ${version}`, 'missing-deps');
  return e;
}

/**
 * `--etcd-version 3.5.16` (every member) or `3.4,3.5.16,3.5.16` (one per member): the
 * binaries of each member, each distinct version resolved once.
 */
export async function membersEtcd(members: number, o: { version?: string; binDir?: string; fetch?: boolean }): Promise<LabEtcd[]> {
  if (o.binDir) {
    const e = await resolveEtcd(o);
    return Array.from({ length: members }, () => e);
  }
  const names = (o.version ?? '3.4').split(',').map((s) => s.trim());
  if (names.length !== 1 && names.length !== members)
    throw new LabError(`--etcd-version names ${names.length} versions for ${members} members: give one, or one per member`, 'usage');
  const resolved = new Map<string, LabEtcd>();
  for (const n of new Set(names)) resolved.set(n, await resolveEtcd({ version: n, ...(o.fetch ? { fetch: true } : {}) }));
  return Array.from({ length: members }, (_, i) => resolved.get(names.length === 1 ? names[0]! : names[i]!)!);
}

/** The member's binaries (lab.json from before versions: the machine's own). */
export function etcdOf(m: { readonly etcd?: LabEtcd | undefined }): LabEtcd {
  return m.etcd ?? SYSTEM_ETCD;
}
