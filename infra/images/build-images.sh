#!/usr/bin/env bash
# Builds the local, registry-free infrastructure images pinned in infra/images/images.env:
#   BASE_LOCAL_IMAGE      Debian (debootstrap minbase) + OpenJDK 17 JRE
#   KAFKA_LOCAL_IMAGE     Apache Kafka (jars from Maven Central), single-node KRaft
#   DATABASE_LOCAL_IMAGE  FerretDB 1.x (built from the Go module proxy), SQLite backend, with the
#                         SQLite driver raised to FERRETDB_SQLITE_DRIVER_VERSION
# Each image is built only when missing or out of date (its inputs changed), so a warm run
# takes well under a second.
#
#   infra/images/build-images.sh            # build what is missing
#   infra/images/build-images.sh --force    # rebuild all three (reuses the download caches)
# An image is out of date when the hash of its inputs (versions from images.env, the files in
# kafka/ or ferretdb/, the base's inputs) differs from its label "buergerservice.inputs".
#   infra/images/build-images.sh --print-env  # just print the image names as export lines
#
# Caches live outside the repo in $BUERGERSERVICE_CACHE_DIR (default /var/cache/buergerservice):
#   rootfs/<suite>-jre/    debootstrap result (re-imported if the base image is deleted)
#   kafka-<v>/libs/        broker jars
#   bin/ferretdb-<v>-sqlite-<driver v>-<patch hash>   static FerretDB binary
# Maven (~/.m2) and Go (GOMODCACHE, GOCACHE) use their usual caches.
# Progress with timings goes to stderr.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
CACHE="${BUERGERSERVICE_CACHE_DIR:-/var/cache/buergerservice}"
FORCE=0

T_START=$SECONDS
log() { printf '[build-images %3ss] %s\n' "$((SECONDS - T_START))" "$*" >&2; }
die() { printf '[build-images] ERROR: %s\n' "$*" >&2; exit 1; }

# --- images.env: KEY=VALUE lines, parsed without evaluating anything ---------------------
while IFS= read -r line || [[ -n "$line" ]]; do
  [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
  [[ "$line" =~ ^([A-Z0-9_]+)=([^[:space:]]*)$ ]] || die "bad line in images.env: $line"
  printf -v "${BASH_REMATCH[1]}" '%s' "${BASH_REMATCH[2]}"
done <"$HERE/images.env"
for k in BASE_LOCAL_IMAGE KAFKA_LOCAL_IMAGE DATABASE_LOCAL_IMAGE BASE_DEBIAN_SUITE \
  BASE_JRE_PACKAGE KAFKA_VERSION FERRETDB_VERSION FERRETDB_SQLITE_DRIVER_VERSION FERRETDB_SQLITE_VERSION; do
  [[ -n "${!k:-}" ]] || die "images.env lacks $k"
done

case "${1:-}" in
  --force) FORCE=1 ;;
  --print-env)
    for k in BASE_LOCAL_IMAGE KAFKA_LOCAL_IMAGE DATABASE_LOCAL_IMAGE; do echo "export $k=${!k}"; done
    exit 0
    ;;
  "") ;;
  *) die "usage: $0 [--force|--print-env]" ;;
esac

# --- engine --------------------------------------------------------------------------------
# ensure-engine installs podman (Debian, root) if needed; we then use the CLI directly
# (rootful podman shares its image store with the API service testcontainers talks to).
eval "$("$REPO/infra/engine/ensure-engine.sh")"
if command -v podman >/dev/null 2>&1 && [[ "${CONTAINER_ENGINE:-podman}" == podman ]]; then
  ENGINE=podman
  BUILD_FLAGS=(--pull=never)
  IMPORT_FLAGS=(--quiet)
else
  ENGINE=docker
  BUILD_FLAGS=()
  IMPORT_FLAGS=()
fi

