// A module's structured result for the live view, as an operator reads it: a message's lines
// (the decision, the health table), a list of records as a table, anything else as YAML —
// never a JSON blob wrapped across the terminal.
import { stringify } from 'yaml';
import { yamlFloats } from '../core/yaml-floats.js';

const isScalar = (v: unknown): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Records with scalar fields, as columns padded to their widest cell. */
export function tableLines(rows: readonly Record<string, unknown>[]): string[] {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown): string => (v === undefined || v === null ? '-' : String(v));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(cols), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))];
}

function valueLines(v: unknown): string[] {
  if (typeof v === 'string') return v.replace(/\n+$/, '').split('\n');
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.flatMap((x) => x.split('\n'));
  if (Array.isArray(v) && v.length > 0 && v.every((x) => isRecord(x) && Object.values(x).every(isScalar)))
    return tableLines(v as Record<string, unknown>[]);
  if (isScalar(v)) return [String(v)];
  return stringify(v, yamlFloats, { lineWidth: 0 }).replace(/\n+$/, '').split('\n');
}

/** The lines of a result's shown data (debug's msg or var, a module's msg and fields). */
export function dataLines(data: Readonly<Record<string, unknown>>): string[] {
  const keys = Object.keys(data);
  // debug's msg is the message itself; a lone var is named once, then its value
  if (keys.length === 1 && keys[0] === 'msg') return valueLines(data['msg']);
  return keys.flatMap((k) => {
    const lines = valueLines(data[k]);
    return lines.length === 1 && isScalar(data[k]) ? [`${k}: ${lines[0]}`] : [`${k}:`, ...lines.map((l) => `  ${l}`)];
  });
}
