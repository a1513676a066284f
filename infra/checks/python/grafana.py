#!/usr/bin/env python3
"""Checks the Grafana provisioning and dashboards without a Grafana.

* datasources: unique names and uids, one default, every datasourceUid in
  their jsonData (service map, trace-to-logs, exemplars, ...) provisioned, no
  "$" that Grafana would expand from its environment by accident;
* dashboards: valid JSON without duplicate keys, unique uids and titles,
  unique panel ids, every datasource reference (panel, query, variable)
  resolving to a provisioned datasource of the same type or to a datasource
  variable, every $variable used defined;
* every Prometheus query of every panel is valid PromQL (`promtool check
  rules` on recording rules made from the queries), and every platform metric
  it reads (buergerservice_*) is one that the metrics sources declare
  (--metrics-source: packages/telemetry's metrics.ts and runtime-metrics.ts,
  packages/event-bus's metrics.ts, the portal gateway's gateway-metrics.ts),
  with labels that they or the scrape configuration set.

A metrics source declares a metric by its full Prometheus name as a quoted
string ('buergerservice_...', a counter with its _total) and its labels as the
keys of an attribute type (`type XAttributes = { mode: ...; ... }`) or of an
instrument's type argument (`createCounter<{ topic: string }>`).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterator

import yaml

from common import Report, load_yaml

BUILTIN_VARS = {
    "__rate_interval": "5m",
    "__interval": "1m",
    "__range": "1h",
    "__range_s": "3600",
    "__range_ms": "3600000",
    "__interval_ms": "60000",
    "__auto": "1m",
    "__dashboard": "x",
    "__from": "0",
    "__to": "0",
    "__org": "1",
    "__user": "x",
    "timeFilter": "x",
}
MIXED = "-- Mixed --"
VAR_RE = re.compile(r"\$(?:\{([A-Za-z0-9_]+)(?::[^}]*)?\}|([A-Za-z_][A-Za-z0-9_]*)|\[\[([A-Za-z0-9_]+)\]\])")
# Labels every scraped series has (scrape configuration) or that PromQL adds.
SCRAPE_LABELS = {"job", "instance", "service", "namespace", "pod", "le", "__name__"}


def no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    seen: dict = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"duplicate key {key!r}")
        seen[key] = value
    return seen


def walk(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    yield path, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from walk(v, f"{path}.{k}" if path else k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk(v, f"{path}[{i}]")


# --- datasources ------------------------------------------------------------------


def check_datasources(files: list[Path], report: Report) -> dict[str, dict]:
    by_uid: dict[str, dict] = {}
    names: set[str] = set()
    defaults = 0
    for f in files:
        raw = f.read_text(encoding="utf-8")
        # Grafana expands $VAR / ${VAR} from its environment; "$$" is a literal "$".
        for lineno, line in enumerate(raw.splitlines(), 1):
            if line.lstrip().startswith("#"):
                continue
            stripped = line.replace("$$", "")
            if re.search(r"\$(\{|[A-Za-z_])", stripped):
                report.error(f"{f}:{lineno}", "'$' would be expanded from Grafana's environment; write '$$' for a literal '$'")
        try:
            doc = load_yaml(f)
        except yaml.YAMLError as e:
            report.error(str(f), f"invalid YAML: {e}")
            continue
        if not isinstance(doc, dict) or doc.get("apiVersion") != 1:
            report.error(str(f), "datasource provisioning needs apiVersion: 1")
            continue
        for ds in doc.get("datasources") or []:
            where = f"{f} datasource {ds.get('name')!r}"
            for key in ("name", "uid", "type", "url"):
                if not ds.get(key):
                    report.error(where, f"{key} is missing")
            if ds.get("uid") in by_uid:
                report.error(where, f"uid {ds['uid']!r} is provisioned twice")
            if ds.get("name") in names:
                report.error(where, "name is provisioned twice")
            names.add(ds.get("name"))
            if ds.get("isDefault"):
                defaults += 1
            if ds.get("uid"):
                by_uid[ds["uid"]] = ds
    if defaults != 1:
        report.error("datasources", f"exactly one datasource must be the default, found {defaults}")
    for uid, ds in by_uid.items():
        for path, value in walk(ds.get("jsonData") or {}):
            if path.endswith("datasourceUid") and value not in by_uid:
                report.error(f"datasource {uid!r} jsonData.{path}", f"refers to datasource uid {value!r}, which is not provisioned")
    return by_uid


# --- dashboards ----------------------------------------------------------------


class Dashboard:
    def __init__(self, path: Path, data: dict) -> None:
        self.path = path
        self.data = data
        self.variables = {v.get("name"): v for v in (data.get("templating") or {}).get("list") or []}

    def panels(self) -> Iterator[dict]:
        def rec(panels):
            for p in panels or []:
                yield p
                yield from rec(p.get("panels"))

        yield from rec(self.data.get("panels"))


def resolve_ref(ref: Any, dash: Dashboard, datasources: dict[str, dict], where: str, report: Report) -> str | None:
    """Returns the datasource type a reference resolves to, or None after reporting why not."""
    if ref is None:
        return None
    if isinstance(ref, str):
        m = VAR_RE.fullmatch(ref)
        if m:
            return resolve_variable(m.group(1) or m.group(2) or m.group(3), dash, datasources, where, report)
        if ref == MIXED:
            return MIXED
        for ds in datasources.values():
            if ds["name"] == ref:
                return ds["type"]
        report.error(where, f"datasource {ref!r} is not provisioned")
        return None
    if isinstance(ref, dict):
        uid, typ = ref.get("uid"), ref.get("type")
        if uid in (MIXED, "-- Grafana --", "grafana") or typ == "datasource":
            return typ or uid
        if isinstance(uid, str) and VAR_RE.fullmatch(uid):
            m = VAR_RE.fullmatch(uid)
            resolved = resolve_variable(m.group(1) or m.group(2) or m.group(3), dash, datasources, where, report)
            if resolved and typ and typ != resolved:
                report.error(where, f"datasource type {typ!r} differs from variable's type {resolved!r}")
            return resolved
        ds = datasources.get(uid)
        if ds is None:
            report.error(where, f"datasource uid {uid!r} is not provisioned (provisioned: {', '.join(sorted(datasources))})")
            return None
        if typ and typ != ds["type"]:
            report.error(where, f"datasource {uid!r} is of type {ds['type']!r}, the reference says {typ!r}")
        return ds["type"]
    report.error(where, f"datasource reference of unexpected shape: {ref!r}")
    return None


def resolve_variable(name: str, dash: Dashboard, datasources: dict[str, dict], where: str, report: Report) -> str | None:
    var = dash.variables.get(name)
    if var is None or var.get("type") != "datasource":
        report.error(where, f"datasource variable ${name} is not defined as a datasource variable")
        return None
    plugin = var.get("query")
    if not any(ds["type"] == plugin for ds in datasources.values()):
        report.error(where, f"datasource variable ${name} selects type {plugin!r}, of which none is provisioned")
        return None
    return plugin


def used_variables(text: str) -> set[str]:
    return {m.group(1) or m.group(2) or m.group(3) for m in VAR_RE.finditer(text)}


def substitute(expr: str, dash: Dashboard) -> str:
    def repl(m: re.Match) -> str:
        name = m.group(1) or m.group(2) or m.group(3)
        if name in BUILTIN_VARS:
            return BUILTIN_VARS[name]
        var = dash.variables.get(name) or {}
        current = (var.get("current") or {}).get("value")
        if isinstance(current, list):
            current = current[0] if current else ""
        return str(current) if current not in (None, "") else "x"

    return VAR_RE.sub(repl, expr)


def check_dashboards(
    files: list[Path], datasources: dict[str, dict], report: Report
) -> tuple[list[tuple[str, str, str]], int]:
    """Returns the Prometheus queries (where, original, substituted) and the panel count."""
    uids: dict[str, Path] = {}
    titles: dict[str, Path] = {}
    queries: list[tuple[str, str, str]] = []
    panel_count = 0
    for f in files:
        try:
            data = json.loads(f.read_text(encoding="utf-8"), object_pairs_hook=no_duplicate_keys)
        except (ValueError, json.JSONDecodeError) as e:
            report.error(str(f), f"not valid JSON: {e}")
            continue
        if not isinstance(data, dict):
            report.error(str(f), "a dashboard is a JSON object")
            continue
        dash = Dashboard(f, data)
        for key in ("uid", "title", "panels", "schemaVersion"):
            if key not in data:
                report.error(str(f), f"{key} is missing")
        uid = data.get("uid", "")
        if not isinstance(uid, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", uid):
            report.error(str(f), f"uid {uid!r} must be 1-40 characters of letters, digits, '-' and '_'")
        if uid in uids:
            report.error(str(f), f"uid {uid!r} is also used by {uids[uid]}")
        uids[uid] = f
        if data.get("title") in titles:
            report.error(str(f), f"title {data.get('title')!r} is also used by {titles[data.get('title')]}")
        titles[data.get("title")] = f
        if data.get("id") not in (None,):
            report.error(str(f), "a provisioned dashboard must not carry a database id")
        for name, var in dash.variables.items():
            where = f"{f.name} variable ${name}"
            if var.get("type") == "query":
                resolve_ref(var.get("datasource"), dash, datasources, where, report)
        ids: set[int] = set()
        for p in dash.panels():
            panel_count += 1
            where = f"{f.name} panel {p.get('id')} {p.get('title')!r}"
            if p.get("id") in ids:
                report.error(where, "panel id is used twice")
            ids.add(p.get("id"))
            if "gridPos" not in p:
                report.error(where, "gridPos is missing")
            if p.get("type") in ("row", "text"):
                continue
            panel_type = resolve_ref(p.get("datasource"), dash, datasources, f"{where} datasource", report)
            targets = p.get("targets") or []
            if not targets:
                report.error(where, "panel has no queries")
            for t in targets:
                twhere = f"{where} query {t.get('refId')}"
                ttype = resolve_ref(t.get("datasource", p.get("datasource")), dash, datasources, twhere, report) or panel_type
                if panel_type and panel_type != MIXED and ttype and ttype != panel_type:
                    report.error(twhere, f"query datasource type {ttype!r} differs from the panel's {panel_type!r}")
                text = " ".join(str(t.get(k, "")) for k in ("expr", "query"))
                for name in used_variables(text):
                    if name not in BUILTIN_VARS and name not in dash.variables:
                        report.error(twhere, f"uses ${name}, which is not a variable of the dashboard")
                if ttype == "prometheus":
                    expr = t.get("expr")
                    if not expr:
                        report.error(twhere, "Prometheus query without expr")
                    else:
                        queries.append((twhere, expr, substitute(expr, dash)))
                elif ttype == "loki" and not t.get("expr"):
                    report.error(twhere, "Loki query without expr")
                elif ttype == "tempo" and t.get("queryType") == "traceql" and not t.get("query"):
                    report.error(twhere, "TraceQL query without query")
    return queries, panel_count


# --- PromQL ----------------------------------------------------------------------


def check_promql(queries: list[tuple[str, str, str]], promtool: str, report: Report) -> None:
    """Validates each query with promtool as a recording rule; one group per query so errors map back."""
    if not queries:
        return
    groups = []
    for i, (_, _, expr) in enumerate(queries):
        groups.append({"name": f"q{i}", "rules": [{"record": f"dashboard:query:q{i}", "expr": expr}]})
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as tmp:
        yaml.safe_dump({"groups": groups}, tmp, sort_keys=False)
        path = tmp.name
    try:
        result = subprocess.run([promtool, "check", "rules", path], capture_output=True, text=True)
    finally:
        Path(path).unlink()
    if result.returncode == 0:
        return
    output = result.stdout + result.stderr
    mapped = False
    for line in output.splitlines():
        m = re.search(r'group "q(\d+)"', line)
        if m:
            where, original, _ = queries[int(m.group(1))]
            report.error(where, f"invalid PromQL: {line.strip()}\n      expr: {original}")
            mapped = True
    if not mapped:
        report.error("dashboards", f"promtool rejected the dashboard queries:\n{output}")


METRIC_RE = re.compile(r"\b(buergerservice_[a-z0-9_]+)\b")


def exported_metrics(source: Path) -> tuple[set[str], set[str]]:
    """Metric names and attribute keys a metrics.ts declares."""
    text = source.read_text(encoding="utf-8")
    names = set(re.findall(r"['\"](buergerservice_[a-z0-9_]+)['\"]", text))
    labels: set[str] = set()
    # Attribute types: `type XAttributes = { topic: string; ... }` and instrument generics `<{ topic: string }>`.
    # Also matched with `XAttributes = {` directly before the braces.
    for block in re.findall(r"(?:Attributes\s*=\s*|<)\{([^{}]*)\}", text):
        labels.update(re.findall(r"\b([a-z][a-z0-9_]*)\??\s*:", block))
    return names, labels


def check_metric_names(
    sources: list[tuple[str, str]], exported: set[str], labels: set[str], pending: set[str], report: Report
) -> None:
    for where, expr in sources:
        waiting = False
        for name in set(METRIC_RE.findall(expr)):
            base = re.sub(r"_(bucket|sum|count)$", "", name)
            if name in exported or (base in exported and not base.endswith("_total")):
                continue
            if name in pending or base in pending:
                report.warn(where, f"{name} is not exported yet (listed as pending in run-static-checks.sh)")
                waiting = True
                continue
            report.error(where, f"{name} is not a metric the platform exports ({', '.join(sorted(exported))})")
        # Labels are checked on expressions over exported platform metrics only.
        if waiting or not METRIC_RE.search(expr) or re.search(r"\b(traces_|http_|up\b)", expr):
            continue
        used: set[str] = set()
        for group in re.findall(r"\b(?:by|without)\s*\(([^)]*)\)", expr):
            used.update(x.strip() for x in group.split(",") if x.strip())
        for matchers in re.findall(r"\{([^}]*)\}", expr):
            used.update(re.findall(r"([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)", matchers))
        for label in sorted(used - labels - SCRAPE_LABELS):
            report.error(where, f"label {label!r} is neither an attribute of the platform's metrics nor a scrape label")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasources", type=Path, required=True, help="provisioning/datasources directory")
    parser.add_argument("--dashboards", type=Path, required=True, help="directory of dashboard JSON files")
    parser.add_argument("--promtool", required=True)
    parser.add_argument(
        "--metrics-source", type=Path, action="append", required=True, help="a metrics.ts declaring buergerservice_* metrics (repeatable)"
    )
    parser.add_argument("--rules", type=Path, action="append", default=[], help="Prometheus rule files to check metric names in")
    parser.add_argument("--pending-metric", action="append", default=[], help="metric the telemetry package will export (warning only)")
    args = parser.parse_args()

    report = Report("grafana")
    ds_files = sorted(args.datasources.glob("*.y*ml"))
    if not ds_files:
        report.error(str(args.datasources), "no datasource provisioning files")
    datasources = check_datasources(ds_files, report)
    dash_files = sorted(args.dashboards.glob("*.json"))
    if not dash_files:
        report.error(str(args.dashboards), "no dashboards")
    queries, panels = check_dashboards(dash_files, datasources, report)
    check_promql(queries, args.promtool, report)

    exported: set[str] = set()
    labels: set[str] = set()
    for source in args.metrics_source:
        names, attrs = exported_metrics(source)
        if not names:
            report.error(str(source), "no buergerservice_* metric names found")
        exported |= names
        labels |= attrs
    sources = [(where, original) for where, original, _ in queries]
    for rules in args.rules:
        for group in (load_yaml(rules) or {}).get("groups", []):
            for rule in group.get("rules", []):
                sources.append((f"{rules.name} {rule.get('alert') or rule.get('record')}", str(rule.get("expr", ""))))
    check_metric_names(sources, exported, labels, set(args.pending_metric), report)
    return report.finish(
        f"{len(datasources)} datasources, {len(dash_files)} dashboards, {panels} panels, {len(queries)} PromQL queries valid; "
        f"{len(exported)} platform metrics known"
    )


if __name__ == "__main__":
    sys.exit(main())
