#!/usr/bin/env bash
# The hand-written floor for playbooks/disaster-recovery.yml after quorum loss: the same steps
# over ssh with ControlMaster (one master connection per member, opened in parallel), as an
# operator who knows the cluster would script them, without the engine's checks (no locks,
# no journal, no recovery record, no idempotency). bench/dr-recovery.mjs runs it on the same
# lab, between runbook's runs, and prints runbook/floor.
#   restore-all  read every member's db revision (parallel), stop all, copy the newest db out as the
#                snapshot, restore + start every member in parallel, poll health (0.1 s)
#   rejoin       read, stop all, copy the db, restore the survivor alone, start, poll health;
#                then one member at a time: move its data aside, member add --learner (retried
#                every 0.1 s: etcd refuses a member add, "unhealthy cluster", until every voting
#                member has been connected for 5 s, i.e. while the previous joiner settles),
#                env file `existing`, start, promote (retried every 0.1 s until in sync)
# Then both: all members healthy, a test write, the key count.
# Usage: floor-dr.sh restore-all|rejoin MEMBERS_TSV SSH_KEY KNOWN_HOSTS
#   MEMBERS_TSV lines: name address ssh_port client_url peer_url data_dir env_file service backup_dir bin_dir
#   (bin_dir: the member's etcd/etcdctl/etcdutl, first on its PATH: a 3.5 lab's own tools)
set -euo pipefail
strategy=$1 members=$2 key=$3 known=$4
id=floor-$(date +%s%N)
token=$id
cp=$(mktemp -d)
trap 'for a in "${addr[@]}"; do ssh -S "$cp/$a" -O exit x 2>/dev/null || true; done; rm -rf "$cp"' EXIT

declare -a name addr port client peer data env svc backup bin
while IFS=$'\t' read -r n a p c pe d e s b x; do
  name+=("$n"); addr+=("$a"); port+=("$p"); client+=("$c"); peer+=("$pe"); data+=("$d"); env+=("$e"); svc+=("$s"); backup+=("$b"); bin+=("${x:-/usr/bin}")
