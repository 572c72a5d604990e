#!/usr/bin/env bash
# Sets up the project (idempotent) and runs every package's type-check and tests; exits non-zero on any
# failure and ends with one summary line counting every test of every package.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
log=$(mktemp)
npx -y pnpm@9.15.9 exec turbo run lint test --concurrency=1 --output-logs=full "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# vitest prints "Tests  N passed (T)" or "Tests  F failed | N passed (T)" once per package.
summary=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^\S+:test:\s+Tests\s' | awk '
  { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i; if ($(i+1) ~ /^skipped/) s += $i } }
  END { printf "%d passed, %d failed", p, f; if (s) printf ", %d skipped", s; print "" }')
rm -f "$log"
echo
echo "tests: $summary"
if [ "$status" -eq 0 ] && [ "${summary%% passed*}" = "0" ]; then
  echo "no test ran: treating that as a failure"
  exit 1
fi
exit "$status"
