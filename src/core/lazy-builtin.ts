// Node built-ins that a command needs only now and then (hashing, random, spawning), loaded on
// first use: importing node:crypto or node:child_process costs a start-up ~3 ms each (the
// module and what it pulls in: streams, net, webcrypto), and `runbook validate` uses neither
// unless the playbook names a module only ansible-core has.
import { createRequire } from 'node:module';

let crypto: typeof import('node:crypto') | undefined;
let childProcess: typeof import('node:child_process') | undefined;

export function nodeCrypto(): typeof import('node:crypto') {
  return (crypto ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto'));
}

export function nodeChildProcess(): typeof import('node:child_process') {
  return (childProcess ??= createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process'));
}