done <"$members"
N=${#name[@]}
t0=$(date +%s%N)
# FLOOR_TRACE=1: each step's elapsed time on stderr
step() { [[ -z ${FLOOR_TRACE:-} ]] || echo "floor-dr: $(( ($(date +%s%N) - t0) / 1000000 )) ms $*" >&2; }

# one master per member, in parallel; later calls reuse it (no new handshake)
for i in "${!name[@]}"; do
  ssh -fNM -S "$cp/${addr[$i]}" -i "$key" -o UserKnownHostsFile="$known" -o StrictHostKeyChecking=yes -o BatchMode=yes -p "${port[$i]}" "root@${addr[$i]}" &
done
wait
step connected
on() { local i=$1; shift; ssh -S "$cp/${addr[$i]}" -p "${port[$i]}" "root@${addr[$i]}" "PATH=${bin[$i]}:\$PATH; $*"; }
all_endpoints=$(IFS=,; echo "${client[*]}")

# read every member's revision at once from a copy of its db (a member without quorum does not
# answer endpoint status; a lost one has no db)
for i in "${!name[@]}"; do
  (on "$i" "db=${data[$i]}/member/snap/db; [ -f \$db ] || exit 0; t=\$(mktemp); cp \$db \$t && etcdctl snapshot status \$t -w json; rm -f \$t" | grep -o '"revision":[0-9]*' | cut -d: -f2 >"$cp/rev.$i" || true) &
done
wait
s=-1 best=-1
for i in "${!name[@]}"; do r=$(cat "$cp/rev.$i"); if [[ -n $r && $r -gt $best ]]; then best=$r s=$i; fi; done
[[ $s -ge 0 ]] || { echo "floor-dr: no member has data" >&2; exit 1; }
step "read (survivor ${name[$s]}, revision $best)"
# stop every member, then the survivor's db is the snapshot
for i in "${!name[@]}"; do on "$i" "${svc[$i]} stop >/dev/null" & done
wait
snap="${backup[$s]}/$id.db"
on "$s" "mkdir -p ${backup[$s]} && cp ${data[$s]}/member/snap/db $snap"
step stopped, snapshot taken

# restore MEMBER INITIAL_CLUSTER: data dir aside, restore, env file, start
restore() {
  local i=$1 ic=$2
  on "$i" "mkdir -p ${backup[$i]}; [ -e ${backup[$i]}/$id.db ] || exit 1
    [ ! -e ${data[$i]} ] || mv ${data[$i]} ${data[$i]}.before-$id
    etcdctl snapshot restore ${backup[$i]}/$id.db --skip-hash-check --name ${name[$i]} --initial-cluster $ic --initial-cluster-token $token --initial-advertise-peer-urls ${peer[$i]} --data-dir ${data[$i]} >/dev/null 2>&1
    sed -i -e 's|^ETCD_INITIAL_CLUSTER=.*|ETCD_INITIAL_CLUSTER=$ic|' -e 's|^ETCD_INITIAL_CLUSTER_STATE=.*|ETCD_INITIAL_CLUSTER_STATE=new|' -e 's|^ETCD_INITIAL_CLUSTER_TOKEN=.*|ETCD_INITIAL_CLUSTER_TOKEN=$token|' ${env[$i]}
    ${svc[$i]} start >/dev/null"
}
healthy() { until on "$s" "etcdctl --endpoints=$1 --dial-timeout=1s --command-timeout=1s endpoint health >/dev/null 2>&1"; do sleep 0.1; done; }
copy_out() { on "$s" "cat $snap" | on "$1" "mkdir -p ${backup[$1]} && cat > ${backup[$1]}/$id.db"; }

if [[ $strategy == restore-all ]]; then
  ic=$(for i in "${!name[@]}"; do printf '%s=%s,' "${name[$i]}" "${peer[$i]}"; done); ic=${ic%,}
  for i in "${!name[@]}"; do [[ $i == "$s" ]] || copy_out "$i" & done
  wait
  step copied
  for i in "${!name[@]}"; do restore "$i" "$ic" & done
  wait
  step restored, started
  healthy "$all_endpoints"
  step healthy
else
  restore "$s" "${name[$s]}=${peer[$s]}"
  healthy "${client[$s]}"
  step survivor healthy
  ic="${name[$s]}=${peer[$s]}"
  for i in "${!name[@]}"; do
    [[ $i == "$s" ]] && continue
    on "$i" "[ ! -e ${data[$i]} ] || mv ${data[$i]} ${data[$i]}.before-$id"
    # refused while the previous joiner settles (or the survivor's leader is new): retried, 60 s at most
    tries=0
    until added=$(on "$s" "etcdctl --endpoints=${client[$s]} member add ${name[$i]} --peer-urls=${peer[$i]} --learner" 2>&1); do
      (( ++tries < 600 )) || { echo "floor-dr: member add ${name[$i]}: $added" >&2; exit 1; }
      sleep 0.1
    done
    mid=$(grep -o 'Member [0-9a-f]* added' <<<"$added" | cut -d' ' -f2)
    step "${name[$i]} added after $tries refusal(s)"
    ic="$ic,${name[$i]}=${peer[$i]}"
    on "$i" "sed -i -e 's|^ETCD_INITIAL_CLUSTER=.*|ETCD_INITIAL_CLUSTER=$ic|' -e 's|^ETCD_INITIAL_CLUSTER_STATE=.*|ETCD_INITIAL_CLUSTER_STATE=existing|' ${env[$i]}; ${svc[$i]} start >/dev/null"
    tries=0
    until on "$s" "etcdctl --endpoints=${client[$s]} member promote $mid >/dev/null 2>&1"; do
      (( ++tries < 600 )) || { echo "floor-dr: member promote ${name[$i]} never succeeded" >&2; exit 1; }
      sleep 0.1
    done
    step "${name[$i]} promoted"
  done
  healthy "$all_endpoints"
  step healthy
fi
on "$s" "etcdctl --endpoints=$all_endpoints put runbook-floor-check ok >/dev/null && etcdctl --endpoints=${client[$s]} get '' --prefix --limit=1 -w json | grep -o '\"count\":[0-9]*'"
step verified
