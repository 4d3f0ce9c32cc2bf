#!/usr/bin/env bash
# Debian packages the end-to-end tests and the lab use (real sshd, real etcd, sudo for become,
# openssl for the lab's TLS, setsid for its daemons, script(1) for the terminal tests, curl for
# etcd_alarm's read of a member's backend quota from /metrics, rsync for synchronize).
# Installs only what is missing; needs root for that.
set -euo pipefail
need=()
command -v sshd >/dev/null 2>&1 || [ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh-keygen >/dev/null 2>&1 || need+=(openssh-client)
command -v etcd >/dev/null 2>&1 || need+=(etcd-server)
command -v etcdctl >/dev/null 2>&1 || need+=(etcd-client)
# the compatibility suite (test/compat) runs the same playbooks with ansible-playbook 2.14
command -v ansible-playbook >/dev/null 2>&1 || need+=(ansible-core)
command -v sudo >/dev/null 2>&1 || need+=(sudo)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v setsid >/dev/null 2>&1 || need+=(util-linux)
# pgrep: the data-dir reader finds the running etcd; the fail-closed e2e counts remote sleeps
command -v pgrep >/dev/null 2>&1 || need+=(procps)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v script >/dev/null 2>&1 || need+=(bsdutils)
# synchronize runs rsync on the controller and on the host (here both are this machine)
command -v rsync >/dev/null 2>&1 || need+=(rsync)
# ansible-core and its collections (ansible.posix, community.general): modules runbook does not
# build in run through Ansible's module code, and the compatibility tests run ansible-playbook
/usr/bin/python3 -c 'import ansible_collections.ansible.posix, ansible_collections.community.general' >/dev/null 2>&1 || need+=(ansible)
# what ansible-playbook's json_query and ansible.utils ip filters need (test/e2e/compat)
/usr/bin/python3 -c 'import jmespath' >/dev/null 2>&1 || need+=(python3-jmespath)
/usr/bin/python3 -c 'import netaddr' >/dev/null 2>&1 || need+=(python3-netaddr)
# what ansible-playbook's package_facts reads dpkg's database with (test/e2e/compat/package-service-facts)
/usr/bin/python3 -c 'import apt' >/dev/null 2>&1 || need+=(python3-apt)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing Debian packages: ${need[*]} (install them: sudo apt-get install -y ${need[*]})" >&2
    exit 1
  fi
  echo "installing: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
