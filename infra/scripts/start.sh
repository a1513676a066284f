#!/usr/bin/env bash
# Starts the whole platform locally. See README.md ("Run it").
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
root=$(repo_root)
cd "$root"
ensure_node_modules
step "Building"
npx turbo run build --output-logs=errors-only
ensure_infrastructure
exec node infra/scripts/run-platform.js "$@"
