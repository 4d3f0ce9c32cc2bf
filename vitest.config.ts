import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure, fast, no servers) and `e2e` (real sshd / etcd on loopback).
// e2e files run two at a time: each has its own loopback net (127.0.N.x), sshd and etcd, and
// they mostly wait on processes, so two in parallel halve the wall time on a 2-core machine.
// RUNBOOK_E2E_SERIAL=1 runs them one by one (to tell a timing-sensitive failure from a bug).
//
// The etcd version matrix: `e2e` runs everything on the machine's etcd (Debian bookworm's 3.4);
// `e2e-etcd-3.5.30` runs the DR and day-2 suites again on 3.5.30, `e2e-etcd-3.5.16` the DR main
// cases on 3.5.16 (binaries from scripts/fetch-etcd.sh; test/helpers/dr.ts reads
// RUNBOOK_ETCD_VERSION and gives each version nets of its own). One version alone:
// `npx vitest run --project e2e-etcd-3.5.30 test/e2e/dr/snapshot.test.ts`.
const e2e = { testTimeout: 180_000, hookTimeout: 180_000 };

export default defineConfig({
  test: {
    maxWorkers: 2,
    // (a per-project fileParallelism is not a vitest option: it was silently ignored there)
    fileParallelism: process.env.RUNBOOK_E2E_SERIAL ? false : true,
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 20_000 } },
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], env: { RUNBOOK_ETCD_VERSION: '3.4' }, ...e2e } },
      {
        test: {
          name: 'e2e-etcd-3.5.30',
          include: ['test/e2e/dr/**/*.test.ts', 'test/e2e/day2/**/*.test.ts'],
          env: { RUNBOOK_ETCD_VERSION: '3.5.30' },
          ...e2e,
        },
      },
      { test: { name: 'e2e-etcd-3.5.16', include: ['test/e2e/dr/recovery.test.ts'], env: { RUNBOOK_ETCD_VERSION: '3.5.16' }, ...e2e } },
    ],
  },
});
