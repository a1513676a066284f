#!/usr/bin/env python3
"""Generates the provisioned Grafana dashboards (dashboards/*.json).

Dashboards are code: five per-service dashboards share most of their panels,
and hand-edited JSON exported from the UI drifts (ids, datasource names,
schema versions). Edit this file, run it, commit both:

    python3 infra/observability/grafana/generate-dashboards.py          # write
    python3 infra/observability/grafana/generate-dashboards.py --check  # fail on drift (CI)

Standard library only. Metric names are the Prometheus names exported by
packages/telemetry (metrics.ts, runtime-metrics.ts), packages/event-bus (metrics.ts), the portal
gateway (gateway-metrics.ts), by the OpenTelemetry HTTP instrumentation
(http_server_request_duration, seconds) and by Tempo's metrics generator
(traces_spanmetrics_*, traces_service_graph_*). infra/checks verifies every
metric used here against that list and every expression with promtool.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "dashboards"

PROM = {"type": "prometheus", "uid": "prometheus"}
TEMPO = {"type": "tempo", "uid": "tempo"}
LOKI = {"type": "loki", "uid": "loki"}

TAGS = ["buergerservice"]
RATE = "$__rate_interval"

# gRPC server spans of one or all services, from Tempo's span metrics.
GRPC_SERVER = 'span_kind="SPAN_KIND_SERVER", rpc_system="grpc"'

SERVICES = {
    # name: (title, gRPC server, consumer group, producer with an outbox)
    "registration": ("Registration office (Meldebehörde)", True, False, True),
    "vehicle": ("Vehicle registration (Kfz-Zulassung)", True, True, True),
    "appointment": ("Appointments (Bürgerbüros, Bürgerkoffer)", True, True, True),
    "document": ("Documents", True, True, True),
    "portal-gateway": ("Portal gateway", False, True, False),
}


class Board:
    """Lays panels out on Grafana's 24-column grid, row by row."""

    def __init__(self) -> None:
        self.panels: list[dict] = []
        self.y = 0
        self.x = 0
        self.row_height = 0
        self.next_id = 1

    def row(self, title: str) -> None:
        self._newline()
        self.panels.append(
            {
                "type": "row",
                "id": self._id(),
                "title": title,
                "collapsed": False,
                "gridPos": {"h": 1, "w": 24, "x": 0, "y": self.y},
                "panels": [],
            }
        )
        self.y += 1

    def add(self, panel: dict, w: int = 12, h: int = 8) -> None:
        if self.x + w > 24:
            self._newline()
        panel["id"] = self._id()
        panel["gridPos"] = {"h": h, "w": w, "x": self.x, "y": self.y}
        self.panels.append(panel)
        self.x += w
        self.row_height = max(self.row_height, h)

    def _newline(self) -> None:
        if self.x > 0:
            self.y += self.row_height
        self.x = 0
        self.row_height = 0

    def _id(self) -> int:
        self.next_id += 1
        return self.next_id - 1


def prom(expr: str, legend: str = "__auto", ref: str = "A", instant: bool = False) -> dict:
    target = {"datasource": PROM, "refId": ref, "expr": expr, "legendFormat": legend, "range": not instant}
    if instant:
        target["instant"] = True
    return target


def timeseries(title: str, targets: list[dict], unit: str = "short", description: str = "", **opts) -> dict:
    thresholds = opts.get("thresholds")
    panel = {
        "type": "timeseries",
        "title": title,
        "description": description,
        "datasource": PROM,
        "targets": _refs(targets),
        "fieldConfig": {
            "defaults": {
                "unit": unit,
                "min": 0,
                "custom": {"drawStyle": "line", "lineWidth": 1, "fillOpacity": 10, "showPoints": "never"},
                "thresholds": _thresholds(thresholds),
            },
            "overrides": [],
        },
        "options": {
            "legend": {"displayMode": "table", "placement": "bottom", "calcs": ["lastNotNull", "max"]},
            "tooltip": {"mode": "multi", "sort": "desc"},
        },
    }
    if thresholds:
        panel["fieldConfig"]["defaults"]["custom"]["thresholdsStyle"] = {"mode": "line"}
    if "soft_max" in opts:
        # Keeps a target line in view while the values are well below it.
        panel["fieldConfig"]["defaults"]["custom"]["axisSoftMax"] = opts["soft_max"]
    return panel