# Each image carries a label with a hash of its inputs; an image whose label differs (or that
# is missing) is rebuilt. Editing e.g. kafka-entrypoint.sh therefore rebuilds only that image.
LABEL_KEY=buergerservice.inputs
sha() { sha256sum | cut -c1-16; }
BASE_HASH="$(printf 'base %s %s\n' "$BASE_DEBIAN_SUITE" "$BASE_JRE_PACKAGE" | sha)"
KAFKA_HASH="$({ echo "kafka $KAFKA_VERSION $BASE_HASH"
  cat "$HERE"/kafka/{Containerfile,kafka-entrypoint.sh,log4j.properties,pom.xml}; } | sha)"
DB_PATCH_HASH="$(cat "$HERE"/ferretdb/*.patch | sha)"
DB_HASH="$({ echo "ferretdb $FERRETDB_VERSION $BASE_HASH $DB_PATCH_HASH"
  echo "sqlite driver $FERRETDB_SQLITE_DRIVER_VERSION sqlite $FERRETDB_SQLITE_VERSION"
  cat "$HERE"/ferretdb/{Containerfile,ferretdb-entrypoint.sh}; } | sha)"
label_of() { $ENGINE image inspect --format "{{index .Config.Labels \"$LABEL_KEY\"}}" "$1" 2>/dev/null || true; }
current() { ((FORCE == 0)) && [[ "$(label_of "$1")" == "$2" ]]; }

NEED_BASE=1 NEED_KAFKA=1 NEED_DB=1
current "$BASE_LOCAL_IMAGE" "$BASE_HASH" && NEED_BASE=0
current "$KAFKA_LOCAL_IMAGE" "$KAFKA_HASH" && NEED_KAFKA=0
current "$DATABASE_LOCAL_IMAGE" "$DB_HASH" && NEED_DB=0
if ((NEED_BASE + NEED_KAFKA + NEED_DB == 0)); then
  log "all images up to date ($BASE_LOCAL_IMAGE, $KAFKA_LOCAL_IMAGE, $DATABASE_LOCAL_IMAGE)"
  exit 0
fi
# the app images are built FROM the base: a new base means new app images
if ((NEED_BASE)); then NEED_KAFKA=1 NEED_DB=1; fi

# image ids being replaced: removed at the end (if no container uses them) so rebuilds leave
# no dangling images behind
image_id() { $ENGINE image inspect --format '{{.Id}}' "$1" 2>/dev/null || true; }
OLD_IDS=()
((NEED_KAFKA)) && OLD_IDS+=("$(image_id "$KAFKA_LOCAL_IMAGE")")
((NEED_DB)) && OLD_IDS+=("$(image_id "$DATABASE_LOCAL_IMAGE")")
((NEED_BASE)) && OLD_IDS+=("$(image_id "$BASE_LOCAL_IMAGE")")

mkdir -p "$CACHE"/{bin,logs,build}
PIDS=()

# --- Kafka jars (Maven Central), in the background -------------------------------------------
KAFKA_LIBS="$CACHE/kafka-$KAFKA_VERSION/libs"
fetch_kafka_libs() {
  if [[ -f "$KAFKA_LIBS/.complete" ]]; then return 0; fi
  command -v mvn >/dev/null 2>&1 || die "mvn (Maven) is required to fetch the Kafka jars"
  local t0=$SECONDS tmp="$KAFKA_LIBS.tmp"
  rm -rf "$tmp"
  mvn -q -B -f "$HERE/kafka/pom.xml" -Dkafka.version="$KAFKA_VERSION" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp" \
    >"$CACHE/logs/kafka-mvn.log" 2>&1 \
    || { tail -n 30 "$CACHE/logs/kafka-mvn.log" >&2; die "mvn failed (log: $CACHE/logs/kafka-mvn.log)"; }
  ls "$tmp"/kafka_2.13-"$KAFKA_VERSION".jar >/dev/null || die "kafka_2.13-$KAFKA_VERSION.jar missing"
  touch "$tmp/.complete"
  rm -rf "$KAFKA_LIBS" && mv "$tmp" "$KAFKA_LIBS"
  log "kafka: $(ls "$KAFKA_LIBS" | wc -l) jars from Maven Central in $((SECONDS - t0)) s"
}

