// The lab's kubelet stand-in as a process (src/lab/kubelet-standin.ts says what it does and
// what it does not): started detached by `runbook lab up --service-manager static-pod`, one per
// member, stopped by `runbook lab down`. Not a command for operators.
//   node dist/cli/lab-kubelet.js MANIFESTS_DIR ETCD_PID_FILE LOG_FILE
import { appendFileSync } from 'node:fs';
import { runKubeletStandin } from '../lab/kubelet-standin.js';

const [manifestsDir, pidFile, logFile] = process.argv.slice(2);
if (!manifestsDir || !pidFile || !logFile) {
  process.stderr.write('usage: lab-kubelet.js MANIFESTS_DIR ETCD_PID_FILE LOG_FILE\n');
  process.exit(2);
}
const stop = new AbortController();
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => stop.abort());
const log = (line: string): void => appendFileSync(logFile, `${new Date().toISOString()} kubelet-standin: ${line}\n`);
log(`watching ${manifestsDir}`);
runKubeletStandin({ manifestsDir, pidFile, logFile, signal: stop.signal, log }).then(
  () => process.exit(0),
  (e: unknown) => {
    log(`failed: ${(e as Error).stack ?? String(e)}`);
    process.exit(1);
  },
);
