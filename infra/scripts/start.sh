#!/usr/bin/env bash
# Starts the whole platform locally. See README.md ("Run it").
#
#   npm start                  install, build, prepare engine and images, run until Ctrl-C
#   npm start -- --no-build    use the dist/ folders as they are (e.g. while others build on this machine)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
root=$(repo_root)
cd "$root"
started=$SECONDS

build=1
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    -h | --help)
      sed -n '2,5p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) fail "unknown option $arg (see npm start -- --help)" ;;
  esac
done

ensure_node
# Taken ports and an already running platform are found before spending time on the build.
node infra/scripts/run-platform.js --preflight
ensure_node_modules
if ((build)); then
  step "Building (turbo; unchanged packages come from its cache)"
  npx turbo run build --output-logs=errors-only
else
  info "build skipped (--no-build)"
fi
ensure_infrastructure
info "prepared in $((SECONDS - started)) s"
exec node infra/scripts/run-platform.js
