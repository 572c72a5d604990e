#!/usr/bin/env bash
# Sets up the project (idempotent) and runs every package's tests; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx -y pnpm@9.15.9 exec turbo run lint test --concurrency=1 --output-logs=full "$@"
