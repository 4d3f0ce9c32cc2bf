// ansible.builtin.systemd (systemd_service): the service module with systemctl, plus
// daemon_reload.
import type { Module } from '../types.js';
import type { SystemdArgs } from '../generated/args.js';
import { applyService, checkService } from '../support/service.js';

const systemd: Module<SystemdArgs, Parameters<typeof applyService>[1]> = {
  name: 'systemd',
  check(ctx, args) {
    return checkService(ctx, args, 'systemd');
  },
  apply(ctx, _args, prediction) {
    return applyService(ctx, prediction.plan);
  },
};

export default systemd;
