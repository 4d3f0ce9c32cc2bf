#!/usr/bin/env bash
# Side by side on real projects: `ansible-playbook --syntax-check` and `--check` (2.14) against
# `runbook validate` and `runbook apply --check`, one line per playbook. Roles and playbooks are
# read where they are (a git mirror is checked out into a temp dir); nothing is committed.
#   scripts/compat-harness.sh ROLE_OR_PROJECT_DIR...      (a role dir gets a tiny site.yml)
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
rb="node $here/dist/cli/main.js"
printf '%-40s %-10s %-10s %-14s %-14s\n' playbook ans-syntax rb-validate ans-check rb-check
for src in "$@"; do
  work=$(mktemp -d)
  if [ -d "$src/tasks" ]; then             # a role: play it on localhost
    name=$(basename "$src"); mkdir -p "$work/roles"; cp -r "$src" "$work/roles/$name"
    printf -- '- hosts: localhost\n  become: false\n  roles: [%s]\n' "$name" > "$work/site.yml"; pbs=("$work/site.yml")
  else cp -r "$src/." "$work/"; mapfile -t pbs < <(ls "$work"/*.yml 2>/dev/null); fi
  printf 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n' > "$work/hosts.ini"
  for pb in "${pbs[@]}"; do
    a=$(cd "$work" && timeout 120 ansible-playbook -i hosts.ini "$pb" --syntax-check >/dev/null 2>&1 && echo ok || echo refused)
    r=$(cd "$work" && timeout 60 $rb validate "$pb" >/dev/null 2>&1 && echo ok || echo refused)
    ac=$(cd "$work" && timeout 300 ansible-playbook -i hosts.ini "$pb" --check 2>&1 | grep -cE '^(ok|changed|skipping):' )
    rc=$(cd "$work" && timeout 300 $rb apply "$pb" -i hosts.ini --check --yes -o plain 2>&1 | grep -cE '^(ok|changed|skipping):' )
    printf '%-40s %-10s %-10s %-14s %-14s\n' "$(basename "$src")/$(basename "$pb")" "$a" "$r" "$ac tasks" "$rc tasks"
  done
  rm -rf "$work"
done
