#!/usr/bin/env bash
# Static checks of the deployment configuration: Kubernetes manifests, Grafana
# dashboards and provisioning, Prometheus rules and configuration, the
# Collector/Tempo/Loki wiring, the compose file and the service Dockerfiles.
# None of Grafana, Tempo, the Collector or a cluster runs on the build
# machines, so everything is checked offline. See infra/checks/README.md.
#
#   infra/checks/run-static-checks.sh                 all checks
#   infra/checks/run-static-checks.sh --only grafana  some (comma-separated):
#       k8s, prometheus, grafana, observability, compose, dockerfiles, scripts
#
# Installs its tools on first use, idempotently, into a cache outside the
# repository ($BUERGERSERVICE_CACHE, default /var/cache/buergerservice):
# kustomize (Go module), promtool (Debian's prometheus package, unpacked, not
# installed), a Python virtual environment (PyPI), the operators' CRDs (Go
# modules, Maven Central) and the compose checker (Go). Exits non-zero when any
# check fails, after running all of them.
#
# BUERGERSERVICE_CHECK_ROOT=<dir> checks another copy of the repository (the
# self-test uses it to check deliberately broken copies).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "${BUERGERSERVICE_CHECK_ROOT:-$here/../..}" && pwd)

# --- pinned versions -----------------------------------------------------------
KUSTOMIZE_VERSION=v5.8.1                  # v5.8.3 needs Go 1.27
PROMETHEUS_DEB_VERSION=2.42.0+ds-5+deb12u1
KUBERNETES_VERSION=1.33                   # schemas of kubernetes-validate
CERT_MANAGER_VERSION=v1.21.2              # Go module github.com/cert-manager/cert-manager
MONGODB_OPERATOR_VERSION=v0.13.0          # Go module github.com/mongodb/mongodb-kubernetes-operator
STRIMZI_VERSION=0.51.0                    # Maven io.strimzi:api, classifier tests (holds crds/v1)
STRIMZI_TESTS_JAR_SHA256=b99f69303dc507ca505b74345d93f5260621bb084b8b79447f726e54b6e66a1d
# Metrics the dashboards already show but the platform does not export
# yet: a warning, not a failure. Remove an entry once the metric exists.
PENDING_METRICS=()

base_cache=${BUERGERSERVICE_CACHE:-/var/cache/buergerservice}
if ! mkdir -p "$base_cache" 2>/dev/null || [[ ! -w $base_cache ]]; then
  base_cache=${XDG_CACHE_HOME:-$HOME/.cache}/buergerservice
fi
cache=$base_cache/static-checks
mkdir -p "$cache"

only=all
while [[ $# -gt 0 ]]; do
  case $1 in
    --only) only=$2; shift 2 ;;
    --only=*) only=${1#--only=}; shift ;;
    -h|--help) sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
wanted() { [[ $only == all || ",$only," == *",$1,"* ]]; }

step() { printf '\n\033[1m--> %s\033[0m\n' "$*"; }
info() { printf '    %s\n' "$*"; }

# --- tools (installed once, under a lock, skipped when present) ------------------

