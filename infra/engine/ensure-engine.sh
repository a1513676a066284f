#!/usr/bin/env bash
# Finds (or, on Debian as root, installs and starts) a container engine that speaks the
# Docker API, then prints `export` lines for it and writes them to an env file.
#
#   eval "$(infra/engine/ensure-engine.sh)"      # or
#   infra/engine/ensure-engine.sh >/dev/null && source infra/engine/.engine.env
#
# Order: $DOCKER_HOST (if it answers) -> /var/run/docker.sock -> our podman socket
# (/run/buergerservice/podman.sock) -> other podman sockets -> install/start podman.
# Idempotent: a warm machine only probes the socket (well under a second).
# Progress goes to stderr; stdout carries only the export lines.
#
# Environment knobs:
#   BUERGERSERVICE_ENGINE_ENV_FILE  where to write the env file (default: next to this script)
#   BUERGERSERVICE_PODMAN_SOCKET    podman API socket path (default /run/buergerservice/podman.sock)
#   BUERGERSERVICE_NO_INSTALL=1     never run apt-get (fail instead)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ENV_FILE="${BUERGERSERVICE_ENGINE_ENV_FILE:-$SCRIPT_DIR/.engine.env}"
PODMAN_SOCK="${BUERGERSERVICE_PODMAN_SOCKET:-/run/buergerservice/podman.sock}"
STATE_DIR="$(dirname "$PODMAN_SOCK")"
PODMAN_LOG="$STATE_DIR/podman-service.log"
PODMAN_PID="$STATE_DIR/podman-service.pid"
CONTAINERS_CONF=/etc/containers/containers.conf
API_VERSION=v1.41

log() { printf '[ensure-engine] %s\n' "$*" >&2; }
die() { printf '[ensure-engine] ERROR: %s\n' "$*" >&2; exit 1; }

# probe_unix SOCKET -> 0 if the Docker-compatible API answers /version on it
probe_unix() {
  [[ -S "$1" ]] || return 1
  curl -fsS --max-time 5 --unix-socket "$1" "http://d/$API_VERSION/version" >/dev/null 2>&1
}

# engine_name_of SOCKET -> "podman" or "docker" (from the /version answer)
engine_name_of() {
  if curl -fsS --max-time 5 --unix-socket "$1" "http://d/$API_VERSION/version" 2>/dev/null \
    | grep -qi '"podman'; then
    echo podman
  else
    echo docker
  fi
}

emit() { # emit DOCKER_HOST ENGINE_NAME
  local host="$1" name="$2" tmp
  mkdir -p "$(dirname "$ENV_FILE")"
  tmp="$(mktemp "$ENV_FILE.XXXXXX")"
  cat >"$tmp" <<EOF
# written by infra/engine/ensure-engine.sh — do not commit
export DOCKER_HOST=$host
export TESTCONTAINERS_RYUK_DISABLED=true
export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1
export CONTAINER_ENGINE=$name
EOF
  chmod 644 "$tmp"
  mv -f "$tmp" "$ENV_FILE"
  grep '^export ' "$ENV_FILE"
  log "using $name at $host (env file: $ENV_FILE)"
  exit 0
}

# 1. An explicit DOCKER_HOST that answers.
if [[ -n "${DOCKER_HOST:-}" ]]; then
  case "$DOCKER_HOST" in
    unix://*)
      if probe_unix "${DOCKER_HOST#unix://}"; then
        emit "$DOCKER_HOST" "$(engine_name_of "${DOCKER_HOST#unix://}")"
      fi
      ;;
    *)
      # tcp/ssh/TLS: let the docker client deal with certificates and schemes.
      if command -v docker >/dev/null 2>&1 \
        && timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
        emit "$DOCKER_HOST" docker
      fi
      ;;
  esac
  log "DOCKER_HOST=$DOCKER_HOST does not answer; looking for another engine"
fi

# 2. A Docker daemon on the default socket.
if probe_unix /var/run/docker.sock; then
  emit unix:///var/run/docker.sock "$(engine_name_of /var/run/docker.sock)"
fi

# 3. Our podman service (started by an earlier run), then other podman API sockets.
if probe_unix "$PODMAN_SOCK"; then
  emit "unix://$PODMAN_SOCK" podman
fi
for s in /run/podman/podman.sock ${XDG_RUNTIME_DIR:+"$XDG_RUNTIME_DIR/podman/podman.sock"}; do
  if probe_unix "$s"; then emit "unix://$s" podman; fi
done

# 4. Nothing answers: install (Debian, root) and start podman. Serialised with a lock so that
#    parallel callers on a cold machine neither run apt-get twice nor start two services.
mkdir -p "$STATE_DIR"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$STATE_DIR/ensure-engine.lock"
  flock -w 600 9 || die "timed out waiting for $STATE_DIR/ensure-engine.lock"
  if probe_unix "$PODMAN_SOCK"; then emit "unix://$PODMAN_SOCK" podman; fi
