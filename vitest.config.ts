import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure, fast, no servers) and `e2e` (real sshd / etcd on loopback).
// e2e files run two at a time: each has its own loopback net (127.0.N.x), sshd and etcd, and
// they mostly wait on processes, so two in parallel halve the wall time on a 2-core machine.
// RUNBOOK_E2E_SERIAL=1 runs them one by one (to tell a timing-sensitive failure from a bug).
export default defineConfig({
  test: {
    maxWorkers: 2,
    // (a per-project fileParallelism is not a vitest option: it was silently ignored there)
    fileParallelism: process.env.RUNBOOK_E2E_SERIAL ? false : true,
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 20_000 } },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