def stat(title: str, target: dict, unit: str = "short", description: str = "", thresholds=None) -> dict:
    return {
        "type": "stat",
        "title": title,
        "description": description,
        "datasource": PROM,
        "targets": _refs([target]),
        "fieldConfig": {"defaults": {"unit": unit, "thresholds": _thresholds(thresholds)}, "overrides": []},
        "options": {
            "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
            "colorMode": "background",
            "graphMode": "area",
            "textMode": "auto",
        },
    }


def table(title: str, target: dict, description: str = "") -> dict:
    return {
        "type": "table",
        "title": title,
        "description": description,
        "datasource": PROM,
        "targets": _refs([{**target, "format": "table"}]),
        "fieldConfig": {"defaults": {}, "overrides": []},
        "options": {"showHeader": True},
        "transformations": [{"id": "organize", "options": {"excludeByName": {"Time": True}}}],
    }


def logs(title: str, expr: str, description: str = "") -> dict:
    return {
        "type": "logs",
        "title": title,
        "description": description,
        "datasource": LOKI,
        "targets": [{"datasource": LOKI, "refId": "A", "expr": expr, "queryType": "range"}],
        "options": {"showTime": True, "wrapLogMessage": True, "sortOrder": "Descending", "enableLogDetails": True},
    }


def traceql(title: str, query: str, description: str = "", limit: int = 20) -> dict:
    return {
        "type": "table",
        "title": title,
        "description": description,
        "datasource": TEMPO,
        "targets": [
            {
                "datasource": TEMPO,
                "refId": "A",
                "queryType": "traceql",
                "query": query,
                "limit": limit,
                "tableType": "traces",
            }
        ],
        "fieldConfig": {"defaults": {}, "overrides": []},
        "options": {"showHeader": True},
    }


def service_graph(title: str, description: str = "") -> dict:
    return {
        "type": "nodeGraph",
        "title": title,
        "description": description,
        "datasource": TEMPO,
        "targets": [{"datasource": TEMPO, "refId": "A", "queryType": "serviceMap"}],
        "options": {},
    }


def text(title: str, content: str) -> dict:
    return {"type": "text", "title": title, "options": {"mode": "markdown", "content": content}}


def _refs(targets: list[dict]) -> list[dict]:
    for i, t in enumerate(targets):
        t["refId"] = chr(ord("A") + i)
    return targets


def _thresholds(steps) -> dict:
    base = [{"color": "green", "value": None}]
    for value, color in steps or []:
        base.append({"color": color, "value": value})
    return {"mode": "absolute", "steps": base}


def dashboard(uid: str, title: str, description: str, board: Board, templating=None, refresh="30s") -> dict:
    return {
        "uid": uid,
        "title": title,
        "description": description,
        "tags": TAGS,
        "editable": False,
        "graphTooltip": 1,
        "timezone": "browser",
        "schemaVersion": 39,
        "version": 1,
        "refresh": refresh,
        "time": {"from": "now-6h", "to": "now"},
        "timepicker": {},
        "templating": {"list": templating or []},
        "annotations": {"list": []},
        "links": [
            {
                "type": "dashboards",
                "title": "Bürgerservice",
                "tags": TAGS,
                "asDropdown": True,
                "includeVars": False,
                "keepTime": True,
            }
        ],
        "panels": board.panels,
    }


# --- panels shared by the overview and the service dashboards ---------------


def grpc_panels(b: Board, sel: str, by: str) -> None:
    legend = "{{" + by + "}}"
    b.add(
        timeseries(
            "gRPC requests",
            [prom(f"sum by ({by}) (rate(traces_spanmetrics_calls_total{{{sel}}}[{RATE}]))", legend)],
            "reqps",
            "Server calls per second (Tempo span metrics of the gRPC server spans).",
        ),
        w=8,
    )
    b.add(
        timeseries(
            "gRPC error ratio",
            [
                prom(
                    f'sum by ({by}) (rate(traces_spanmetrics_calls_total{{{sel}, status_code="STATUS_CODE_ERROR"}}[{RATE}]))'
                    f" / sum by ({by}) (rate(traces_spanmetrics_calls_total{{{sel}}}[{RATE}]))",
                    legend,
                )
            ],
            "percentunit",
            "Share of server calls that ended with a non-OK status.",
            thresholds=[(0.01, "orange"), (0.05, "red")],
        ),
        w=8,
    )
    b.add(
        timeseries(
            "gRPC latency p99",
            [
                prom(
                    f"histogram_quantile(0.99, sum by (le, {by}) (rate(traces_spanmetrics_latency_bucket{{{sel}}}[{RATE}])))",
                    legend,
                )
            ],
            "s",
            "99th percentile of server call duration.",
        ),
        w=8,
    )


