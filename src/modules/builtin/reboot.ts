// ansible.builtin.reboot, accepted so playbooks that hold one (a handler after a kernel or boot
// config change) load, validate and plan. In check mode it reports what Ansible's reboot action
// reports there (changed, rebooted, elapsed 0). A real run fails the host with the next step:
// runbook cannot yet wait for a host to come back over its connection, and a reboot that is
// not followed to its end is worse than none.
import { failed } from '../../core/result.js';
import type { Module } from '../types.js';
import type { RebootArgs } from '../generated/args.js';

/** Ansible's arguments, accepted for the playbook to load; none is used, as no reboot is run. */
export const ACCEPTED_UNUSED: readonly (keyof RebootArgs)[] = [
  'msg',
  'pre_reboot_delay',
  'post_reboot_delay',
  'reboot_timeout',
  'connect_timeout',
  'test_command',
  'search_paths',
  'boot_time_command',
  'reboot_command',
];

export const REBOOT_REFUSED =
  'runbook does not reboot hosts (it cannot yet follow a host back over its connection): reboot it yourself, wait until it answers, then run the playbook again';

const reboot: Module<RebootArgs, null> = {
  name: 'reboot',
  async check(ctx) {
    // Ansible's own guard, in check mode too
    if (ctx.conn.kind === 'local')
      return {
        kind: 'failed',
        result: failed('Running reboot with local connection would reboot the control node.', { data: { rebooted: false, elapsed: 0 } }),
      };
    // predicted as Ansible does; apply() refuses it (a real run reaching it fails)
    return { kind: 'change', summary: 'reboot the host', plan: null, checkFields: { data: { rebooted: true, elapsed: 0 } } };
  },
  async apply(ctx) {
    return failed(`${ctx.host}: ${REBOOT_REFUSED}`, { data: { rebooted: false } });
  },
};

export default reboot;
