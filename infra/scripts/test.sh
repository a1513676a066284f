#!/usr/bin/env bash
# Runs every test of the platform on this machine: installs what is missing,
# prepares the container engine and images, then lint, type check, build,
# unit tests, the contract breaking-change guard, the integration and
# end-to-end tests against real Kafka and a real MongoDB-wire database, and
# the drills and the benchmark under a reduced load.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
root=$(repo_root)
cd "$root"
started=$SECONDS

ensure_node_modules
ensure_system_packages

step "Contracts: buf lint and breaking-change guard"
npx buf lint proto
bash infra/scripts/proto-breaking.sh

step "Operations config: manifests, dashboards, alert rules, compose (static checks and their self-test)"
bash infra/checks/run-static-checks.sh
bash infra/checks/selftest.sh

step "Lint, type check, build and unit tests"
npx turbo run lint typecheck build test --output-logs=errors-only

ensure_infrastructure

# Each package's integration run starts its own Kafka and database (jest
# global setup, ~5-20 s): tests of one package use the platform's real topic
# names (e.g. poison records in the drills), which must not leak into
# another package's assertions.
step "Integration and end-to-end tests"
npx turbo run test:integration --concurrency=1 --continue --output-logs=full

# The drills and the benchmark under a reduced but real load (the full loads
# have their own commands: `npm run drills`, `npm run bench`). Both start
# their own containers and the five services as processes.
step "Reliability drills, CI profile (full load: npm run drills)"
DRILLS_PROFILE=ci node --enable-source-maps packages/drills/dist/run.js

step "Benchmark, CI profile (full load: npm run bench)"
BENCH_PROFILE=ci BENCH_SKIP_BUILD=1 npm run bench --silent

step "All tests passed in $((SECONDS - started)) s"
