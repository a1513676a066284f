#!/usr/bin/env bash
# Proves that the static checks catch what they claim to catch: copies the
# checked files to a temporary directory, checks the pristine copy (must
# pass), then breaks one thing at a time in a fresh copy and asserts that
# run-static-checks.sh fails on it with the expected message. Also runs the
# behaviour test of the container health probe.
#
#   infra/checks/selftest.sh
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
started=$SECONDS

# What the checks read, nothing else.
pristine=$work/pristine
mkdir -p "$pristine"
(
  cd "$repo"
  paths=(k8s infra/observability infra/compose infra/checks packages/telemetry/src/metrics.ts packages/event-bus/src/metrics.ts
    packages/telemetry/src/runtime-metrics.ts services/portal-gateway/src/app/gateway-metrics.ts
    package.json package-lock.json turbo.json tsconfig.base.json proto)
  for s in services/*/; do paths+=("${s}Dockerfile" "${s}package.json"); done
  tar -cf - --exclude=__pycache__ "${paths[@]}"
) | tar -xf - -C "$pristine"

failures=()
cases=0
jobs_max=$(nproc 2>/dev/null || echo 2)
[[ $jobs_max -gt 4 ]] && jobs_max=4

check() { BUERGERSERVICE_CHECK_ROOT=$1 "$here/run-static-checks.sh" --only "$2"; }

echo "==> pristine copy: every check passes"
if ! check "$pristine" all >"$work/pristine.log" 2>&1; then
  cat "$work/pristine.log"
  echo "selftest: the unbroken copy does not pass; fix that first" >&2
  exit 1
fi
echo "    ok  (the tools are installed and warm now)"

# expect_failure NAME CHECKS EXPECTED-OUTPUT FILE PYTHON-EXPRESSION
# Copies the pristine tree, rewrites FILE with the Python expression (s is the
# file's text; the result must differ from it), runs the given checks and
# requires a non-zero exit and EXPECTED-OUTPUT (a fixed string) in the output.
# Cases run in parallel (one per core); results are reported in order.
expect_failure() {
  cases=$((cases + 1))
  local n=$cases
  while [[ $(jobs -rp | wc -l) -ge $jobs_max ]]; do wait -n || true; done
  run_case "$n" "$@" &
}

run_case() {
  local n=$1 name=$2 checks=$3 expected=$4 file=$5 edit=$6
  local dir=$work/case-$n result=$work/result-$n
  cp -a "$pristine" "$dir"
  if ! python3 - "$dir/$file" "$edit" <<'PY'
import sys
path, edit = sys.argv[1], sys.argv[2]
s = open(path, encoding="utf-8").read()
t = eval(edit, {"s": s})
if t == s:
    sys.exit(f"the edit changed nothing in {path}")
open(path, "w", encoding="utf-8").write(t)
PY
  then
    echo "FAIL $name (the breakage could not be applied)" >"$result"
    return
  fi
  local rc=0
  check "$dir" "$checks" >"$dir.log" 2>&1 || rc=$?
  if [[ $rc -eq 0 ]]; then
    { echo "FAIL $name: the checks passed on a broken copy"; sed 's/^/      /' "$dir.log"; } >"$result"
  elif ! grep -qF -- "$expected" "$dir.log"; then
    { echo "FAIL $name: failed, but without the expected message: $expected"; sed 's/^/      /' "$dir.log"; } >"$result"
  else
    printf 'ok   %-56s %s\n' "$name" "$(grep -F -m1 -- "$expected" "$dir.log" | sed 's/^ *//' | cut -c1-100)" >"$result"
  fi
  rm -rf "$dir"
}

echo "==> broken copies: each must fail"
d=k8s/base/services/vehicle/deployment.yaml
expect_failure "Deployment with an unknown field" k8s "('replica' was unexpected)" \
  "$d" 's.replace("  revisionHistoryLimit: 5\n", "  revisionHistoryLimit: 5\n  replica: 2\n")'
expect_failure "Deployment without read-only root filesystem" k8s "readOnlyRootFilesystem must be true" \
  "$d" 's.replace("readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false")'
expect_failure "container without memory limit" k8s "resources.limits.memory is missing" \
  "$d" 's.replace("              memory: 512Mi\n", "")'
expect_failure "Deployment reading an unknown secret" k8s "which nothing here produces" \
  "$d" 's.replace("name: mongodb-vehicle\n", "name: mongodb-vehicles\n")'
expect_failure "cert-manager Certificate with a wrong type" k8s "spec.duration: 2160 is not of type 'string'" \
  k8s/base/services/vehicle/certificate.yaml 's.replace("duration: 2160h", "duration: 2160")'
expect_failure "Strimzi KafkaTopic with a wrong type" k8s "is not of type 'integer'" \
  k8s/base/kafka/topics.yaml 's.replace("partitions: 6", "partitions: six", 1)'
expect_failure "MongoDBCommunity with an unknown field" k8s "('member' was unexpected)" \
  k8s/base/mongodb/mongodb.yaml 's.replace("  members: 3\n", "  members: 3\n  member: 3\n")'
expect_failure "autoscaler beyond the partition count" k8s "exceeds the 6 partitions" \
  k8s/base/services/document/hpa.yaml 's.replace("maxReplicas: 6", "maxReplicas: 8")'
