// The lab's kubelet stand-in, for one behaviour of the real kubelet only: static pods. It
// watches a manifests directory (the kubelet's staticPodPath) and, for the pod manifest in it,
// runs the etcd container's command + args (parsed by core/static-pod-manifest.ts, the
// parser the modules use) as a process of this host; when the manifest leaves the directory it
// stops that process (SIGTERM, then SIGKILL after the grace period, as the kubelet does); when
// the manifest changes it restarts it with the new command; when the process exits while the
// manifest is there, it runs it again after a back-off (restartPolicy Always).
// What it does NOT do, unlike a kubelet: no container, image, namespaces or cgroups (the lab's
// manifests mount every host path at the same path, so the command runs unchanged on the
// host), no probes, no API server mirror pod, one pod per directory (the first manifest by
// name), and a fixed 1 s back-off instead of CrashLoopBackOff's 10 s doubling.
// Used only by `runbook lab up --service-manager static-pod`; the real kubelet is untested here.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ManifestError, parseManifest } from '../core/static-pod-manifest.js';
import { sleep } from '../core/sleep.js';

export interface KubeletOptions {
  readonly manifestsDir: string;
  /** the running etcd's pid, written while it runs (the lab's service script reads it) */
  readonly pidFile: string;
  /** etcd's stdout and stderr, appended */
  readonly logFile: string;
  readonly pollMs?: number;
  readonly graceMs?: number;
  readonly backoffMs?: number;
  readonly signal: AbortSignal;
  /** one line of the stand-in's own log */
  readonly log: (line: string) => void;
}

/** The manifest the kubelet would run: files of the directory, not hidden, by name. */
async function manifestText(dir: string): Promise<{ file: string; text: string } | undefined> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
  } catch {
    return undefined;
  }
  for (const n of names) {
    try {
      return { file: join(dir, n), text: await readFile(join(dir, n), 'utf8') };
    } catch {
      // gone between readdir and read, or a directory (the kubelet skips those too)
    }
  }
  return undefined;
}

interface Running {
  readonly child: ChildProcess;
  readonly text: string;
  exited: boolean;
}

export async function runKubeletStandin(o: KubeletOptions): Promise<void> {
  const pollMs = o.pollMs ?? 200;
  let pod: Running | undefined;
  let retryAt = 0;
  let badText: string | undefined;

  const stop = async (why: string): Promise<void> => {
    const p = pod;
    if (!p) return;
    o.log(`stopping etcd (pid ${p.child.pid}): ${why}`);
    p.child.kill('SIGTERM');
    const deadline = Date.now() + (o.graceMs ?? 30_000);
    while (!p.exited && Date.now() < deadline) await sleep(50);
    if (!p.exited) {
      o.log(`etcd (pid ${p.child.pid}) outlived the ${(o.graceMs ?? 30_000) / 1000} s grace period: SIGKILL`);
      p.child.kill('SIGKILL');
      while (!p.exited) await sleep(50);
    }
  };

  const start = async (file: string, text: string): Promise<void> => {
    let argv: readonly string[];
    try {
      argv = parseManifest(text).argv;
    } catch (e) {
      if (!(e instanceof ManifestError)) throw e;
      if (badText !== text) o.log(`${file}: ${e.message}: not run`);
      badText = text;
      return;
    }
    const fd = openSync(o.logFile, 'a');
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', fd, fd], cwd: '/' });
    closeSync(fd);
    const p: Running = { child, text, exited: false };
    pod = p;
    child.on('error', (e) => o.log(`cannot run ${argv[0]}: ${e.message}`));
    child.on('exit', (code, sig) => {
      p.exited = true;
      if (pod === p) {
        pod = undefined;
        retryAt = Date.now() + (o.backoffMs ?? 1_000);
        o.log(`etcd (pid ${child.pid}) exited (${sig ?? `code ${code}`})`);
        void rm(o.pidFile, { force: true });
      }
    });
    if (child.pid !== undefined) {
      await writeFile(o.pidFile, `${child.pid}\n`);
      o.log(`running etcd (pid ${child.pid}) from ${file}`);
    }
  };

  while (!o.signal.aborted) {
    const m = await manifestText(o.manifestsDir);
    if (!m) {
      if (pod) {
        await stop('its manifest left the manifests directory');
        await rm(o.pidFile, { force: true });
        pod = undefined;
      }
    } else if (pod && pod.text !== m.text) {
      await stop(`${m.file} changed`);
      pod = undefined;
      await start(m.file, m.text);
    } else if (!pod && Date.now() >= retryAt && m.text !== badText) {
      await start(m.file, m.text);
    }
    await sleep(pollMs, o.signal);
  }
  // the stand-in going away takes its pod with it (the lab's down; a real kubelet would not)
  await stop('the kubelet stand-in stops');
  await rm(o.pidFile, { force: true });
}
