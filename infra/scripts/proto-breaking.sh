#!/usr/bin/env bash
# Guards the published contracts: compares proto/ with the previous commit of
# the current branch and fails on any breaking change (buf's FILE and
# WIRE_JSON rules). A breaking change to a v1 package must become a v2 package.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$(repo_root)"

against=${PROTO_BREAKING_AGAINST:-HEAD~1}
if ! git rev-parse --verify --quiet "$against^{commit}" >/dev/null; then
  info "buf breaking: no commit '$against' to compare with (first commit or shallow clone); skipped"
  exit 0
fi
if ! git cat-file -e "$against:proto/buf.yaml" 2>/dev/null; then
  info "buf breaking: '$against' has no proto/ module yet; skipped"
  exit 0
fi
npx buf breaking proto --against ".git#ref=$(git rev-parse "$against"),subdir=proto"
info "buf breaking: no breaking change against $against"
