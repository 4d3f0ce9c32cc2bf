// docs/systemd.md against the code: the systemctl commands the service module builds, the
// unit reading of the data-dir check, and the service states each playbook asks for. No systemd
// runs here (a container): this is how the systemd path is held to its documentation.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { managerCommand } from '../../../src/modules/support/service.js';
import { SYSTEMD_SHOW } from '../../../src/modules/support/systemd-probe.js';

const root = new URL('../../../', import.meta.url);
const doc = readFileSync(new URL('docs/systemd.md', root), 'utf8');

/** service states asked for by the `service:` tasks of a playbook, blocks and included task files included */
function serviceStates(file: string): string[] {
  const states = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    const svc = o['service'] ?? o['ansible.builtin.service'] ?? o['systemd'];
    if (svc && typeof svc === 'object' && typeof (svc as Record<string, unknown>)['state'] === 'string')
      states.add((svc as Record<string, string>)['state']!);
    for (const k of ['tasks', 'pre_tasks', 'post_tasks', 'handlers', 'block', 'rescue', 'always']) if (k in o) walk(o[k]);
    const inc = o['include_tasks'] ?? o['import_tasks'];
    if (typeof inc === 'string' && !inc.includes('{{')) serviceStates(`playbooks/${inc}`).forEach((s) => states.add(s));
  };
  for (const d of parseAllDocuments(readFileSync(new URL(file, root), 'utf8'))) walk(d.toJS({ maxAliasCount: -1 }));
  return [...states].sort();
}

describe('the systemd contract (docs/systemd.md)', () => {
  it('names exactly the systemctl commands the service module builds', () => {
    const cmd = (a: 'start' | 'stop' | 'restart' | 'status') => managerCommand('systemd', 'NAME', a, {})!.join(' ');
    expect(cmd('status')).toBe('systemctl is-active --quiet NAME');
    for (const c of [cmd('status'), cmd('stop'), cmd('start'), cmd('restart')]) expect(doc).toContain(`\`${c}\``);
    expect(SYSTEMD_SHOW).toContain('systemctl show -p LoadState "$u"');
    expect(doc).toContain('`systemctl show -p LoadState NAME.service`');
    const dataDir = readFileSync(new URL('src/modules/etcd/data-dir.ts', root), 'utf8');
    expect(dataDir).toContain('systemctl cat -- "$2"');
    expect(dataDir).toContain('/etc/systemd/system/"$2".service.d/*.conf');
    expect(doc).toContain('`systemctl cat -- NAME`');
  });

  it('lists the states each playbook asks for', () => {
    const table: Record<string, string[]> = {
      'playbooks/disaster-recovery.yml': ['restarted', 'started', 'stopped'],
      'playbooks/replace-member.yml': ['started', 'stopped'],
      'playbooks/restore-from-snapshot.yml': ['started', 'stopped'],
      'playbooks/scale.yml': ['started', 'stopped'],
      'playbooks/rolling-restart.yml': ['restarted'],
      'playbooks/certs.yml': ['restarted'],
    };
    for (const [file, states] of Object.entries(table)) expect(serviceStates(file), file).toEqual(states);
    expect(doc).toMatch(/\| `disaster-recovery.yml` \| `stopped`, `started`, `restarted` /);
    expect(doc).toMatch(/\| `rolling-restart.yml`, `certs.yml` \(through `tasks\/roll-certs.yml`\) \| `restarted` \|/);
  });

  it('no playbook enables, disables or reloads units (the page says they never do)', () => {
    for (const f of [
      'disaster-recovery',
      'replace-member',
      'restore-from-snapshot',
      'scale',
      'rolling-restart',
      'certs',
      'snapshot',
      'health',
      'defrag',
      'nospace',
      'consistency',
    ]) {
      const text = readFileSync(new URL(`playbooks/${f}.yml`, root), 'utf8');
      expect(text, f).not.toMatch(/^\s*(enabled|daemon_reload|daemon-reload):/m);
    }
    expect(doc).toContain('Never run by these playbooks: `systemctl enable`/`disable`, `daemon-reload`');
  });
});
