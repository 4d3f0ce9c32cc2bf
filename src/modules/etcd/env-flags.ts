// The etcd settings of a member's env file that a recovery must know about, by version: the
// corruption checks (3.4/3.5: ETCD_EXPERIMENTAL_*; 3.6 renamed them, the old names still
// accepted there with a deprecation warning and gone in 3.7), and the v2 store (3.4/3.5:
// ETCD_ENABLE_V2; 3.6 has no v2 API and refuses to start on a v2 store holding custom data).
// Pure: parsed from the file's text, unit-tested.

/** ETCD_EXPERIMENTAL_* → what 3.6 calls it (a plain variable, or a feature gate). */
export const RENAMED_IN_3_6: Readonly<Record<string, { readonly env?: string; readonly gate?: string }>> = {
  ETCD_EXPERIMENTAL_INITIAL_CORRUPT_CHECK: { gate: 'InitialCorruptCheck' },
  ETCD_EXPERIMENTAL_CORRUPT_CHECK_TIME: { env: 'ETCD_CORRUPT_CHECK_TIME' },
  ETCD_EXPERIMENTAL_COMPACT_HASH_CHECK_ENABLED: { gate: 'CompactHashCheck' },
  ETCD_EXPERIMENTAL_COMPACT_HASH_CHECK_TIME: { env: 'ETCD_COMPACT_HASH_CHECK_TIME' },
  ETCD_EXPERIMENTAL_WATCH_PROGRESS_NOTIFY_INTERVAL: { env: 'ETCD_WATCH_PROGRESS_NOTIFY_INTERVAL' },
  ETCD_EXPERIMENTAL_MAX_LEARNERS: { env: 'ETCD_MAX_LEARNERS' },
  ETCD_EXPERIMENTAL_SNAPSHOT_CATCHUP_ENTRIES: { env: 'ETCD_SNAPSHOT_CATCHUP_ENTRIES' },
  ETCD_EXPERIMENTAL_WARNING_APPLY_DURATION: { env: 'ETCD_WARNING_APPLY_DURATION' },
};

export interface EnvFlags {
  /** the member checks its data against its peers before serving */
  readonly initial_corrupt_check: boolean;
  /** periodic corruption check interval as written (e.g. "5m"), when set */
  readonly corrupt_check_time?: string;
  /** ETCD_ENABLE_V2=true */
  readonly v2_enabled: boolean;
  /** ETCD_EXPERIMENTAL_* names set in the file that 3.6 renamed: "old → new" */
  readonly renamed_in_3_6: readonly string[];
}

/** KEY=VALUE lines (optional `export`, optional quotes), the last one of a key winning, as sh reads them. */
export function parseEnvFile(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Z_][A-Z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    out.set(m[1]!, m[2]!.replace(/^(["'])(.*)\1$/, '$2'));
  }
  return out;
}

const truthy = (v: string | undefined): boolean => v !== undefined && /^(true|1)$/i.test(v);

/** A feature gate list (`InitialCorruptCheck=true,CompactHashCheck=false`) → the gates set true. */
function gatesOn(v: string | undefined): Set<string> {
  return new Set(
    (v ?? '')
      .split(',')
      .map((g) => g.trim().split('='))
      .filter(([, on]) => truthy(on))
      .map(([name]) => name!),
  );
}

export function envFlags(text: string): EnvFlags {
  return flagsOfEnv(parseEnvFile(text));
}

/** A static pod's flags (`enable-v2` → ETCD_ENABLE_V2, as etcd maps them) read as an env file would be. */
export function manifestEnvFlags(flags: Readonly<Record<string, string>>): EnvFlags {
  return flagsOfEnv(new Map(Object.entries(flags).map(([k, v]) => [`ETCD_${k.toUpperCase().replace(/-/g, '_')}`, v])));
}

function flagsOfEnv(env: ReadonlyMap<string, string>): EnvFlags {
  const gates = gatesOn(env.get('ETCD_FEATURE_GATES'));
  const checkTime = env.get('ETCD_CORRUPT_CHECK_TIME') ?? env.get('ETCD_EXPERIMENTAL_CORRUPT_CHECK_TIME');
  return {
    initial_corrupt_check: truthy(env.get('ETCD_EXPERIMENTAL_INITIAL_CORRUPT_CHECK')) || gates.has('InitialCorruptCheck'),
    ...(checkTime ? { corrupt_check_time: checkTime } : {}),
    v2_enabled: truthy(env.get('ETCD_ENABLE_V2')),
    renamed_in_3_6: Object.entries(RENAMED_IN_3_6)
      .filter(([old]) => env.has(old))
      .map(([old, to]) => `${old} → ${to.env ?? `ETCD_FEATURE_GATES=${to.gate}=…`}`),
  };
}

/** [major, minor] of "3.5.16" / "3.6" (0.0 when unreadable). */
export function majorMinor(version: string): [number, number] {
  const m = /^(\d+)\.(\d+)/.exec(version);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

/** etcd 3.6 and later: no v2 API, no `etcdctl snapshot restore`, etcdutl required for files. */
export function noV2(version: string): boolean {
  const [major, minor] = majorMinor(version);
  return major > 3 || (major === 3 && minor >= 6);
}
