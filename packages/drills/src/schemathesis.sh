#!/usr/bin/env bash
# Fuzzes the portal gateway's HTTP API from its own OpenAPI document with
# Schemathesis: no 5xx, and every response (errors: problem+json) in the
# content type the document declares.
#
#   BASE_URL=http://127.0.0.1:8080 TOKEN=<bearer> bash schemathesis.sh [--max-examples N]
#
# Schemathesis (PyPI, pinned) is installed idempotently into a venv under
# /var/cache/buergerservice/venv. Loopback only: the script refuses any other host.
set -euo pipefail

SCHEMATHESIS_VERSION=4.32.5
VENV="${SCHEMATHESIS_VENV:-/var/cache/buergerservice/venv}"
MAX_EXAMPLES=25
while [[ $# -gt 0 ]]; do
  case "$1" in
    --max-examples) MAX_EXAMPLES="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

: "${BASE_URL:?set BASE_URL to the gateway, e.g. http://127.0.0.1:8080}"
: "${TOKEN:?set TOKEN to a bearer token of a citizen (the development issuer)}"
case "$BASE_URL" in
  http://127.0.0.1:*|http://localhost:*) ;;
  *) echo "BASE_URL must be on loopback (http://127.0.0.1:<port>), not $BASE_URL" >&2; exit 2 ;;
esac

installed() { [[ -x "$VENV/bin/schemathesis" ]] && [[ "$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("schemathesis"))' 2>/dev/null)" == "$SCHEMATHESIS_VERSION" ]]; }
if ! installed; then
  echo "installing schemathesis $SCHEMATHESIS_VERSION into $VENV" >&2
  mkdir -p "$(dirname "$VENV")"
  # A lock, so two runs do not build the same venv at once.
  exec 9>"$(dirname "$VENV")/.venv.lock"
  flock 9
  if ! installed; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  fi
  flock -u 9
fi

REPORT_DIR="$(mktemp -d)"
# not_a_server_error: no 5xx; content_type_conformance: errors arrive as the documented problem+json.
exec "$VENV/bin/schemathesis" run "$BASE_URL/api/openapi.json" \
  --url "$BASE_URL" \
  --header "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,content_type_conformance \
  --max-examples "$MAX_EXAMPLES" \
  --seed 20261121 \
  --no-color \
  --report-dir "$REPORT_DIR"
