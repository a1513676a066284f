# Shared helpers for the platform's scripts. Source it; it does nothing on its own.

repo_root() { cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd; }

step() { printf '\n\033[1m==> %s\033[0m\n' "$*" >&2; }
info() { printf '    %s\n' "$*" >&2; }
fail() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Installs the npm dependencies unless node_modules already matches the lock file.
ensure_node_modules() {
  local root stamp want
  root=$(repo_root)
  command -v node >/dev/null || fail "Node.js 20 is required (https://nodejs.org or 'apt-get install nodejs npm')."
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  [[ $major -ge 20 ]] || fail "Node.js >= 20 is required, found $(node --version)."
  stamp="$root/node_modules/.buergerservice-lock.sha256"
  want=$(sha256sum "$root/package-lock.json" | cut -d' ' -f1)
  if [[ -f $stamp && $(cat "$stamp") == "$want" ]]; then
    info "npm dependencies up to date"
    return
  fi
  step "Installing npm dependencies (npm ci)"
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
}

# Container engine (Docker or Podman's Docker API) and the infrastructure images.
ensure_infrastructure() {
  local root
  root=$(repo_root)
  step "Preparing the container engine"
  eval "$("$root/infra/engine/ensure-engine.sh")"
  step "Preparing the infrastructure images"
  "$root/infra/images/build-images.sh"
}
