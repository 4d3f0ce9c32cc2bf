#!/usr/bin/env bash
# `npm run demo`: the whole story on this machine, as root, in about a minute: install what is
# missing, build, bring a 3-member etcd lab up, load keys, lose quorum (2 of 3 disks), show
# the plan, recover with runbook, verify every key, and tear the lab down (always).
set -euo pipefail
cd "$(dirname "$0")/.."

LAB_DIR=${RUNBOOK_DEMO_DIR:-/var/tmp/runbook-demo}
INV_DIR="$LAB_DIR-inventory"
NET=${RUNBOOK_DEMO_NET:-59}
KEYS=${RUNBOOK_DEMO_KEYS:-5000}
B=$'\e[1m'; N=$'\e[0m'
[ -t 1 ] || { B=''; N=''; }
stage() { printf '\n%s== %s%s\n' "$B" "$*" "$N"; }
runbook() { node dist/cli/main.js "$@"; }

if [ "$(id -u)" != 0 ]; then
  echo "npm run demo needs root: it starts sshd and etcd on loopback addresses (127.0.$NET.x). Run it as root (e.g. sudo npm run demo)." >&2
  exit 1
fi

stage "1/8 Installing what is missing (Debian packages, npm dependencies)"
bash scripts/install-deps.sh
[ -d node_modules/yaml ] || npm ci --no-audit --no-fund
stage "2/8 Building"
npm run -s build

if [ -f "$LAB_DIR/lab.json" ]; then
  echo "a demo lab is still there ($LAB_DIR): taking it down first"
  runbook lab down --dir "$LAB_DIR" || true
fi
trap 'stage "8/8 Tearing the lab down"; runbook lab down --dir "$LAB_DIR" || true' EXIT

stage "3/8 A 3-member etcd cluster, each member with its own address, sshd and etcd"
runbook lab up --members 3 --net "$NET" --dir "$LAB_DIR" -i "$INV_DIR"

stage "4/8 Writing $KEYS keys"
runbook lab load "$KEYS" --dir "$LAB_DIR"
runbook lab status --dir "$LAB_DIR"

stage "5/8 Disaster: 2 of 3 members lose their disks (quorum lost)"
runbook lab break quorum-loss --dir "$LAB_DIR"
runbook lab status --dir "$LAB_DIR" || true

stage "6/8 The plan (changes nothing): who survives, and why"
runbook plan playbooks/disaster-recovery.yml -i "$INV_DIR"

stage "7/8 The recovery"
start=$(date +%s.%N)
runbook apply playbooks/disaster-recovery.yml -i "$INV_DIR" --yes
end=$(date +%s.%N)
elapsed=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
runbook lab status --dir "$LAB_DIR"
runbook lab verify --dir "$LAB_DIR"
printf '\n%srecovered in %s s, every key verified%s\n' "$B" "$elapsed" "$N"
