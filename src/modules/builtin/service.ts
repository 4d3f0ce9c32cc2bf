// ansible.builtin.service: start/stop/restart/reload a service and enable it at boot,
// through systemd, sysv init or user-given commands (see support/service.ts).
import type { Module } from '../types.js';
import type { ServiceArgs } from '../generated/args.js';
import { applyService, checkService } from '../support/service.js';

const service: Module<ServiceArgs, Parameters<typeof applyService>[1]> = {
  name: 'service',
  check(ctx, args) {
    return checkService(ctx, args);
  },
  apply(ctx, _args, prediction) {
    return applyService(ctx, prediction.plan);
  },
};

export default service;