def http_panels(b: Board, sel: str) -> None:
    b.add(
        timeseries(
            "HTTP requests by status",
            [
                prom(
                    f"sum by (http_response_status_code) (rate(http_server_request_duration_count{{{sel}}}[{RATE}]))",
                    "{{http_response_status_code}}",
                )
            ],
            "reqps",
            "Requests per second at the portal gateway (OpenTelemetry HTTP instrumentation).",
        ),
        w=8,
    )
    b.add(
        timeseries(
            "HTTP 5xx ratio",
            [
                prom(
                    f'sum(rate(http_server_request_duration_count{{{sel}, http_response_status_code=~"5.."}}[{RATE}]))'
                    f" / sum(rate(http_server_request_duration_count{{{sel}}}[{RATE}]))",
                    "5xx",
                )
            ],
            "percentunit",
            thresholds=[(0.01, "orange"), (0.05, "red")],
        ),
        w=8,
    )
    b.add(
        timeseries(
            "HTTP latency p99 by route",
            [
                prom(
                    f"histogram_quantile(0.99, sum by (le, http_route) (rate(http_server_request_duration_bucket{{{sel}}}[{RATE}])))",
                    "{{http_route}}",
                )
            ],
            "s",
        ),
        w=8,
    )


def bundle_panels(b: Board) -> None:
    b.add(
        timeseries(
            "Bundles submitted per minute",
            [prom(f"sum by (outcome) (rate(buergerservice_bundles_submitted_total[{RATE}])) * 60", "{{outcome}}")],
            "short",
            "Change-of-address bundles received by the portal gateway, by outcome (accepted / rejected).",
        ),
        w=8,
    )
    b.add(
        timeseries(
            "Bundles completed per minute",
            [prom(f"sum by (outcome) (rate(buergerservice_bundles_completed_total[{RATE}])) * 60", "{{outcome}}")],
            "short",
            "Bundles whose every step reached a final state, by outcome.",
        ),
        w=8,
    )
    b.add(
        timeseries(
            "Time to completion",
            [
                prom(
                    f"histogram_quantile({q}, sum by (le) (rate(buergerservice_bundle_completion_duration_seconds_bucket[{RATE}])))",
                    f"p{int(q * 100)}",
                )
                for q in (0.5, 0.9, 0.99)
            ],
            "s",
            "Seconds from submitting a bundle until every authority's step is final. Alert: p99 over 5 minutes.",
            thresholds=[(300, "red")],
        ),
        w=8,
    )
    b.add(
        timeseries(
            "Time to completion p90 per authority",
            [
                prom(
                    "histogram_quantile(0.9, sum by (le, authority) "
                    f"(rate(buergerservice_bundle_step_duration_seconds_bucket[{RATE}])))",
                    "{{authority}}",
                )
            ],
            "s",
            "Seconds from submitting a bundle until one authority's step is final, per authority.",
        ),
        w=24,
    )


def lag_panels(b: Board, sel: str, by: str) -> None:
    legend = " / ".join("{{" + label + "}}" for label in by.split(", "))
    b.add(
        timeseries(
            "Consumer lag",
            [prom(f"sum by ({by}) (buergerservice_consumer_lag{sel})", legend)],
            "short",
            "Messages a consumer group is behind the end of the topic. Alert: rising for 15 minutes.",
        ),
        w=12,
    )
    b.add(
        timeseries(
            "Events consumed by outcome",
            [
                prom(
                    f"sum by (consumer_group, outcome) (rate(buergerservice_events_consumed_total{sel}[{RATE}]))",
                    "{{consumer_group}} {{outcome}}",
                ),
                prom(
                    f"sum by (consumer_group) (rate(buergerservice_events_skipped_total{sel}[{RATE}]))",
                    "{{consumer_group}} skipped",
                ),
            ],
            "ops",
            "success / duplicate (redelivery, no effect) / retry / dead_lettered, and events of types the group "
            "has no handler for (skipped).",
        ),
        w=12,
    )


