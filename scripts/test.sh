#!/usr/bin/env bash
# `npm test`: the whole suite, unit and end to end (real sshd on loopback addresses).
# Installs the Debian packages the e2e tests need when missing (as root).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ]; then bash scripts/install-deps.sh; fi
[ -d dist ] || npm run build
exec npx vitest run "$@"
