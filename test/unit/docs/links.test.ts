// Every relative link of the docs (README.md, ARCHITECTURE.md, CONTRIBUTING.md, docs/*.md) leads
// to a file that exists, and a link to a heading (`page.md#anchor`) to a heading of that page
// (GitHub's anchors), so moving text between pages cannot leave a dead link behind.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '../../..');
// pages another branch is writing: linked already; remove an entry once it lands
const PENDING = new Set<string>([]);

const pages = [
  'README.md',
  'ARCHITECTURE.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** The text outside fenced code blocks. */
function prose(text: string): string {
  return text.replace(/^\s*```[\s\S]*?^\s*```/gm, '');
}

/** GitHub's anchors of a page's headings. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of prose(text).matchAll(/^#{1,6} (.+)$/gm)) {
    const base = m[1]!
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

describe('links between the docs', () => {
  it.each(pages)('%s: every relative link resolves', (page) => {
    const text = readFileSync(join(ROOT, page), 'utf8');
    const dead: string[] = [];
    for (const m of prose(text).matchAll(/\]\(([^)\s]+)\)/g)) {
      const href = m[1]!;
      if (/^[a-z]+:/.test(href)) continue;
      const [path, anchor] = href.split('#') as [string, string | undefined];
      const target = path ? relative(ROOT, join(ROOT, dirname(page), path)) : page;
      if (PENDING.has(target)) continue;
      if (!existsSync(join(ROOT, target))) {
        dead.push(`${href} (no ${target})`);
        continue;
      }
      if (anchor && target.endsWith('.md') && !anchors(readFileSync(join(ROOT, target), 'utf8')).has(anchor))
        dead.push(`${href} (no heading #${anchor} in ${target})`);
    }
    expect(dead).toEqual([]);
  });

  it('lists only pending pages that have not landed yet', () => {
    expect([...PENDING].filter((p) => existsSync(join(ROOT, p)))).toEqual([]);
  });
});
