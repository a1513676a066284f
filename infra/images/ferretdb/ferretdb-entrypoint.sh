#!/bin/sh
# FerretDB's SQLite handler requires the data directory to exist: create it, then run.
# Ready when the log shows "Listening on TCP".
set -eu
dir="${FERRETDB_SQLITE_URL#file:}"
dir="${dir%%\?*}"
case "$dir" in /*) mkdir -p "$dir" ;; esac
# --telemetry=disable: never contact beacon.ferretdb.com (no network beyond loopback/containers)
exec /usr/local/bin/ferretdb --telemetry=disable "$@"
