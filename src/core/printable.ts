// Text from playbooks, inventories or hosts that a report prints inside one line (a loop
// label, a task name, a host name): control characters are escaped, so a newline or a
// terminal escape in a value can never forge a line of a plan or a report.

export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]/g, (c) => {
    switch (c) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
}
