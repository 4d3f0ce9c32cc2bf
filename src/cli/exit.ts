/** Exit codes, as ansible-playbook's. */
export const EXIT = {
  ok: 0,
  invalid: 1,
  failed: 2,
  unreachable: 4,
  interrupted: 130,
} as const;