expect_failure "a committed Secret" k8s "a Secret is rendered from the repository" \
  k8s/base/mongodb/mongodb.yaml 's + "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: leaked\nstringData:\n  password: hunter2\n"'
expect_failure "kustomization naming a missing file" k8s "kustomize build" \
  k8s/base/pki/kustomization.yaml 's.replace("  - issuers.yaml", "  - issuers.yaml\n  - missing.yaml")'
expect_failure "dashboard that is not JSON" grafana "not valid JSON" \
  infra/observability/grafana/dashboards/service-vehicle.json 's[: len(s) // 2]'
expect_failure "dashboard naming an unprovisioned datasource" grafana "datasource uid 'prometheus-old' is not provisioned" \
  infra/observability/grafana/dashboards/platform-overview.json 's.replace("\"uid\": \"prometheus\"", "\"uid\": \"prometheus-old\"", 3)'
expect_failure "dashboard with invalid PromQL" grafana "invalid PromQL" \
  infra/observability/grafana/dashboards/service-document.json 's.replace("sum by (topic, partition) (buergerservice_consumer_lag", "sum by (topic, partition (buergerservice_consumer_lag", 1)'
expect_failure "dashboard reading a metric nobody exports" grafana "is not a metric the platform exports" \
  infra/observability/grafana/dashboards/platform-overview.json 's.replace("buergerservice_outbox_backlog", "buergerservice_outbox_size", 1)'
expect_failure "runtime metric the telemetry package stops declaring" grafana "buergerservice_nodejs_heap_limit_bytes is not a metric the platform exports" \
  packages/telemetry/src/runtime-metrics.ts 's.replace("buergerservice_nodejs_heap_limit_bytes", "buergerservice_nodejs_heap_size_limit_bytes")'
expect_failure "dashboard edited by hand (drift from the generator)" grafana "out of date with generate-dashboards.py" \
  infra/observability/grafana/dashboards/traces.json 's.replace("\"refresh\": \"\"", "\"refresh\": \"5s\"")'
expect_failure "Tempo trace-to-logs pointing at a missing datasource" grafana "which is not provisioned" \
  infra/observability/grafana/provisioning/datasources/datasources.yaml 's.replace("      tracesToLogsV2:\n        datasourceUid: loki", "      tracesToLogsV2:\n        datasourceUid: elasticsearch")'
expect_failure "alert rule with invalid PromQL" prometheus "could not parse expression" \
  infra/observability/prometheus/rules/buergerservice.rules.yml 's.replace("> 3600", "> > 3600")'
expect_failure "alert rule that no longer does what its test says" prometheus "FAILED" \
  infra/observability/prometheus/rules/buergerservice.rules.yml 's.replace("> 3600", "> 36000")'
expect_failure "Collector pipeline with an undefined exporter" observability "exporter 'otlp/tempoo' is not defined" \
  infra/observability/otel-collector/collector.yaml 's.replace("exporters: [otlp/tempo]", "exporters: [otlp/tempoo]")'
expect_failure "Grafana datasource pointing at a missing service" observability "has no Service 'prometheus-server'" \
  infra/observability/grafana/provisioning/datasources/datasources.yaml 's.replace("http://prometheus:9090", "http://prometheus-server:9090")'
expect_failure "compose service depending on an undefined service" compose "depends on undefined service" \
  infra/compose/compose.yaml 's.replace("    kafka-init:\n      condition: service_completed_successfully", "    kafka-setup:\n      condition: service_completed_successfully", 1)'
expect_failure "compose file with an unknown key" compose "restrat" \
  infra/compose/compose.yaml 's.replace("  restart: unless-stopped\n", "  restrat: unless-stopped\n", 1)'
expect_failure "compose mounting a missing configuration file" compose "does not exist" \
  infra/compose/compose.yaml 's.replace("../observability/loki/loki.yaml:", "../observability/loki/loki.yml:")'
expect_failure "Dockerfile running as root" dockerfiles "sets no USER" \
  services/registration/Dockerfile 's.replace("USER 1000:1000\n", "")'
expect_failure "Dockerfile from another base image" dockerfiles "must default to node:20-bookworm-slim" \
  services/document/Dockerfile 's.replace("ARG NODE_IMAGE=node:20-bookworm-slim", "ARG NODE_IMAGE=node:20")'

wait
passed=0
for n in $(seq 1 "$cases"); do
  line=$(head -1 "$work/result-$n")
  if [[ $line == ok* ]]; then
    passed=$((passed + 1))
    echo "    $line"
  else
    cat "$work/result-$n"
    failures+=("${line#FAIL }")
  fi
done

echo "==> health probe of the service images (node --test)"
if node --test "$here/health-probe.test.js" >"$work/probe.log" 2>&1; then
  echo "    ok  $(grep -E '^# (tests|pass)' "$work/probe.log" | tr '\n' ' ')"
else
  cat "$work/probe.log"
  failures+=("health probe behaviour test")
fi

echo
if [[ ${#failures[@]} -gt 0 ]]; then
  printf 'selftest FAILED:\n'
  printf '  - %s\n' "${failures[@]}"
  exit 1
fi
echo "selftest passed: $passed broken copies rejected, pristine copy accepted, health probe verified ($((SECONDS - started)) s)"
