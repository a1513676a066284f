#!/usr/bin/env bash
# `npm run bench` (root) / `npm run bench -w @buergerservice/benchmark`:
# prepares the container engine and the infrastructure images, makes sure the
# benchmark and the services are built, then runs the benchmark.
#
#   npm run bench                          full profile: 100,000 persons, 60,000 vehicles
#   BENCH_PROFILE=ci npm run bench         small and short (CI, inside `npm test`)
#   BENCH_SCOPE=baselines npm run bench    only the raw Kafka/gRPC/MongoDB baselines
#   BENCH_SKIP_BUILD=1 ...                 use dist/ as it is (CI builds before)
#
# Exit status: 0 unless the platform failed (lost bundles, a crashed service);
# 2 when the benchmark itself could not run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

eval "$("$root/infra/engine/ensure-engine.sh")"
"$root/infra/images/build-images.sh" >&2

if [[ "${BENCH_SKIP_BUILD:-}" != "1" ]]; then
  # Turbo builds what the benchmark and the five services need, from its cache when nothing changed.
  npx turbo run build --filter=@buergerservice/benchmark --filter='./services/*' --output-logs=errors-only >&2
fi

exec node --enable-source-maps "$here/dist/run.js"