kustomize=$cache/kustomize-$KUSTOMIZE_VERSION/kustomize
promtool=$cache/prometheus-$PROMETHEUS_DEB_VERSION/promtool
venv=$cache/python-$(cat "$here/requirements.txt" <(python3 --version) | sha256sum | cut -c1-12)
python=$venv/bin/python
crds=$cache/crds
gocheck=$cache/go-checks-$(cat "$here"/go/go.mod "$here"/go/go.sum "$here"/go/*.go <(go version) | sha256sum | cut -c1-12)/buergerservice-checks

install_kustomize() {
  [[ -x $kustomize ]] && return
  info "installing kustomize $KUSTOMIZE_VERSION (go install, ~90 s once)"
  GOTOOLCHAIN=local GOBIN=$(dirname "$kustomize") go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
}

install_promtool() {
  [[ -x $promtool ]] && return
  info "installing promtool from Debian's prometheus $PROMETHEUS_DEB_VERSION (unpacked, the daemon is not installed)"
  local tmp
  tmp=$(mktemp -d)
  (
    cd "$tmp"
    if ! apt-get download "prometheus=$PROMETHEUS_DEB_VERSION" >/dev/null 2>&1; then
      apt-get update -qq >/dev/null
      apt-get download "prometheus=$PROMETHEUS_DEB_VERSION" >/dev/null
    fi
    dpkg-deb -x prometheus_*.deb unpacked
    mkdir -p "$(dirname "$promtool")"
    install -m 0755 unpacked/usr/bin/promtool "$promtool"
  )
  rm -rf "$tmp"
}

install_python() {
  [[ -x $python ]] && return
  info "creating the Python environment (PyPI: kubernetes-validate, jsonschema, PyYAML)"
  rm -rf "$venv"
  python3 -m venv "$venv.partial"
  "$venv.partial/bin/pip" install --quiet --disable-pip-version-check --no-input -r "$here/requirements.txt"
  mv "$venv.partial" "$venv"
  # The venv's scripts hold its path: recreate rather than move if that ever matters.
}

# Downloads a Go module (verified against the checksum database) and prints its directory.
go_module_dir() {
  GOTOOLCHAIN=local GOFLAGS=-mod=mod go mod download -json "$1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])'
}

install_crds() {
  local cm=$crds/cert-manager-$CERT_MANAGER_VERSION mdb=$crds/mongodb-operator-$MONGODB_OPERATOR_VERSION st=$crds/strimzi-$STRIMZI_VERSION
  if [[ ! -d $cm ]]; then
    info "fetching the cert-manager $CERT_MANAGER_VERSION CRDs (Go module, checked against sum.golang.org)"
    local dir
    dir=$(go_module_dir "github.com/cert-manager/cert-manager@$CERT_MANAGER_VERSION")
    mkdir -p "$cm.partial"
    cp "$dir"/deploy/crds/cert-manager.io_*.yaml "$cm.partial/"
    mv "$cm.partial" "$cm"
  fi
  if [[ ! -d $mdb ]]; then
    info "fetching the MongoDB Community Operator $MONGODB_OPERATOR_VERSION CRD (Go module, checked against sum.golang.org)"
    local dir
    dir=$(go_module_dir "github.com/mongodb/mongodb-kubernetes-operator@$MONGODB_OPERATOR_VERSION")
    mkdir -p "$mdb.partial"
    cp "$dir"/config/crd/bases/mongodbcommunity.mongodb.com_mongodbcommunity.yaml "$mdb.partial/"
    mv "$mdb.partial" "$mdb"
  fi
  if [[ ! -d $st ]]; then
    info "fetching the Strimzi $STRIMZI_VERSION CRDs (Maven Central io.strimzi:api:tests, sha256 pinned)"
    local tmp
    tmp=$(mktemp -d)
    curl -fsSL --retry 3 -o "$tmp/api-tests.jar" \
      "https://repo1.maven.org/maven2/io/strimzi/api/$STRIMZI_VERSION/api-$STRIMZI_VERSION-tests.jar"
    echo "$STRIMZI_TESTS_JAR_SHA256  $tmp/api-tests.jar" | sha256sum --check --quiet
    mkdir -p "$st.partial"
    (cd "$tmp" && python3 -c 'import sys, zipfile; zipfile.ZipFile("api-tests.jar").extractall("x", [n for n in zipfile.ZipFile("api-tests.jar").namelist() if n.startswith("crds/v1/") and n.endswith(".yaml")])')
    cp "$tmp"/x/crds/v1/*.yaml "$st.partial/"
    rm -rf "$tmp"
    mv "$st.partial" "$st"
  fi
}

install_gocheck() {
  [[ -x $gocheck ]] && return
  info "building the compose checker (compose-go, ~10 s once)"
  (cd "$here/go" && GOTOOLCHAIN=local go build -trimpath -o "$gocheck.partial" . && mv "$gocheck.partial" "$gocheck")
}

need_render=false
for c in k8s observability dockerfiles; do wanted $c && need_render=true; done

step "Tools (cache: $cache)"
started=$SECONDS
# One installer at a time (two checks started together share the cache).
exec 9>"$cache/.install.lock"
flock 9
install_python
if $need_render; then install_kustomize; fi
if wanted prometheus || wanted grafana; then install_promtool; fi
if wanted k8s; then install_crds; fi
if wanted compose; then install_gocheck; fi
flock -u 9
info "ready in $((SECONDS - started)) s"

# --- checks ----------------------------------------------------------------------

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=()
run() {
  # Each check runs in its own subshell with errexit, so one failure neither
  # hides the others nor lets a half-finished check pass.
  local name=$1
  shift
  local t=$SECONDS rc=0
  set +e
  (set -e; "$@")
  rc=$?
  set -e
  if [[ $rc -ne 0 ]]; then
    failed+=("$name")
    info "FAILED: $name ($((SECONDS - t)) s)"
  else
    info "passed: $name ($((SECONDS - t)) s)"
  fi
}

py() { PYTHONDONTWRITEBYTECODE=1 "$python" "$@"; }

overlays=()
render() {
  local dir name
  for dir in "$root"/k8s/overlays/*/; do
    name=$(basename "$dir")
    if "$kustomize" build "$dir" >"$work/$name.yaml" 2>"$work/$name.err"; then
      info "k8s/overlays/$name: $(grep -c '^kind:' "$work/$name.yaml") objects"
    else
      sed 's/^/    FAIL /' "$work/$name.err"
      return 1
    fi
  done
}