def outbox_panels(b: Board, sel: str) -> None:
    b.add(
        timeseries(
            "Outbox backlog",
            [prom(f"sum by (service, outbox) (buergerservice_outbox_backlog{sel})", "{{service}} {{outbox}}")],
            "short",
            "Outbox entries not yet published to Kafka.",
        ),
        w=12,
    )
    b.add(
        timeseries(
            "Oldest pending outbox entry",
            [
                prom(
                    f"max by (service, outbox) (buergerservice_outbox_oldest_pending_age_seconds{sel})",
                    "{{service}} {{outbox}}",
                )
            ],
            "s",
            "Age of the oldest unpublished outbox entry. Alert: over one hour.",
            thresholds=[(60, "orange"), (3600, "red")],
        ),
        w=12,
    )


# Targets of every service process (packages/benchmark measures RSS against the
# same 250 MiB); the limits are in k8s/base/services/*/deployment.yaml.
RSS_TARGET_BYTES = 250 * 1024 * 1024


def runtime_panels(b: Board, sel: str) -> None:
    """One line per process (instance): memory, heap, event loop and CPU are per process, not per service."""
    b.add(
        timeseries(
            "Resident memory (RSS)",
            [
                prom(f"max by (instance) (buergerservice_process_resident_memory_bytes{{{sel}}})", "{{instance}}"),
                prom(f"min(buergerservice_process_memory_limit_bytes{{{sel}}})", "memory limit"),
            ],
            "bytes",
            "Physical memory of each process. Target: at most 250 MiB under load (orange line). "
            "The memory limit is the container's (cgroup) limit; there is none outside a container. "
            "Alerts: over the target for 10 minutes; over 90 % of the limit for 5 minutes.",
            thresholds=[(RSS_TARGET_BYTES, "orange")],
            soft_max=300 * 1024 * 1024,
        ),
        w=12,
    )
    b.add(
        timeseries(
            "V8 heap used vs limit",
            [
                prom(f"max by (instance) (buergerservice_nodejs_heap_used_bytes{{{sel}}})", "{{instance}} used"),
                prom(f"min(buergerservice_nodejs_heap_limit_bytes{{{sel}}})", "heap limit"),
            ],
            "bytes",
            "JavaScript heap in use, and the size it may grow to (--max-old-space-size plus the young generation) "
            "before the process fails with 'heap out of memory'. Alert: over 90 % of the limit for 5 minutes.",
        ),
        w=12,
    )
    b.add(
        timeseries(
            "Event-loop delay",
            [
                prom(
                    f"max by (instance) (max_over_time(buergerservice_nodejs_eventloop_delay_p99_seconds{{{sel}}}[{RATE}]))",
                    "{{instance}} p99",
                ),
                prom(
                    f"max by (instance) (max_over_time(buergerservice_nodejs_eventloop_delay_max_seconds{{{sel}}}[{RATE}]))",
                    "{{instance}} max",
                ),
            ],
            "s",
            "How late the event loop runs what is ready: p99 and longest delay of each scrape interval (the worst "
            "interval in each point of the graph). Long delays are synchronous work or GC pauses; every request "
            "and event of the process waits that long.",
            thresholds=[(0.1, "orange"), (1, "red")],
        ),
        w=12,
    )
    b.add(
        timeseries(
            "CPU",
            [
                prom(
                    f"sum by (instance) (rate(buergerservice_process_cpu_seconds_total{{{sel}}}[{RATE}]))",
                    "{{instance}}",
                )
            ],
            "percentunit",
            "CPU time per second of each process, user and system: 100 % is one core (the container limit).",
            thresholds=[(1, "red")],
        ),
        w=12,
    )


def dead_letter_panels(b: Board, sel: str) -> None:
    b.add(
        stat(
            "Dead letters in the time range",
            prom(f"sum(increase(buergerservice_dead_letters_total{sel}[$__range]))", "dead letters", instant=True),
            "short",
            "Events moved to a dead-letter topic. Inspect and replay them with buergerservice-dlq "
            "(infra/observability/README.md).",
            thresholds=[(1, "red")],
        ),
        w=6,
    )
    b.add(
        table(
            "Dead letters by group and event type",
            prom(
                "sum by (consumer_group, topic, event_type) "
                f"(increase(buergerservice_dead_letters_total{sel}[$__range])) > 0",
                instant=True,
            ),
            "Dead-letter topic: <consumer_group>.dlq.",
        ),
        w=18,
    )


# --- dashboards --------------------------------------------------------------


