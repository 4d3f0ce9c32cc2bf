// `gather_facts` left unset: runbook gathers facts only for plays that use them. A play uses
// facts when a fact variable (`ansible_os_family`, `ansible_facts`...) appears in a file read
// to build it (the playbook, task files, roles, their templates) — or, at run time, in its
// hosts' inventory variables — or when an include's file or role name is templated (what it
// brings is read only when it runs, so it may use facts). Ansible gathers for every play; this keeps plays that use no
// fact (runbook's own) at one round trip less per host, and the others working unchanged.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** the names the setup module (and Ansible's) sets; not connection variables like ansible_host */
export const FACT_REFERENCE =
  /\bansible_(?:facts|hostname|fqdn|nodename|domain|system|kernel(?:_version)?|architecture|machine(?:_id)?|distribution\w*|os_family|processor\w*|mem\w*|swap\w*|memory_mb|default_ipv[46]|all_ipv[46]_addresses|interfaces|date_time|python\w*|user_\w+|service_mgr|pkg_mgr|uptime_seconds|fips|env|lsb|virtualization_\w+|bios_\w+|product_\w+|devices|mounts|dns|(?:eth|ens|enp|eno|bond|br|wlan|lo)\w*)\b/;

export function textUsesFacts(text: string): boolean {
  return FACT_REFERENCE.test(text);
}

/** every regular file under dir (a role's templates/), at most `limit` of them */
export function filesUnder(dir: string, limit = 200): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      if (out.length >= limit) return;
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && st.size < 1_000_000) out.push(p);
    }
  };
  if (existsSync(dir) && statSync(dir).isDirectory()) walk(dir);
  return out;
}
