import { describe, expect, it } from 'vitest';
import { hostVars } from '../../../src/inventory/index.js';
import { load } from './fixtures.js';

describe('inventory variable precedence', () => {
  it('child group overrides parent', async () => {
    const inv = await load('precedence');
    expect(hostVars(inv, 'h1')['v_depth']).toBe('child');
  });

  it('same depth: later name wins', async () => {
    const inv = await load('precedence');
    expect(hostVars(inv, 'h1')['v_same_depth']).toBe('beta');
  });

  it('ansible_group_priority reorders groups of the same depth', async () => {
    const inv = await load('precedence');
    expect(hostVars(inv, 'h1')['v_priority']).toBe('gamma-high'); // priority 10 beats later names
    expect(hostVars(inv, 'h2')['v_priority']).toBe('alpha'); // priority 0 loses to alpha despite 'zulu'
  });

  it('host vars override every group', async () => {
    const inv = await load('precedence');
    expect(hostVars(inv, 'h1')['v_host']).toBe('host-inline');
    expect(hostVars(inv, 'h2')['v_host']).toBe('parent');
  });

  it('host_vars/ file overrides inline host vars', async () => {
    const inv = await load('precedence');
    expect(hostVars(inv, 'h1')['v_inline_vs_file']).toBe('host_vars');
  });

  it('group_vars/ files override the inventory-source vars of the same group', async () => {
    const inv = await load('precedence');
    expect(hostVars(inv, 'h1')['v_all_vs_file']).toBe('all-file');
    expect(hostVars(inv, 'h1')['v_inv_vs_file']).toBe('parent-file');
    expect(hostVars(inv, 'h1')['v_all_inv']).toBe('all-inv');
  });

  it("group_vars/all beats a deeper group's inventory-source vars (Ansible's order)", async () => {
    const inv = await load('precedence');
    expect(hostVars(inv, 'h1')['v_allfile_beats_inv']).toBe('all-file');
  });

  it('the implicit localhost gets all-group vars and a local connection', async () => {
    const inv = await load('precedence');
    expect(hostVars(inv, 'localhost')).toEqual({
      v_all_inv: 'all-inv',
      v_all_vs_file: 'all-file',
      v_inv_vs_file: 'all-inv',
      v_allfile_beats_inv: 'all-file',
      ansible_connection: 'local',
    });
    expect(hostVars(inv, 'nosuchhost')).toEqual({});
  });
});
