# Shared helpers for the platform's scripts. Source it; it does nothing on its own.

repo_root() { cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd; }

step() { printf '\n\033[1m==> %s\033[0m\n' "$*" >&2; }
info() { printf '    %s\n' "$*" >&2; }
fail() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

ensure_node() {
  command -v node >/dev/null || fail "Node.js 20 is required (https://nodejs.org or 'apt-get install nodejs npm')."
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  [[ $major -ge 20 ]] || fail "Node.js >= 20 is required, found $(node --version)."
}

# Installs the npm dependencies unless node_modules already matches the lock file.
ensure_node_modules() {
  local root stamp want
  root=$(repo_root)
  ensure_node
  stamp="$root/node_modules/.buergerservice-lock.sha256"
  want=$(sha256sum "$root/package-lock.json" | cut -d' ' -f1)
  if [[ -f $stamp && $(cat "$stamp") == "$want" ]]; then
    info "npm dependencies up to date"
    return
  fi
  step "Installing npm dependencies"
  # `npm install`, not `npm ci`: the lock file lacks the other platforms'
  # optional binary packages (biome, buf, swc, esbuild, ...) because the
  # package mirror of the build machines only serves linux-x64 ones, and
  # `npm ci` refuses such a lock. `npm install` still installs exactly the
  # versions the lock file pins.
  # Serialised with every other npm install on this machine (other checkouts,
  # CI jobs, people adding a dependency): concurrent installs corrupt node_modules.
  if command -v flock >/dev/null; then
    (cd "$root" && flock "${BUERGERSERVICE_NPM_LOCK:-/tmp/npm.lock}" npm install --no-audit --no-fund --loglevel=error)
  else
    (cd "$root" && npm install --no-audit --no-fund --loglevel=error)
  fi
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

# Debian packages the tests use: pdftotext (an independent PDF text extractor
# for the document tests), Chromium (the browser test), openssl (test
# certificates). Installed only when missing.
ensure_system_packages() {
  local missing=() pair cmd pkg
  for pair in pdftotext:poppler-utils chromium:chromium openssl:openssl; do
    cmd=${pair%%:*}
    pkg=${pair#*:}
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
  done
  ((${#missing[@]})) || { info "system packages present"; return; }
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
    fail "missing system packages: ${missing[*]} (install them with your package manager)"
  fi
  step "Installing system packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
