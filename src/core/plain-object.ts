// A mapping as YAML/JSON gives it: an object that is not an array (null excepted).
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
