#!/usr/bin/env bash
# Fetch newer etcd releases for the lab and the e2e version matrix, without installing them:
# Debian's etcd-server/etcd-client .debs of another suite (trixie: 3.5.16, sid: 3.5.30) are
# downloaded from this machine's own Debian mirror through a private apt state (lists, cache
# and sources of our own, so the machine's apt state is untouched) and unpacked with
# `dpkg-deb -x`. The machine's etcd (bookworm's 3.4) stays what it is.
#
#   scripts/fetch-etcd.sh [VERSION...]      default: 3.5.16 3.5.30
#
# Result: $RUNBOOK_ETCD_CACHE/<version>/usr/bin/{etcd,etcdctl,etcdutl}
# (default cache: .runbook/etcd/ in the project). A version already unpacked is skipped.
# `runbook lab up --etcd-version <version>` finds it there.
set -euo pipefail
cd "$(dirname "$0")/.."
cache=${RUNBOOK_ETCD_CACHE:-$PWD/.runbook/etcd}
[ $# -gt 0 ] || set -- 3.5.16 3.5.30

suite_of() {
  case "$1" in
    3.5.16) echo trixie ;;
    3.5.30) echo sid ;;
    *) echo "fetch-etcd: no Debian suite known for etcd $1 (known: 3.5.16 trixie, 3.5.30 sid)" >&2; return 1 ;;
  esac
}

# the machine's own Debian mirror (first URIs line of the deb822 sources, else sources.list)
mirror() {
  local uri=''
  if [ -r /etc/apt/sources.list.d/debian.sources ]; then
    uri=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$uri" ] && [ -r /etc/apt/sources.list ]; then
    uri=$(awk '$1 == "deb" && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list)
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

fetch() {
  local version=$1 suite dest work apt
  dest="$cache/$version"
  if [ -x "$dest/usr/bin/etcd" ] && [ -x "$dest/usr/bin/etcdctl" ] && [ -x "$dest/usr/bin/etcdutl" ]; then
    echo "etcd $version: present in $dest"
    return 0
  fi
  suite=$(suite_of "$version")
  work=$(mktemp -d "${TMPDIR:-/tmp}/runbook-etcd-$version.XXXXXX")
  trap 'rm -rf "$work"' RETURN
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/sources" "$work/debs"
  cat >"$work/sources/debian.sources" <<EOF
Types: deb
URIs: $(mirror)
Suites: $suite
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  apt=(-o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$work/sources" -o "APT::Sandbox::User=root")
  echo "etcd $version: apt-get update ($suite, private lists)"
  apt-get "${apt[@]}" update -qq >/dev/null
  # apt-get update only warns when the mirror cannot be reached; without lists apt-cache would
  # answer from the installed packages (bookworm's 3.4) and the message would blame the suite
  if ! compgen -G "$work/lists/*_Packages*" >/dev/null; then
    echo "fetch-etcd: could not read the $suite package lists from $(mirror) (no network or mirror down?)" >&2
    return 1
  fi
  local pkg candidate
  for pkg in etcd-server etcd-client; do
    candidate=$(apt-cache "${apt[@]}" policy "$pkg" | awk '/Candidate:/ { print $2 }')
    case "$candidate" in
      "$version"-*) ;;
      *) echo "fetch-etcd: $suite has $pkg ${candidate:-(none)}, not $version: the suite moved on (update the version map in $0)" >&2; return 1 ;;
    esac
    (cd "$work/debs" && apt-get "${apt[@]}" download -qq "$pkg=$candidate" >/dev/null)
  done
  mkdir -p "$work/root"
  for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/root"; done
  local got
  got=$("$work/root/usr/bin/etcd" --version | awk '/etcd Version:/ { print $3 }')
  if [ "$got" != "$version" ]; then echo "fetch-etcd: unpacked etcd says $got, not $version" >&2; return 1; fi
  mkdir -p "$cache"
  rm -rf "$dest.tmp"
  mkdir -p "$dest.tmp/usr"
  mv "$work/root/usr/bin" "$dest.tmp/usr/bin"
  rm -rf "$dest"
  mv "$dest.tmp" "$dest"
  echo "etcd $version: unpacked into $dest ($(ls "$dest/usr/bin" | tr '\n' ' '))"
}

for v in "$@"; do fetch "$v"; done
