#!/usr/bin/env bash
# Sets up the project (idempotent) and runs the demo across real processes.
set -euo pipefail
cd "$(dirname "$0")/.."
SETUP_SKIP_BROWSER=1 bash scripts/setup.sh
exec node apps/demo/dist/main.js "$@"
