// Which keys a play, a task and a block may carry, and the Ansible ones runbook refuses
// with a reason (never silently ignored).
import { table } from '../core/table.js';

export const PLAY_KEYWORDS = new Set([
  'name', 'hosts', 'vars', 'vars_files', 'gather_facts', 'serial', 'max_fail_percentage', 'any_errors_fatal',
  'become', 'become_user', 'become_method', 'environment', 'connection', 'remote_user', 'pre_tasks', 'tasks',
  'post_tasks', 'handlers', 'tags', 'check_mode', 'diff', 'strategy', 'ignore_errors', 'ignore_unreachable',
  'no_log', 'order', 'run_once', 'timeout', 'roles', 'vars_prompt', 'gather_subset', 'gather_timeout', 'fact_path',
  'user', 'collections', 'throttle',
]);

export const TASK_KEYWORDS = new Set([
  'name', 'when', 'register', 'loop', 'loop_control', 'with_items', 'with_list', 'with_dict', 'with_nested',
  'with_indexed_items', 'with_sequence', 'with_first_found', 'with_subelements', 'with_fileglob', 'with_inventory_hostnames',
  'with_flattened', 'with_community.general.flattened', 'retries', 'until', 'delay', 'failed_when', 'changed_when',
  'ignore_errors', 'ignore_unreachable', 'delegate_to', 'run_once', 'notify', 'listen', 'tags',
  'no_log', 'check_mode', 'diff', 'become', 'become_user', 'become_method', 'environment', 'vars', 'timeout',
  'any_errors_fatal', 'args', 'block', 'rescue', 'always', 'include_tasks', 'import_tasks', 'connection',
  'remote_user', 'collections', 'throttle', 'delegate_facts', 'async', 'poll',
]);

/** Keywords that make sense on a block (it runs no module itself). */
export const BLOCK_KEYWORDS = new Set([
  'name', 'when', 'tags', 'vars', 'become', 'become_user', 'become_method', 'environment', 'ignore_errors',
  'ignore_unreachable', 'check_mode', 'diff', 'no_log', 'run_once', 'delegate_to', 'any_errors_fatal', 'timeout',
  'block', 'rescue', 'always', 'connection', 'remote_user', 'notify', 'collections', 'throttle',
]);

export const INCLUDE_KEYWORDS = new Set([
  'with_dict', 'with_nested', 'with_indexed_items', 'with_sequence', 'ignore_unreachable', 'connection', 'remote_user',
  'name', 'when', 'tags', 'vars', 'loop', 'loop_control', 'with_items', 'with_list', 'include_tasks', 'import_tasks',
  'become', 'become_user', 'environment', 'ignore_errors', 'no_log', 'run_once', 'delegate_to', 'args',
  'any_errors_fatal', 'check_mode', 'diff', 'timeout', 'with_first_found',
]);

/** Ansible keywords runbook does not implement, each with the reason shown by `validate`. */
export const UNSUPPORTED_KEYWORDS: Readonly<Record<string, string>> = table({
  debugger: 'the interactive debugger is not supported',
  local_action: "write the module normally and add 'delegate_to: localhost'",
  action: 'write the module name as the key (e.g. `command: ...`)',
  include: "the bare 'include' was removed from Ansible; use include_tasks or import_tasks",
  force_handlers: 'handlers of a failed host do not run (use a block with always)',
  port: "set the port per host in the inventory (ansible_port)",
  module_defaults: 'not implemented',
  become_flags: 'sudo -n -H is always used',
  become_exe: 'sudo is always used',
  with_together: "use loop: \"{{ a | zip(b) | list }}\"",
  with_random_choice: 'not implemented',
  with_lines: 'not implemented',
});

export const CONDITION_KEYS = new Set(['when', 'until', 'failed_when', 'changed_when']);
