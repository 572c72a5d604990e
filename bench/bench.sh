#!/usr/bin/env bash
# `pnpm bench` / `npm run bench`: builds the bench and what it depends on, then runs every scenario
# (each in a fresh process). Options pass through, e.g. `npm run bench -- --quick --only websocket`.
set -euo pipefail
cd "$(dirname "$0")/.."
# turbo needs the pnpm binary; through npx it works whether or not pnpm is installed globally.
npx -y pnpm@9.15.9 exec turbo run build --filter=@cmd-ipc/bench... --output-logs=errors-only >&2
exec node bench/dist/run.js "$@"