fi
is_debian() { [[ -r /etc/os-release ]] && grep -qE '^(ID|ID_LIKE)=.*debian' /etc/os-release; }

need_pkgs=()
command -v podman >/dev/null 2>&1 || need_pkgs+=(podman)
command -v runc >/dev/null 2>&1 || need_pkgs+=(runc)
command -v debootstrap >/dev/null 2>&1 || need_pkgs+=(debootstrap)
command -v curl >/dev/null 2>&1 || die "curl is required to probe the engine socket"

if ((${#need_pkgs[@]})); then
  if [[ "${need_pkgs[*]}" == "debootstrap" ]]; then
    log "note: debootstrap missing (only infra/images/build-images.sh needs it)"
    need_pkgs=()
  fi
fi
if ((${#need_pkgs[@]})); then
  if [[ "${BUERGERSERVICE_NO_INSTALL:-}" == 1 ]] || ! is_debian || [[ $EUID -ne 0 ]] \
    || ! command -v apt-get >/dev/null 2>&1; then
    die "no container engine found: no answering Docker socket (DOCKER_HOST, /var/run/docker.sock) and no podman.
  Install one of:
    - Docker Engine (start it so /var/run/docker.sock answers), or
    - Podman >= 4 with runc, e.g. on Debian/Ubuntu as root: apt-get install -y podman runc debootstrap
      (this script does that itself on Debian when run as root)"
  fi
  pkgs=(podman runc debootstrap)
  log "installing ${pkgs[*]} with apt-get"
  t0=$SECONDS
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || die "apt-get update failed"
  apt-get install -y -qq "${pkgs[@]}" >&2 \
    || die "apt-get install ${pkgs[*]} failed"
  log "installed in $((SECONDS - t0)) s"
fi
command -v runc >/dev/null 2>&1 || die "runc is required (crun fails here with 'cgroups in hybrid mode not supported'): install runc"

# containers.conf: runc, and explicit ulimits (without them: setrlimit ... Operation not permitted).
if [[ $EUID -eq 0 ]]; then
  if ! grep -qs 'buergerservice' "$CONTAINERS_CONF"; then
    if [[ -s "$CONTAINERS_CONF" ]]; then
      cp -n "$CONTAINERS_CONF" "$CONTAINERS_CONF.before-buergerservice" || true
      log "replacing $CONTAINERS_CONF (backup: $CONTAINERS_CONF.before-buergerservice)"
    fi
    mkdir -p "$(dirname "$CONTAINERS_CONF")"
    cat >"$CONTAINERS_CONF" <<'EOF'
# written by buergerservice infra/engine/ensure-engine.sh
# crun fails on this kernel setup ("cgroups in hybrid mode not supported"): use runc.
# Without explicit ulimits container start fails with "setrlimit ... Operation not permitted";
# nproc=65536 also fails, 32768 works.
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"
EOF
    log "wrote $CONTAINERS_CONF"
  fi
else
  log "not root: leaving containers.conf alone (needs runtime=\"runc\" and default_ulimits)"
fi

# Start the Docker-compatible API service, detached so it outlives this script.
if [[ -f "$PODMAN_PID" ]]; then
  old_pid="$(cat "$PODMAN_PID" 2>/dev/null || true)"
  if [[ -n "$old_pid" ]] && kill -0 "$old_pid" 2>/dev/null \
    && grep -qs 'system.service' "/proc/$old_pid/cmdline"; then
    log "podman service pid $old_pid exists but the socket does not answer; stopping it"
    kill "$old_pid" 2>/dev/null || true
    sleep 1
  fi
  rm -f "$PODMAN_PID"
fi
rm -f "$PODMAN_SOCK"
log "starting: podman system service --time=0 unix://$PODMAN_SOCK (log: $PODMAN_LOG)"
nohup setsid podman system service --time=0 "unix://$PODMAN_SOCK" \
  >>"$PODMAN_LOG" 2>&1 </dev/null 9>&- &
echo $! >"$PODMAN_PID"

for _ in $(seq 1 150); do # up to ~30 s
  if probe_unix "$PODMAN_SOCK"; then
    emit "unix://$PODMAN_SOCK" podman
  fi
  if ! kill -0 "$(cat "$PODMAN_PID")" 2>/dev/null; then
    tail -n 20 "$PODMAN_LOG" >&2 || true
    die "podman system service exited; see $PODMAN_LOG"
  fi
  sleep 0.2
done
tail -n 20 "$PODMAN_LOG" >&2 || true
die "podman API socket $PODMAN_SOCK did not answer within 30 s; see $PODMAN_LOG"
