import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import command from '../../../src/modules/builtin/command.js';
import shell from '../../../src/modules/builtin/shell.js';
import type { Module } from '../../../src/modules/types.js';
import { check, cleanup, makeCtx, run } from './context.js';

afterAll(cleanup);
const M = (m: unknown): Module => m as Module;

describe('command', () => {
  it('runs argv without a shell and strips the trailing newline', async () => {
    const ctx = makeCtx();
    const r = await run(M(command), ctx, { cmd: 'echo "a  b" $HOME; ls' });
    expect(r.status).toBe('changed');
    expect(r.stdout).toBe('a  b $HOME; ls');
    expect(r.rc).toBe(0);
    expect(r.cmd).toEqual(['echo', 'a  b', '$HOME;', 'ls']);
  });

  it('takes argv lists, chdir, stdin and the task environment', async () => {
    const ctx = makeCtx({ env: { RB_X: 'from-env' } });
    expect((await run(M(command), ctx, { argv: ['pwd'], chdir: ctx.dir })).stdout).toBe(ctx.dir);
    expect((await run(M(command), ctx, { cmd: 'cat', stdin: 'in' })).stdout).toBe('in');
    expect((await run(M(command), ctx, { cmd: 'od -c', stdin: 'x', stdin_add_newline: false })).stdout).not.toContain('\\n');
    expect((await run(M(command), ctx, { argv: ['printenv', 'RB_X'] })).stdout).toBe('from-env');
  });

  it('fails on a non-zero rc with rc, stdout and stderr', async () => {
    const ctx = makeCtx();
    const r = await run(M(command), ctx, { argv: ['sh', '-c', 'echo out; echo err >&2; exit 3'] });
    expect(r.status).toBe('failed');
    expect(r.msg).toBe('non-zero return code');
    expect(r).toMatchObject({ rc: 3, stdout: 'out', stderr: 'err' });
    const missing = await run(M(command), ctx, { cmd: 'definitely-not-a-command-xyz' });
    expect(missing.status).toBe('failed');
    expect(missing.rc).toBe(127);
  });

  it('cannot predict: unknown, so skipped in check mode and nothing runs', async () => {
    const ctx = makeCtx({ checkMode: true });
    const marker = join(ctx.dir, 'm');
    const p = await check(M(command), ctx, { argv: ['touch', marker] });
    expect(p.kind).toBe('unknown');
    const r = await run(M(command), ctx, { argv: ['touch', marker] });
    expect(r.status).toBe('skipped');
    expect(existsSync(marker)).toBe(false);
  });

  it('creates / removes decide without running, with globs and relative to chdir', async () => {
    const ctx = makeCtx();
    writeFileSync(join(ctx.dir, 'snapshot.db'), '');
    const r = await run(M(command), ctx, { cmd: 'false', creates: join(ctx.dir, '*.db') });
    expect(r.status).toBe('ok');
    expect(r.msg).toBe(`Did not run command since '${join(ctx.dir, '*.db')}' exists`);
    expect(r.stdout).toBe(`skipped, since ${join(ctx.dir, '*.db')} exists`);
    expect((await run(M(command), ctx, { cmd: 'false', chdir: ctx.dir, creates: 'snapshot.db' })).status).toBe('ok');
    expect((await run(M(command), ctx, { cmd: 'false', removes: join(ctx.dir, 'nothing') })).status).toBe('ok');
    expect((await run(M(command), ctx, { cmd: 'true', removes: join(ctx.dir, 'snapshot.db') })).status).toBe('changed');
  });

  it('rejects an empty command and cmd with argv', async () => {
    const ctx = makeCtx();
    expect((await run(M(command), ctx, { creates: '/x' })).msg).toBe('no command given');
    expect((await run(M(command), ctx, { cmd: 'a', argv: ['b'] })).msg).toMatch(/mutually exclusive/);
    expect((await run(M(command), ctx, { cmd: 'echo "open' })).msg).toMatch(/no closing quotation/);
  });
});

describe('shell', () => {
  it('runs through /bin/sh: pipes, variables and redirections work', async () => {
    const ctx = makeCtx();
    const r = await run(M(shell), ctx, { cmd: 'echo a b | wc -w; echo "$((1+2))"' });
    expect(r.status).toBe('changed');
    expect(r.stdout).toBe('2\n3');
  });

  it('uses executable when given and honours creates', async () => {
    const ctx = makeCtx();
    expect((await run(M(shell), ctx, { cmd: 'echo ${BASH_VERSION:+bash}', executable: '/bin/bash' })).stdout).toBe('bash');
    expect((await run(M(shell), ctx, { cmd: 'exit 1', creates: ctx.dir })).status).toBe('ok');
    const f = await run(M(shell), ctx, { cmd: 'exit 4' });
    expect(f.status).toBe('failed');
    expect(f.rc).toBe(4);
  });
});