# --- FerretDB binary (Go module proxy), in the background --------------------------------------
# Not `go install ...@vX`: (1) that binary panics at start ("Invalid build/version/version.txt"),
# because the module zip lacks the generated build/version/version.txt; (2) the module mirror
# here answers 403 to the @v/list query go install makes for its deprecation check.
# So: download the exact module, copy it, write version.txt, build in module mode with
# FerretDB's own go.mod/go.sum (same dependency versions as upstream) — except modernc.org/sqlite:
# upstream's v1.32.0 bundles SQLite 3.46.0, which has the WAL-reset corruption bug (fixed in
# SQLite 3.51.3, README finding 10), so the copy requires FERRETDB_SQLITE_DRIVER_VERSION instead
# (`go get` of that exact version; what it raises along with it is in the log).
# infra/images/ferretdb/*.patch are applied to the module before building (see the README there);
# the binary's name carries the driver version and the patches' hash, so changing either builds
# a new binary.
FERRETDB_BIN="$CACHE/bin/ferretdb-$FERRETDB_VERSION-sqlite-$FERRETDB_SQLITE_DRIVER_VERSION-$DB_PATCH_HASH"
build_ferretdb() {
  if [[ -x "$FERRETDB_BIN" ]]; then return 0; fi
  command -v go >/dev/null 2>&1 || die "go is required to build FerretDB"
  local t0=$SECONDS src="$CACHE/build/ferretdb-src-$FERRETDB_VERSION" dir
  local -x CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOTOOLCHAIN=local
  local -x GOPROXY
  GOPROXY="$(go env GOPROXY)"
  GOPROXY="${GOPROXY%[,|]direct}" # never fall back to direct VCS access (GitHub)
  [[ -n "$GOPROXY" && "$GOPROXY" != direct && "$GOPROXY" != off ]] || GOPROXY=https://proxy.golang.org
  dir="$(go mod download -json "github.com/FerretDB/FerretDB@v$FERRETDB_VERSION" 2>"$CACHE/logs/ferretdb-go.log" \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')" \
    || true
  [[ -n "$dir" && -d "$dir" ]] \
    || { cat "$CACHE/logs/ferretdb-go.log" >&2; die "go mod download of FerretDB v$FERRETDB_VERSION failed"; }
  rm -rf "$src" && cp -r "$dir" "$src" && chmod -R u+w "$src"
  echo "v$FERRETDB_VERSION" >"$src/build/version/version.txt"
  echo "buergerservice" >"$src/build/version/package.txt"
  local driver="modernc.org/sqlite" driver_dir libc_used libc_wanted
  (cd "$src" && go get "$driver@v$FERRETDB_SQLITE_DRIVER_VERSION") >>"$CACHE/logs/ferretdb-go.log" 2>&1 \
    || { tail -n 30 "$CACHE/logs/ferretdb-go.log" >&2; die "go get $driver@v$FERRETDB_SQLITE_DRIVER_VERSION failed"; }
  driver_dir="$(cd "$src" && go list -m -f '{{.Version}} {{.Dir}}' "$driver")"
  [[ "$driver_dir" == "v$FERRETDB_SQLITE_DRIVER_VERSION "* ]] \
    || die "FerretDB's go.mod does not require $driver v$FERRETDB_SQLITE_DRIVER_VERSION after go get ($driver_dir)"
  driver_dir="${driver_dir#* }"
  # the SQLite version is read from the transpiled library itself, not from the driver's notes
  grep -q "SQLITE_VERSION = \"$FERRETDB_SQLITE_VERSION\"" "$driver_dir/lib/sqlite_$(go env GOOS)_$(go env GOARCH).go" \
    || die "$driver v$FERRETDB_SQLITE_DRIVER_VERSION does not bundle SQLite $FERRETDB_SQLITE_VERSION for $(go env GOOS)/$(go env GOARCH)"
  # the driver only works with the modernc.org/libc its own go.mod pins (cznic/sqlite issue 177);
  # a newer one picked by the version selection would be a silent mismatch
  libc_used="$(cd "$src" && go list -m -f '{{.Version}}' modernc.org/libc)"
  libc_wanted="$(cd "$src" && go mod graph | sed -n "s|^$driver@v$FERRETDB_SQLITE_DRIVER_VERSION modernc.org/libc@||p")"
  [[ -n "$libc_wanted" && "$libc_used" == "$libc_wanted" ]] \
    || die "$driver v$FERRETDB_SQLITE_DRIVER_VERSION wants modernc.org/libc $libc_wanted, the build would use $libc_used"
  local patch
  for patch in "$HERE"/ferretdb/*.patch; do
    (cd "$src" && git apply -p1 "$patch") >>"$CACHE/logs/ferretdb-go.log" 2>&1 \
      || { tail -n 30 "$CACHE/logs/ferretdb-go.log" >&2; die "FerretDB patch $(basename "$patch") does not apply"; }
  done
  # The patches' unit tests (FerretDB's test helpers look for a .git directory).
  mkdir -p "$src/.git"
  (cd "$src" && go test -count=1 -run 'TestPrepareWhereClause' ./internal/backends/sqlite/) \
    >>"$CACHE/logs/ferretdb-go.log" 2>&1 \
    || { tail -n 30 "$CACHE/logs/ferretdb-go.log" >&2; die "unit tests of the FerretDB patches failed"; }
  (cd "$src" && go build -trimpath -ldflags='-s -w' -o "$FERRETDB_BIN.tmp" ./cmd/ferretdb) \
    >>"$CACHE/logs/ferretdb-go.log" 2>&1 \
    || { tail -n 30 "$CACHE/logs/ferretdb-go.log" >&2; die "go build of FerretDB failed (log: $CACHE/logs/ferretdb-go.log)"; }
  # (the output is taken whole first: `grep -q` in a pipe can end the writer with SIGPIPE under pipefail)
  local reported
  reported="$("$FERRETDB_BIN.tmp" --version)"
  grep -q "version: v$FERRETDB_VERSION" <<<"$reported" \
    || die "built ferretdb does not report v$FERRETDB_VERSION"
  reported="$(go version -m "$FERRETDB_BIN.tmp")"
  grep -qF $'\tdep\t'"$driver"$'\tv'"$FERRETDB_SQLITE_DRIVER_VERSION"$'\t' <<<"$reported" \
    || die "built ferretdb does not contain $driver v$FERRETDB_SQLITE_DRIVER_VERSION"
  mv -f "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
  rm -rf "$src"
  log "ferretdb: static binary built in $((SECONDS - t0)) s ($driver v$FERRETDB_SQLITE_DRIVER_VERSION, SQLite $FERRETDB_SQLITE_VERSION)"
}

if ((NEED_KAFKA)); then fetch_kafka_libs & PIDS+=($!); fi
if ((NEED_DB)); then build_ferretdb & PIDS+=($!); fi

# --- base image: debootstrap + import ------------------------------------------------------------
apt_mirror() { # the machine's own Debian mirror for the suite
  local f uri
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -r "$f" ]] || continue
    uri="$(awk -v suite="$BASE_DEBIAN_SUITE" '
      /^[[:space:]]*$/ { if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " suite " ")) { print uri; exit } types=""; suites=""; uri=""; next }
      /^Types:/  { $1=""; types=$0 }
      /^URIs:/   { uri=$2 }
      /^Suites:/ { $1=""; suites=$0 }
      END { if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " suite " ")) print uri }' "$f" | head -n1)"
    if [[ -n "$uri" ]]; then echo "$uri"; return; fi
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -r "$f" ]] || continue
    uri="$(awk -v suite="$BASE_DEBIAN_SUITE" '
      $1 == "deb" { i=2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } if ($(i+1) == suite) { print $i; exit } }' "$f")"
    if [[ -n "$uri" ]]; then echo "$uri"; return; fi
  done
  echo "http://deb.debian.org/debian"
}

if ((NEED_BASE)); then
  ROOTFS="$CACHE/rootfs/$BASE_DEBIAN_SUITE-$BASE_JRE_PACKAGE"
  if [[ ! -f "$ROOTFS.complete" ]]; then
    if ! command -v debootstrap >/dev/null 2>&1; then
      [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1 \
        || die "debootstrap is required for the base image (apt-get install debootstrap)"
      log "installing debootstrap"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >&2 \
        || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >&2; }
    fi
    MIRROR="$(apt_mirror)"
    log "base: debootstrap --variant=minbase --include=$BASE_JRE_PACKAGE $BASE_DEBIAN_SUITE from $MIRROR"
    t0=$SECONDS
    rm -rf "$ROOTFS" && mkdir -p "$(dirname "$ROOTFS")"
    debootstrap --variant=minbase --include="$BASE_JRE_PACKAGE" "$BASE_DEBIAN_SUITE" "$ROOTFS" "$MIRROR" \
      >"$CACHE/logs/debootstrap.log" 2>&1 \
      || { tail -n 30 "$CACHE/logs/debootstrap.log" >&2; die "debootstrap failed (log: $CACHE/logs/debootstrap.log)"; }
    rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/* 2>/dev/null || true
    touch "$ROOTFS.complete"
    log "base: debootstrap done in $((SECONDS - t0)) s ($(du -sh "$ROOTFS" | cut -f1))"
  else
    log "base: reusing rootfs $ROOTFS"
  fi
  t0=$SECONDS
  tar -C "$ROOTFS" --numeric-owner -c . \
    | $ENGINE import "${IMPORT_FLAGS[@]}" --change 'ENV LANG=C.UTF-8' --change 'CMD ["/bin/bash"]' \
      --change "LABEL $LABEL_KEY=$BASE_HASH" - "$BASE_LOCAL_IMAGE" >/dev/null
  log "base: imported $BASE_LOCAL_IMAGE in $((SECONDS - t0)) s"
fi

# --- wait for the background downloads/builds ---------------------------------------------------
for p in "${PIDS[@]}"; do
  wait "$p" || die "a background step failed (see messages above)"
done

build_image() { # build_image TAG CONTEXT VERSION_ARG INPUTS_HASH
  local tag="$1" ctx="$2" varg="$3" hash="$4" t0=$SECONDS
  $ENGINE build "${BUILD_FLAGS[@]}" --build-arg BASE_IMAGE="$BASE_LOCAL_IMAGE" --build-arg "$varg" \
    --label "$LABEL_KEY=$hash" -t "$tag" -f "$ctx/Containerfile" "$ctx" \
    >"$CACHE/logs/build-$(basename "$ctx").log" 2>&1 \
    || { tail -n 30 "$CACHE/logs/build-$(basename "$ctx").log" >&2; die "building $tag failed"; }
  rm -rf "$ctx"
  log "built $tag in $((SECONDS - t0)) s"
}

if ((NEED_KAFKA)); then
  ctx="$CACHE/build/kafka"
  rm -rf "$ctx" && mkdir -p "$ctx"
  cp "$HERE"/kafka/{Containerfile,kafka-entrypoint.sh,log4j.properties} "$ctx/"
  cp -al "$KAFKA_LIBS" "$ctx/libs" 2>/dev/null || cp -r "$KAFKA_LIBS" "$ctx/libs"
  rm -f "$ctx/libs/.complete"
  build_image "$KAFKA_LOCAL_IMAGE" "$ctx" "KAFKA_VERSION=$KAFKA_VERSION" "$KAFKA_HASH"
fi

if ((NEED_DB)); then
  ctx="$CACHE/build/ferretdb"
  rm -rf "$ctx" && mkdir -p "$ctx"
  cp "$HERE"/ferretdb/{Containerfile,ferretdb-entrypoint.sh} "$ctx/"
  cp "$FERRETDB_BIN" "$ctx/ferretdb"
  build_image "$DATABASE_LOCAL_IMAGE" "$ctx" "FERRETDB_VERSION=$FERRETDB_VERSION" "$DB_HASH"
fi

for id in "${OLD_IDS[@]}"; do
  [[ -n "$id" ]] && $ENGINE rmi "$id" >/dev/null 2>&1 || true
done

log "done in $((SECONDS - T_START)) s"
