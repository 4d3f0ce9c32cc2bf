// Every etcd task of the shipped playbooks passes the inventory's tool paths through: a task
// that gives etcdctl_path but not etcdutl_path runs a fetched etcd 3.5's etcdctl and then
// looks for etcdutl on the PATH ("exec: etcdutl: not found" in snapshot.yml on a 3.5 lab).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const playbooks = readdirSync(join(root, 'playbooks')).filter((f) => f.endsWith('.yml'));
const withTools = readdirSync(join(root, 'schemas', 'modules'))
  .filter((f) => f.startsWith('etcd_') && readFileSync(join(root, 'schemas', 'modules', f), 'utf8').includes('"etcdutl_path"'))
  .map((f) => f.replace(/\.json$/, ''));

/** every mapping in the document with the module key it holds */
function etcdTasks(node: unknown, out: { module: string; args: Record<string, unknown> }[] = []): typeof out {
  if (Array.isArray(node)) for (const n of node) etcdTasks(n, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (withTools.includes(k) && v && typeof v === 'object') out.push({ module: k, args: v as Record<string, unknown> });
      etcdTasks(v, out);
    }
  }
  return out;
}

describe('playbooks pass etcdctl_path and etcdutl_path together', () => {
  it('knows the modules that take them', () => {
    expect(withTools).toEqual(expect.arrayContaining(['etcd_snapshot', 'etcd_restore', 'etcd_facts', 'etcd_status']));
  });
  for (const p of playbooks) {
    it(p, () => {
      const doc = parse(readFileSync(join(root, 'playbooks', p), 'utf8'), { merge: true }) as unknown;
      for (const t of etcdTasks(doc)) {
        if ('etcdctl_path' in t.args)
          expect(t.args, `${p}: ${t.module} gives etcdctl_path without etcdutl_path`).toHaveProperty('etcdutl_path');
      }
    });
  }
});