check_k8s() {
  py "$here/python/k8s_manifests.py" \
    --kubernetes-version "$KUBERNETES_VERSION" \
    --crds "$crds/cert-manager-$CERT_MANAGER_VERSION" \
    --crds "$crds/strimzi-$STRIMZI_VERSION" \
    --crds "$crds/mongodb-operator-$MONGODB_OPERATOR_VERSION" \
    --external-secrets "$root/k8s/external-secrets.txt" \
    "${overlays[@]}"
}

check_prometheus() {
  local p=$root/infra/observability/prometheus
  "$promtool" check rules "$p"/rules/*.yml
  "$promtool" test rules "$p"/tests/*.yml
  "$promtool" check config "$p/prometheus.compose.yml"
  py "$here/python/prometheus_config.py" "$p/prometheus.k8s.yml" "$work/prometheus.k8s.yml"
  info "prometheus.k8s.yml, kubernetes_sd_configs replaced by a static target (Debian's promtool lacks Kubernetes discovery):"
  "$promtool" check config "$work/prometheus.k8s.yml"
}

check_grafana() {
  local g=$root/infra/observability/grafana rc=0
  local pending=() m
  for m in "${PENDING_METRICS[@]}"; do pending+=(--pending-metric "$m"); done
  py "$here/python/grafana.py" \
    --datasources "$g/provisioning/datasources" \
    --dashboards "$g/dashboards" \
    --promtool "$promtool" \
    --metrics-source "$root/packages/telemetry/src/metrics.ts" \
    --metrics-source "$root/packages/telemetry/src/runtime-metrics.ts" \
    --metrics-source "$root/packages/event-bus/src/metrics.ts" \
    --metrics-source "$root/services/portal-gateway/src/app/gateway-metrics.ts" \
    --rules "$root/infra/observability/prometheus/rules/buergerservice.rules.yml" \
    "${pending[@]}" || rc=1
  if py "$g/generate-dashboards.py" --check --out "$g/dashboards"; then
    info "dashboards match generate-dashboards.py"
  else
    rc=1
  fi
  return $rc
}

check_observability() {
  py "$here/python/observability.py" \
    --observability "$root/infra/observability" \
    --compose "$root/infra/compose/compose.yaml" \
    "${overlays[@]}"
}

check_compose() {
  "$gocheck" compose "$root" "$root"/infra/compose/compose.yaml
}

check_dockerfiles() {
  local rendered=$work/prod.yaml
  [[ -f $rendered ]] || rendered=${overlays[0]#*=}
  py "$here/python/dockerfiles.py" --repo "$root" --compose "$root/infra/compose/compose.yaml" --rendered "$rendered"
}

check_scripts() {
  local f n=0
  for f in "$root"/infra/compose/image/*.js; do
    node --check "$f"
    n=$((n + 1))
  done
  info "node --check: $n image scripts"
  if command -v shellcheck >/dev/null; then
    shellcheck "$root"/infra/checks/*.sh
    info "shellcheck: infra/checks/*.sh"
  else
    info "shellcheck not installed: skipped (apt-get install shellcheck)"
  fi
}

if $need_render; then
  step "Rendering every overlay (kustomize $KUSTOMIZE_VERSION)"
  run "kustomize build" render
  for f in "$work"/*.yaml; do [[ -e $f ]] && overlays+=("$(basename "$f" .yaml)=$f"); done
fi
if [[ ${#overlays[@]} -eq 0 ]] && $need_render; then
  info "no overlay rendered: skipping the checks that need them"
else
  if wanted k8s; then
    step "Kubernetes objects against the Kubernetes $KUBERNETES_VERSION and CRD schemas, and the platform's rules"
    run "k8s manifests" check_k8s
  fi
  if wanted observability; then
    step "Observability wiring (Collector, Tempo, Loki, Grafana, Prometheus) in compose and Kubernetes"
    run "observability wiring" check_observability
  fi
  if wanted dockerfiles; then
    step "Service Dockerfiles"
    run "dockerfiles" check_dockerfiles
  fi
fi
if wanted prometheus; then
  step "Prometheus rules (promtool check rules, test rules) and configuration"
  run "prometheus" check_prometheus
fi
if wanted grafana; then
  step "Grafana provisioning and dashboards"
  run "grafana" check_grafana
fi
if wanted compose; then
  step "Compose file (compose-go, as docker compose loads it)"
  run "compose" check_compose
fi
if wanted scripts; then
  step "Scripts"
  run "scripts" check_scripts
fi

echo
if [[ ${#failed[@]} -gt 0 ]]; then
  printf '\033[31mStatic checks FAILED: %s\033[0m (%d s)\n' "${failed[*]}" "$((SECONDS - started))"
  exit 1
fi
printf '\033[32mStatic checks passed\033[0m (%d s)\n' "$((SECONDS - started))"
