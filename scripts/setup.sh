#!/usr/bin/env bash
# Installs everything the project needs on a fresh machine of this kind: system packages
# (nats-server for the NATS tests, chromium for the live-view test) and the npm workspace.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ] || need_apt+=(nats-server)
if [ "${SETUP_SKIP_BROWSER:-}" != "1" ]; then
  command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
fi
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${need_apt[*]}"
  if [ "$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# pnpm comes from the npm registry through npx, pinned to a version that runs on Node 20.
PNPM="npx -y pnpm@9.15.9"
if [ -n "${CI:-}" ]; then
  $PNPM install --frozen-lockfile --reporter=append-only
else
  $PNPM install --reporter=append-only
fi
$PNPM exec turbo run build --output-logs=errors-only