def overview() -> dict:
    b = Board()
    b.row("Citizen requests")
    bundle_panels(b)
    b.row("Events and consumers")
    lag_panels(b, "", "consumer_group, topic")
    b.add(
        timeseries(
            "Events published",
            [prom(f"sum by (topic) (rate(buergerservice_events_published_total[{RATE}]))", "{{topic}}")],
            "ops",
            "Events the outbox relays handed to Kafka, per topic.",
        ),
        w=12,
    )
    b.add(
        timeseries(
            "Event handler duration p99",
            [
                prom(
                    "histogram_quantile(0.99, sum by (le, consumer_group) "
                    f"(rate(buergerservice_event_handler_duration_seconds_bucket[{RATE}])))",
                    "{{consumer_group}}",
                )
            ],
            "s",
        ),
        w=12,
    )
    b.row("Outbox")
    outbox_panels(b, "")
    b.row("Dead letters")
    dead_letter_panels(b, "")
    b.row("gRPC")
    grpc_panels(b, GRPC_SERVER, "service")
    b.row("HTTP (portal gateway)")
    http_panels(b, 'service="portal-gateway"')
    b.row("Runtime (largest process of each service)")
    b.add(
        timeseries(
            "Resident memory (RSS)",
            [prom("max by (service) (buergerservice_process_resident_memory_bytes)", "{{service}}")],
            "bytes",
            "Largest resident memory among each service's processes. Target: at most 250 MiB under load.",
            thresholds=[(RSS_TARGET_BYTES, "orange")],
            soft_max=300 * 1024 * 1024,
        ),
        w=8,
    )
    b.add(
        timeseries(
            "Event-loop delay p99",
            [
                prom(
                    "max by (service) (max_over_time("
                    f"buergerservice_nodejs_eventloop_delay_p99_seconds[{RATE}]))",
                    "{{service}}",
                )
            ],
            "s",
            "Worst p99 event-loop delay among each service's processes.",
            thresholds=[(0.1, "orange"), (1, "red")],
        ),
        w=8,
    )
    b.add(
        timeseries(
            "CPU",
            [
                prom(
                    f"sum by (service) (rate(buergerservice_process_cpu_seconds_total[{RATE}]))",
                    "{{service}}",
                )
            ],
            "percentunit",
            "CPU time per second of all processes of each service: 100 % is one core.",
        ),
        w=8,
    )
    return dashboard(
        "buergerservice-overview",
        "Bürgerservice – platform overview",
        "Citizen bundles, event flow, outboxes, dead letters, gRPC and HTTP health of the whole platform.",
        b,
    )


def service(name: str) -> dict:
    title, grpc, consumer, producer = SERVICES[name]
    sel = f'service="{name}"'
    b = Board()
    b.row("Health")
    b.add(
        stat(
            "Instances scraped",
            prom(f'sum(up{{job="buergerservice", {sel}}})', "up", instant=True),
            description="Pods (or containers) whose metrics endpoint answers.",
        ),
        w=6,
        h=5,
    )
    b.add(
        text(
            "About",
            f"**{title}** — traces: *Bürgerservice – traces* (filter service.name = `{name}`), "
            f"logs below, runbooks in `infra/observability/README.md`.",
        ),
        w=18,
        h=5,
    )
    if grpc:
        b.row("gRPC server")
        grpc_panels(b, f"{GRPC_SERVER}, {sel}", "span_name")
        b.add(
            timeseries(
                "gRPC errors by status code",
                [
                    prom(
                        f'sum by (rpc_grpc_status_code) (rate(traces_spanmetrics_calls_total{{{GRPC_SERVER}, {sel}, status_code="STATUS_CODE_ERROR"}}[{RATE}]))',
                        "{{rpc_grpc_status_code}}",
                    )
                ],
                "reqps",
                "3 INVALID_ARGUMENT, 5 NOT_FOUND, 7 PERMISSION_DENIED, 9 FAILED_PRECONDITION, 13 INTERNAL, 14 UNAVAILABLE.",
            ),
            w=24,
        )
    else:
        b.row("HTTP")
        http_panels(b, sel)
        b.row("Citizen requests")
        bundle_panels(b)
    if producer:
        b.row("Events published (outbox)")
        b.add(
            timeseries(
                "Events published by type",
                [
                    prom(
                        f"sum by (event_type) (rate(buergerservice_events_published_total{{{sel}}}[{RATE}]))",
                        "{{event_type}}",
                    )
                ],
                "ops",
            ),
            w=24,
        )
        outbox_panels(b, "{" + sel + "}")
    if consumer:
        group_sel = "{" + f'consumer_group="{name}"' + "}"
        b.row(f'Events consumed (group "{name}")')
        lag_panels(b, group_sel, "topic, partition")
        b.add(
            timeseries(
                "Handler duration p99 by event type",
                [
                    prom(
                        "histogram_quantile(0.99, sum by (le, event_type) "
                        f"(rate(buergerservice_event_handler_duration_seconds_bucket{group_sel}[{RATE}])))",
                        "{{event_type}}",
                    )
                ],
                "s",
            ),
            w=24,
        )
        dead_letter_panels(b, group_sel)
    b.row("Runtime")
    runtime_panels(b, sel)
    b.row("Logs")
    b.add(
        logs(
            f"Logs of {name}",
            f'{{service_name="{name}"}} |= "$search"',
            "JSON lines with trace_id: open a line's details to jump to its trace.",
        ),
        w=24,
        h=12,
    )
    search = {
        "type": "textbox",
        "name": "search",
        "label": "Log text",
        "query": "",
        "current": {"text": "", "value": ""},
        "hide": 0,
    }
    return dashboard(f"buergerservice-{name}", f"Bürgerservice – {name}", title, b, templating=[search])


