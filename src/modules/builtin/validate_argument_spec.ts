// ansible.builtin.validate_argument_spec: check variables against an argument spec. Like
// Ansible's action plugin it runs on the controller: each option is read from the task's
// variables (already templated), then from provided_arguments, and checked by ansible-core's
// own ArgumentSpecValidator (python/ansible_payload.py validate_args) — the messages are
// Ansible's. A role with meta/argument_specs.yml gets this task first (playbook/arg-specs.ts).
import { spawnSync } from 'node:child_process';
import { failed, ok } from '../../core/result.js';
import type { Module } from '../types.js';
import type { ValidateArgumentSpecArgs } from '../generated/args.js';
import { ansibleCore, BRIDGE } from '../ansible/controller.js';

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const validateArgumentSpec: Module<ValidateArgumentSpecArgs, never> = {
  name: 'validate_argument_spec',
  controllerOnly: true,
  readOnly: true,
  check(ctx, args) {
    const spec = args.argument_spec;
    const provided = args.provided_arguments ?? {};
    const context = isMapping(args.validate_args_context) ? args.validate_args_context : {};
    if (!isMapping(spec))
      return Promise.resolve({ kind: 'failed', result: failed(`Incorrect type for argument_spec, expected dict and got ${typeof spec}`) });
    const params: Record<string, unknown> = {};
    for (const name of Object.keys(spec)) if (Object.prototype.hasOwnProperty.call(ctx.vars, name)) params[name] = ctx.vars[name];
    Object.assign(params, provided);
    const core = ansibleCore();
    if (!core)
      return Promise.resolve({
        kind: 'failed',
        result: failed(
          "validate_argument_spec checks arguments with ansible-core's ArgumentSpecValidator, as Ansible does; install ansible-core (Debian ansible-core) to run it",
          { data: { validate_args_context: context } },
        ),
      });
    const r = spawnSync(core.python, [BRIDGE, 'validate_args'], {
      input: JSON.stringify({ argument_spec: spec, params }),
      encoding: 'utf8',
      timeout: 60_000,
    });
    let errors: string[];
    try {
      errors = (JSON.parse(r.stdout) as { errors: string[] }).errors;
    } catch {
      return Promise.resolve({
        kind: 'failed',
        result: failed(
          `validate_argument_spec: ansible-core's validator did not answer: ${(r.stderr || r.error?.message || '').trim().split('\n').pop() ?? ''}`,
        ),
      });
    }
    if (errors.length > 0) {
      return Promise.resolve({
        kind: 'failed',
        result: failed(`Validation of arguments failed:\n${errors.join('\n')}`, {
          data: { argument_errors: errors, argument_spec_data: spec, validate_args_context: context },
        }),
      });
    }
    return Promise.resolve({
      kind: 'unchanged',
      result: ok({ msg: 'The arg spec validation passed', data: { validate_args_context: context } }),
    });
  },
  apply() {
    return Promise.resolve(ok());
  },
};

export default validateArgumentSpec;
