// The host's Python as Ansible 2.14 picks it: ansible_python_interpreter when set (and not
// `auto…`), else the first found of its discovery order. The fallback modules run with it,
// and `setup` reports it (ansible_python).

/** Ansible 2.14's interpreter discovery order (INTERPRETER_PYTHON_FALLBACK), platform Pythons first. */
export const PYTHONS: readonly string[] = [
  '/usr/bin/python3',
  '/usr/libexec/platform-python',
  'python3.12',
  'python3.11',
  'python3.10',
  'python3.9',
  'python3.8',
  'python3.7',
  'python3.6',
  'python3',
  '/usr/bin/python',
  'python',
];

/** ansible_python_interpreter, when it names one (`auto`, `auto_silent`… mean discovery). */
export function interpreterOf(vars: Readonly<Record<string, unknown>>): string | undefined {
  const v = vars['ansible_python_interpreter'];
  return typeof v === 'string' && v.trim() !== '' && !v.startsWith('auto') ? v.trim() : undefined;
}