def traces() -> dict:
    b = Board()
    b.row("One citizen's request")
    b.add(
        text(
            "How to use",
            "Enter the **bundle id** (shown to the citizen and in the portal's request tracker) above. "
            "Every span of the request carries it as `buergerservice.correlation_id`, from the portal's HTTP "
            "call through gRPC and Kafka to every authority's consumer. Click a trace id to open the trace; "
            "from a span, *Logs for this span* shows its log lines.",
        ),
        w=24,
        h=4,
    )
    b.add(
        traceql(
            "Traces of the bundle",
            '{ span.buergerservice.correlation_id = "$bundle_id" }',
            "Every trace with a span of this bundle: the submission, and the reactions of each authority.",
        ),
        w=24,
        h=10,
    )
    b.add(
        logs(
            "Log lines of a trace",
            '{service_namespace="buergerservice"} | trace_id="$trace_id"',
            "Enter a trace id above (copy it from the table).",
        ),
        w=24,
        h=10,
    )
    b.row("Platform")
    b.add(service_graph("Service graph", "Calls between the services, from Tempo's service-graph metrics."), w=24, h=12)
    b.add(traceql("Recent failed requests", "{ status = error }"), w=12, h=10)
    b.add(traceql("Slow requests (over 2 s)", "{ duration > 2s }"), w=12, h=10)
    variables = [
        {
            "type": "textbox",
            "name": "bundle_id",
            "label": "Bundle id",
            "query": "",
            "current": {"text": "", "value": ""},
            "hide": 0,
        },
        {
            "type": "textbox",
            "name": "trace_id",
            "label": "Trace id",
            "query": "",
            "current": {"text": "", "value": ""},
            "hide": 0,
        },
    ]
    return dashboard(
        "buergerservice-traces",
        "Bürgerservice – traces",
        "Find one citizen's request by bundle id; service graph; failed and slow requests.",
        b,
        templating=variables,
        refresh="",
    )


def all_dashboards() -> dict[str, dict]:
    boards = {"platform-overview.json": overview(), "traces.json": traces()}
    for name in SERVICES:
        boards[f"service-{name}.json"] = service(name)
    return boards


def render(board: dict) -> str:
    return json.dumps(board, indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed JSON differs from the generator")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    boards = all_dashboards()
    if args.check:
        drift = []
        for name, board in boards.items():
            path = args.out / name
            if not path.exists() or path.read_text(encoding="utf-8") != render(board):
                drift.append(name)
        extra = sorted(p.name for p in args.out.glob("*.json") if p.name not in boards)
        if drift or extra:
            for name in drift:
                print(f"dashboard out of date with generate-dashboards.py: {name}", file=sys.stderr)
            for name in extra:
                print(f"dashboard not produced by generate-dashboards.py: {name}", file=sys.stderr)
            print("run: python3 infra/observability/grafana/generate-dashboards.py", file=sys.stderr)
            return 1
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, board in boards.items():
        (args.out / name).write_text(render(board), encoding="utf-8")
        print(f"wrote {args.out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
