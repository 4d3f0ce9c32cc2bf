// A playbook in a git repository: the run records commit, branch and dirtiness;
// --require-clean refuses uncommitted changes.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli.js';

describe('runbooks versioned in git', () => {
  it('records the commit; refuses a dirty tree with --require-clean', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'rb-git-'));
    const git = (...a: string[]) => execFileSync('git', ['-C', repo, ...a], { encoding: 'utf8' }).trim();
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 't@example.com');
    git('config', 'user.name', 't');
    writeFileSync(join(repo, 'pb.yml'), '- hosts: all\n  tasks:\n    - debug: msg=hi\n');
    writeFileSync(join(repo, 'hosts.yml'), 'all:\n  hosts:\n    localhost:\n');
    git('add', '.');
    git('commit', '-q', '-m', 'runbook');
    const commit = git('rev-parse', 'HEAD');
    const ok = await runCli(['apply', 'pb.yml', '-i', 'hosts.yml', '--yes', '--require-clean'], { cwd: repo });
    expect(ok.code, ok.stderr).toBe(0);
    const show = await runCli(['runs', 'show', 'latest', '-i', 'hosts.yml'], { cwd: repo });
    expect(show.stdout).toContain(`git ${commit} on main`);
    expect(show.stdout).not.toMatch(/dirty/);
    appendFileSync(join(repo, 'pb.yml'), '    - debug: msg=edited\n');
    const refused = await runCli(['apply', 'pb.yml', '-i', 'hosts.yml', '--yes', '--require-clean'], { cwd: repo });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/--require-clean: the repository of .*pb\.yml has uncommitted changes/);
    const dirty = await runCli(['apply', 'pb.yml', '-i', 'hosts.yml', '--yes'], { cwd: repo });
    expect(dirty.code).toBe(0);
    expect((await runCli(['runs', 'show', 'latest', '-i', 'hosts.yml'], { cwd: repo })).stdout).toMatch(/\(dirty: uncommitted changes\)/);
  });
});
