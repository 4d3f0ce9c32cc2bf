// Where a systemd unit tells etcd to keep its data: the ExecStart's --data-dir (with `$VAR` and
// `${VAR}` resolved as systemd does), else ETCD_DATA_DIR from the unit's environment, which is
// its `Environment=` lines overridden by its `EnvironmentFile=` files (systemd's order: every
// file's settings win over Environment=, later files over earlier ones; an empty assignment
// resets the list). Debian's own etcd.service sets ETCD_DATA_DIR=/var/lib/etcd/default and
// reads `-/etc/default/%p` over it, so both must be read to know the dir etcd really uses.
import { splitWords } from '../../core/words.js';
import { envValue, flagValue } from './data-dir-values.js';

/** A value of the unit's environment and where it was set (for the refusal's message). */
interface Found {
  readonly value: string;
  readonly from: string;
}

const words = (text: string): string[] => {
  try {
    return splitWords(text);
  } catch {
    return text.split(/\s+/).filter((w) => w !== '');
  }
};

/**
 * `files`: the text of each `EnvironmentFile=` the host could read, keyed by the value as the
 * unit writes it (`-/etc/default/%p`); a file missing there is skipped, as systemd does with `-`.
 */
export function unitEnvironment(unit: string, files: ReadonlyMap<string, string>): (name: string) => Found | undefined {
  let env = new Map<string, string>();
  let fileList: string[] = [];
  for (const line of unit.split('\n')) {
    const m = /^\s*(Environment|EnvironmentFile)\s*=(.*)$/.exec(line);
    if (!m) continue;
    const v = m[2]!.trim();
    if (m[1] === 'EnvironmentFile') fileList = v === '' ? [] : [...fileList, v];
    else if (v === '') env = new Map();
    else {
      for (const w of words(v)) {
        const eq = w.indexOf('=');
        if (eq > 0) env.set(w.slice(0, eq), w.slice(eq + 1));
      }
    }
  }
  return (name) => {
    for (const f of [...fileList].reverse()) {
      const text = files.get(f);
      const value = text === undefined ? undefined : envValue(text, name);
      if (value !== undefined) return { value, from: `EnvironmentFile ${f.replace(/^-/, '')}` };
    }
    const value = env.get(name);
    return value === undefined ? undefined : { value, from: 'Environment=' };
  };
}

/** The data dir a unit gives etcd and where that was said, or undefined (unknown, or a variable left unset). */
export function unitDataDir(unit: string, files: ReadonlyMap<string, string>): { dir: string; via: string } | undefined {
  const lookup = unitEnvironment(unit, files);
  // the last ExecStart= wins (a drop-in resets it with an empty one)
  const exec =
    unit
      .split('\n')
      .filter((l) => /^\s*ExecStart\s*=/.test(l))
      .pop()
      ?.replace(/^\s*ExecStart\s*=\s*[-@:+!]*/, '') ?? '';
  // each word of the command with where its variables were set
  const argv = words(exec).flatMap((w): { w: string; from: string[] }[] => {
    // `$VAR` alone is split into words, `${VAR}` is substituted in place (systemd.service(5))
    const whole = /^\$([A-Za-z_]\w*)$/.exec(w);
    if (whole) {
      const f = lookup(whole[1]!);
      return f ? words(f.value).map((x) => ({ w: x, from: [f.from] })) : [];
    }
    const from: string[] = [];
    const text = w.replace(/\$\{([A-Za-z_]\w*)\}/g, (all, n: string) => {
      const f = lookup(n);
      if (f) from.push(f.from);
      return f ? f.value : all;
    });
    return [{ w: text, from }];
  });
  let flag: { w: string; from: string[] } | undefined;
  argv.forEach((a, i) => {
    const next = argv[i + 1];
    if (a.w.replace(/^--?/, '--') === '--data-dir' && next) flag = next;
    else {
      const v = flagValue([a.w], '--data-dir');
      if (v !== undefined) flag = { w: v, from: a.from };
    }
  });
  if (flag) {
    const dir = flag.w.replace(/^["']|["']$/g, '');
    return dir === '' || dir.includes('$')
      ? undefined
      : { dir, via: `--data-dir${flag.from.length > 0 ? ` (${[...new Set(flag.from)].join(', ')})` : ''}` };
  }
  const env = lookup('ETCD_DATA_DIR');
  return env && env.value !== '' ? { dir: env.value, via: `ETCD_DATA_DIR (${env.from})` } : undefined;
}
