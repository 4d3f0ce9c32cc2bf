#!/usr/bin/env bash
# `npm test`: the whole suite, unit and end to end (real sshd and etcd on loopback addresses).
# Installs what it needs: the Debian packages when missing (as root; otherwise it says which),
# etcd 3.5.16 and 3.5.30 unpacked under .runbook/etcd (scripts/fetch-etcd.sh),
# the npm dependencies when node_modules is absent, and builds dist/ (the e2e tests run the
# built CLI, so it must match the sources).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# the version matrix's newer etcd releases (vitest.config.ts): fetched once, skipped when present
bash scripts/fetch-etcd.sh
[ -d node_modules/vitest ] || npm ci --no-audit --no-fund
npm run -s build
exec npx vitest run "$@"
