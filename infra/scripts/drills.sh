#!/usr/bin/env bash
# Runs the reliability drills (packages/drills): the platform under a bounded
# load of bundles while Kafka, the database and each service are killed and
# restarted; prints the drill table. DRILLS_PROFILE=ci|full (default full).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
root=$(repo_root)
cd "$root"
ensure_node_modules
npx turbo run build --filter=@buergerservice/drills --filter='./services/*' --output-logs=errors-only
ensure_infrastructure
exec node --enable-source-maps packages/drills/dist/run.js
