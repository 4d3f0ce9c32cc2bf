// --tags / --skip-tags selection, as Ansible: 'always' runs unless skipped by name,
// 'never' runs only when asked for, 'tagged'/'untagged'/'all' are special selectors.

export interface TagFilter {
  readonly only: readonly string[];
  readonly skip: readonly string[];
}

export function selectedByTags(taskTags: readonly string[], f: TagFilter): boolean {
  const tags = new Set(taskTags);
  if (f.skip.length > 0) {
    if (f.skip.some((s) => tags.has(s))) return false;
    if (f.skip.includes('tagged') && tags.size > 0) return false;
    if (f.skip.includes('untagged') && tags.size === 0) return false;
  }
  if (tags.has('never') && !f.only.some((o) => tags.has(o) && o !== 'never')) {
    if (!f.only.includes('never')) return false;
  }
  if (f.only.length === 0 || f.only.includes('all')) return !tags.has('never') || f.only.some((o) => tags.has(o));
  if (tags.has('always')) return true;
  if (f.only.some((o) => tags.has(o))) return true;
  if (f.only.includes('tagged') && tags.size > 0) return true;
  if (f.only.includes('untagged') && tags.size === 0) return true;
  return false;
}

export function splitTagOption(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}
