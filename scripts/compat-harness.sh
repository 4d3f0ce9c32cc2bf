#!/usr/bin/env bash
# Side by side on real public playbooks: `ansible-playbook --syntax-check` and `--check` (2.14)
# against `runbook validate` and `runbook apply --check`, one line per case of
# scripts/compat-cases.txt. Sources are read from SRC_DIR/<source> (checked-out public repositories,
# never committed) and copied into a temp dir: a role is installed under roles/<name>, a collection
# under ansible_collections/<ns>/<name>, a project is used as it is. --check runs on localhost
# (local connection; run it inside a network namespace so nothing is downloaded).
# An optional 8th column lists what else the case needs, comma-separated: SOURCE=ROLE installs
# another role beside it (a dependency the converge playbook names), env:K=V sets a variable for both.
#   scripts/compat-harness.sh SRC_DIR [ID...]   RB_COMPAT_LOG=DIR keeps each output, RB_COMPAT_NOCHECK=1 skips --check,
#   RB_COMPAT_CASES=FILE reads the cases from FILE instead of scripts/compat-cases.txt
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
src_dir=${1:?usage: compat-harness.sh SRC_DIR [ID...]}; shift
rb="node ${RB_COMPAT_DIST:-$here/dist}/cli/main.js"
log=${RB_COMPAT_LOG:-}; [ -n "$log" ] && mkdir -p "$log"
# How far a --check run got: its task result lines; `!` when the run ended with a failed host.
far() { local n; n=$(grep -cE '^(ok|changed|skipping|fatal|failed): ' "$1")
        grep -qE '^[^ ]+ +: .*failed=[1-9]' "$1" || ! grep -q 'PLAY RECAP' "$1" && n="$n!"; echo "$n"; }
printf '%-18s %-8s %-8s %-10s %-10s\n' case ans-syn rb-valid ans-check rb-check
while read -r id source kind pb name groups check extra; do
  case "$id" in ''|'#'*) continue;; esac
  [ $# -gt 0 ] && [[ " $* " != *" $id "* ]] && continue
  work=$(mktemp -d); env=(ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0)
  case "$kind" in
    role) mkdir -p "$work/roles"; cp -r "$src_dir/$source" "$work/roles/$name"; root="$work/roles/$name"
          env+=("ANSIBLE_ROLES_PATH=$work/roles");;
    collection) ns=${name%%.*}; coll=${name#*.}; mkdir -p "$work/ansible_collections/$ns"
          cp -r "$src_dir/$source" "$work/ansible_collections/$ns/$coll"; root="$work/ansible_collections/$ns/$coll"
          env+=("ANSIBLE_COLLECTIONS_PATH=$work");;
    project) cp -r "$src_dir/$source" "$work/p"; root="$work/p";;
  esac
  for x in ${extra//,/ }; do
    case "$x" in
      env:*) env+=("${x#env:}");;
      *=*) mkdir -p "$work/roles"; cp -r "$src_dir/${x%%=*}" "$work/roles/${x#*=}"
           [[ " ${env[*]} " == *" ANSIBLE_ROLES_PATH="* ]] || env+=("ANSIBLE_ROLES_PATH=$work/roles");;
    esac
  done
  inv="$work/hosts.ini"
  { echo 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3'
    [ "$groups" != - ] && for g in ${groups//,/ }; do printf '[%s]\nlocalhost\n' "$g"; done; } > "$inv"
  out="$work/out"; mkdir -p "$out"
  run() { (cd "$root" && env "${env[@]}" timeout "$@"); }
  run 120 ansible-playbook -i "$inv" "$pb" --syntax-check >"$out/ans-syntax" 2>&1 && a=ok || a=refused
  run 60 $rb validate "$pb" >"$out/rb-validate" 2>&1 && r=ok || r=refused
  ac=-; rc=-
  if [ "$check" = yes ] && [ -z "${RB_COMPAT_NOCHECK:-}" ]; then
    run 300 ansible-playbook -i "$inv" "$pb" --check >"$out/ans-check" 2>&1
    run 300 $rb apply "$pb" -i "$inv" --check --yes -o plain >"$out/rb-check" 2>&1
    ac=$(far "$out/ans-check"); rc=$(far "$out/rb-check")
  fi
  printf '%-18s %-8s %-8s %-10s %-10s\n' "$id" "$a" "$r" "$ac" "$rc"
  [ -n "$log" ] && { rm -rf "${log:?}/$id"; cp -r "$out" "$log/$id"; }
  rm -rf "$work"
done < "${RB_COMPAT_CASES:-$here/scripts/compat-cases.txt}"
