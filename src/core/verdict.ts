// How a run ended, as a value: the executor returns it, the journal records it, and only
// cli/exit.ts turns it into an exit code (ansible-playbook's numbers).

export type RunVerdict =
  /** every host came through (ignored failures included) */
  | 'ok'
  /** a host failed a task */
  | 'failed'
  /** no host failed, but one could not be reached */
  | 'unreachable'
  /** Ctrl-C / SIGTERM stopped the run */
  | 'interrupted';
