#!/usr/bin/env python3
"""Cross-checks the observability configuration and its wiring, without the programs.

None of the Collector, Tempo, Loki or Grafana can run on the build machines,
so what can be checked statically is checked here:

* Collector configuration (as Kubernetes runs it, and merged with the compose
  addition as compose runs it): known component types of the pinned contrib
  distribution, every component a pipeline names is defined, every defined
  component is used, memory_limiter first and batch last;
* every address one component uses to reach another (Collector exporters,
  Tempo's remote write, Grafana datasources, Prometheus targets) names a
  compose service and a Kubernetes Service with that port, in both worlds;
* every configuration file a container is started with (--config=...) exists
  where compose mounts it and in the ConfigMap Kubernetes mounts;
* Grafana's dashboard provider path is where compose and Kubernetes mount the
  dashboards;
* the images of the observability components are the same version in
  compose and Kubernetes;
* every alert's runbook link points at an existing heading.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlparse

import yaml

from common import Report, load_yaml, load_yaml_documents

# Component types of otel/opentelemetry-collector-contrib that this platform
# may use; extend the list when a configuration needs another one.
KNOWN_COMPONENTS = {
    "receivers": {"otlp", "filelog", "prometheus", "hostmetrics", "journald"},
    "processors": {
        "batch",
        "memory_limiter",
        "attributes",
        "resource",
        "transform",
        "filter",
        "k8sattributes",
        "resourcedetection",
        "redaction",
        "tail_sampling",
    },
    "exporters": {"otlp", "otlphttp", "debug", "prometheus", "prometheusremotewrite", "file"},
    "extensions": {"health_check", "pprof", "zpages", "file_storage"},
    "connectors": {"spanmetrics", "servicegraph", "forward", "routing", "count"},
}
SECTIONS = tuple(KNOWN_COMPONENTS)
SIGNALS = {"traces", "metrics", "logs"}


def merge(base: Any, extra: Any) -> Any:
    """The Collector's merge of several --config files: maps merge, everything else is replaced."""
    if isinstance(base, dict) and isinstance(extra, dict):
        out = copy.deepcopy(base)
        for k, v in extra.items():
            out[k] = merge(out[k], v) if k in out else copy.deepcopy(v)
        return out
    return copy.deepcopy(extra)


def check_collector(config: dict, where: str, report: Report) -> list[tuple[str, str]]:
    """Returns the (component, endpoint) pairs of its exporters."""
    for key in config:
        if key not in SECTIONS and key != "service":
            report.error(where, f"unknown top-level key {key!r}")
    defined: dict[str, set[str]] = {s: set((config.get(s) or {}).keys()) for s in SECTIONS}
    for section, ids in defined.items():
        for cid in ids:
            ctype = cid.split("/", 1)[0]
            if ctype not in KNOWN_COMPONENTS[section]:
                report.error(where, f"{section}: unknown component type {ctype!r} (known: {', '.join(sorted(KNOWN_COMPONENTS[section]))})")
    service = config.get("service") or {}
    pipelines = service.get("pipelines") or {}
    if not pipelines:
        report.error(where, "service.pipelines is empty")
    used: dict[str, set[str]] = {s: set() for s in SECTIONS}
    for name, pipe in pipelines.items():
        signal = name.split("/", 1)[0]
        pwhere = f"{where} pipeline {name}"
        if signal not in SIGNALS:
            report.error(pwhere, f"unknown signal {signal!r}")
        for role, section in (("receivers", "receivers"), ("processors", "processors"), ("exporters", "exporters")):
            ids = pipe.get(role) or []
            if role != "processors" and not ids:
                report.error(pwhere, f"no {role}")
            for cid in ids:
                if cid in defined[section]:
                    used[section].add(cid)
                elif role != "processors" and cid in defined["connectors"]:
                    used["connectors"].add(cid)
                else:
                    report.error(pwhere, f"{role[:-1]} {cid!r} is not defined")
        procs = pipe.get("processors") or []
        if any(p.startswith("memory_limiter") for p in procs) and not procs[0].startswith("memory_limiter"):
            report.error(pwhere, "memory_limiter must be the first processor")
        if any(p.startswith("batch") for p in procs) and not procs[-1].startswith("batch"):
            report.error(pwhere, "batch must be the last processor")
    for section in ("receivers", "processors", "exporters", "connectors"):
        for cid in sorted(defined[section] - used[section]):
            report.error(where, f"{section[:-1]} {cid!r} is defined but no pipeline uses it")
    enabled = set(service.get("extensions") or [])
    for cid in sorted(enabled - defined["extensions"]):
        report.error(where, f"service.extensions names undefined extension {cid!r}")
    for cid in sorted(defined["extensions"] - enabled):
        report.error(where, f"extension {cid!r} is defined but not enabled in service.extensions")
    endpoints = []
    for cid, exporter in (config.get("exporters") or {}).items():
        endpoint = (exporter or {}).get("endpoint")
        if endpoint:
            endpoints.append((f"exporter {cid}", endpoint))
    return endpoints


def host_port(address: str) -> tuple[str, int] | None:
    if "://" not in address:
        address = "tcp://" + address
    parsed = urlparse(address)
    if not parsed.hostname:
        return None
    port = parsed.port or {"http": 80, "https": 443}.get(parsed.scheme)
    return parsed.hostname, port


class Worlds:
    """The compose project and the rendered Kubernetes overlays, for address checks."""

    def __init__(self, compose: dict, rendered: dict[str, list[dict]]) -> None:
        self.compose = compose
        self.rendered = rendered

    def check_address(self, where: str, address: str, report: Report, compose_only: bool = False, k8s_only: bool = False) -> None:
        hp = host_port(address)
        if hp is None:
            report.error(where, f"cannot read host and port from {address!r}")
            return
        host, port = hp
        if host in ("localhost", "127.0.0.1", "0.0.0.0"):
            return
        if not k8s_only and host not in (self.compose.get("services") or {}):
            report.error(where, f"{address}: compose has no service {host!r}")
        if compose_only:
            return
        for overlay, objs in self.rendered.items():
            services = [o for o in objs if o.get("kind") == "Service" and o["metadata"]["name"] == host]
            if not services:
                report.error(where, f"{address}: overlay {overlay} has no Service {host!r}")
            elif port and not any(p.get("port") == port for s in services for p in s["spec"].get("ports") or []):
                report.error(where, f"{address}: Service {host!r} of overlay {overlay} has no port {port}")


def compose_mounts(service: dict, compose_dir: Path) -> dict[str, Path]:
    mounts: dict[str, Path] = {}
    for v in service.get("volumes") or []:
        if isinstance(v, str):
            parts = v.split(":")
            source, target = parts[0], parts[1] if len(parts) > 1 else parts[0]
        else:
            source, target = v.get("source", ""), v.get("target", "")
        if source.startswith((".", "/")) and "$" not in source:
            mounts[target] = (compose_dir / source).resolve()
    return mounts


def config_paths(args: list[str]) -> list[str]:
    out = []
    for a in args:
        m = re.match(r"^-{1,2}[a-z.\-]*config[a-z.\-]*=(/\S+)$", a)
        if m:
            out.append(m.group(1))
    return out


def check_compose_config_files(compose: dict, compose_dir: Path, report: Report) -> None:
    for name, svc in (compose.get("services") or {}).items():
        command = svc.get("command")
        args = command if isinstance(command, list) else []
        mounts = compose_mounts(svc, compose_dir)
        for path in config_paths(args):
            target = max((t for t in mounts if path == t or path.startswith(t.rstrip("/") + "/")), key=len, default=None)
            if target is None:
                report.error(f"compose service {name}", f"{path} is not inside any bind mount of the repository")
                continue
            host = mounts[target] / PurePosixPath(path).relative_to(target) if path != target else mounts[target]
            if not host.exists():
                report.error(f"compose service {name}", f"{path} is mounted from {host}, which does not exist")


def check_k8s_config_files(objs: list[dict], overlay: str, report: Report) -> None:
    configmaps = {o["metadata"]["name"]: o for o in objs if o.get("kind") == "ConfigMap"}
    for o in objs:
        if o.get("kind") not in ("Deployment", "StatefulSet", "DaemonSet"):
            continue
        spec = o["spec"]["template"]["spec"]
        volumes = {v["name"]: v for v in spec.get("volumes") or []}
        for c in spec.get("containers") or []:
            files: dict[str, bool] = {}
            for m in c.get("volumeMounts") or []:
                v = volumes.get(m["name"]) or {}
                sources = []
                if "configMap" in v:
                    sources.append((v["configMap"], ""))
                for s in (v.get("projected") or {}).get("sources") or []:
                    if "configMap" in s:
                        sources.append((s["configMap"], ""))
                for cm_ref, _ in sources:
                    cm = configmaps.get(cm_ref["name"])
                    if cm is None:
                        continue
                    items = cm_ref.get("items")
                    if items:
                        for item in items:
                            if item["key"] not in (cm.get("data") or {}):
                                report.error(f"{overlay} {o['kind']}/{o['metadata']['name']}", f"ConfigMap {cm_ref['name']} has no key {item['key']!r}")
                            files[f"{m['mountPath']}/{item['path']}"] = True
                    else:
                        for key in cm.get("data") or {}:
                            files[f"{m['mountPath']}/{key}"] = True
            for path in config_paths((c.get("args") or []) + (c.get("command") or [])):
                if path not in files:
                    report.error(
                        f"{overlay} {o['kind']}/{o['metadata']['name']} container {c['name']}",
                        f"{path} is not a file of a mounted ConfigMap",
                    )


def slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def check_runbooks(repo: Path, rules_dir: Path, report: Report) -> None:
    for rules in sorted(rules_dir.glob("*.yml")):
        for group in (load_yaml(rules) or {}).get("groups") or []:
            for rule in group.get("rules") or []:
                link = (rule.get("annotations") or {}).get("runbook")
                if not rule.get("alert"):
                    continue
                where = f"{rules.name} alert {rule['alert']}"
                if not link:
                    report.error(where, "has no runbook annotation")
                    continue
                file, _, anchor = link.partition("#")
                doc = repo / file
                if not doc.exists():
                    report.error(where, f"runbook {file} does not exist")
                    continue
                anchors = {slug(m) for m in re.findall(r"^#+\s+(.*)$", doc.read_text(encoding="utf-8"), re.M)}
                if anchor and anchor not in anchors:
                    report.error(where, f"runbook {link}: no such heading in {file}")


def image_version(image: str) -> tuple[str, str]:
    image = re.sub(r"^\$\{[A-Z_]+:-(.*)\}$", r"\1", image)
    image = re.sub(r"^docker\.io/(library/)?", "", image)
    name, _, tag = image.rpartition(":")
    return name, tag


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--observability", type=Path, required=True)
    parser.add_argument("--compose", type=Path, required=True)
    parser.add_argument("rendered", nargs="+", help="NAME=FILE of a rendered overlay")
    args = parser.parse_args()
    report = Report("observability")
    obs = args.observability

    rendered = {}
    for item in args.rendered:
        name, _, file = item.partition("=")
        rendered[name] = [d for d in load_yaml_documents(Path(file), generated=True) if isinstance(d, dict)]
    compose = load_yaml(args.compose)
    worlds = Worlds(compose, rendered)

    # Collector: Kubernetes runs collector.yaml; compose adds collector.docker-logs.yaml.
    base = load_yaml(obs / "otel-collector/collector.yaml")
    compose_cfg = merge(base, load_yaml(obs / "otel-collector/collector.docker-logs.yaml"))
    for label, cfg in (("collector (k8s)", base), ("collector (compose)", compose_cfg)):
        for what, endpoint in check_collector(cfg, label, report):
            worlds.check_address(f"{label} {what}", endpoint, report)

    tempo = load_yaml(obs / "tempo/tempo.yaml")
    for rw in ((tempo.get("metrics_generator") or {}).get("storage") or {}).get("remote_write") or []:
        worlds.check_address("tempo metrics_generator.remote_write", rw["url"], report)
    tempo_otlp = (((tempo.get("distributor") or {}).get("receivers") or {}).get("otlp") or {}).get("protocols") or {}
    tempo_grpc = host_port((tempo_otlp.get("grpc") or {}).get("endpoint", ""))
    collector_tempo = host_port(((base.get("exporters") or {}).get("otlp/tempo") or {}).get("endpoint", ""))
    if not tempo_grpc or not collector_tempo or tempo_grpc[1] != collector_tempo[1]:
        report.error("tempo", f"the Collector sends to {collector_tempo}, Tempo's OTLP/gRPC receiver listens on {tempo_grpc}")
    loki = load_yaml(obs / "loki/loki.yaml")

    datasources = load_yaml(obs / "grafana/provisioning/datasources/datasources.yaml")
    listen = {"tempo": (tempo.get("server") or {}).get("http_listen_port"), "loki": (loki.get("server") or {}).get("http_listen_port")}
    for ds in datasources.get("datasources") or []:
        worlds.check_address(f"grafana datasource {ds['name']}", ds["url"], report)
        hp = host_port(ds["url"])
        if ds["type"] in listen and hp and hp[1] != listen[ds["type"]]:
            report.error(f"grafana datasource {ds['name']}", f"port {hp[1]} differs from {ds['type']}'s http_listen_port {listen[ds['type']]}")

    prom_compose = load_yaml(obs / "prometheus/prometheus.compose.yml")
    for job in prom_compose.get("scrape_configs") or []:
        for sc in job.get("static_configs") or []:
            for target in sc.get("targets") or []:
                worlds.check_address(f"prometheus.compose.yml job {job['job_name']}", target, report, compose_only=True)

    # Dashboards: where the provider reads them is where both worlds mount them.
    provider = load_yaml(obs / "grafana/provisioning/dashboards/dashboards.yaml")
    paths = {p["options"]["path"] for p in provider.get("providers") or []}
    grafana = (compose.get("services") or {}).get("grafana") or {}
    mounts = compose_mounts(grafana, args.compose.parent)
    for path in paths:
        if mounts.get(path) != (obs / "grafana/dashboards").resolve():
            report.error("compose service grafana", f"dashboards provider reads {path}, compose mounts {mounts.get(path)} there")
        if mounts.get("/etc/grafana/provisioning") != (obs / "grafana/provisioning").resolve():
            report.error("compose service grafana", "infra/observability/grafana/provisioning is not mounted at /etc/grafana/provisioning")
        for overlay, objs in rendered.items():
            for o in objs:
                if o.get("kind") == "Deployment" and o["metadata"]["name"] == "grafana":
                    mount_paths = {m["mountPath"] for c in o["spec"]["template"]["spec"]["containers"] for m in c.get("volumeMounts") or []}
                    if path not in mount_paths:
                        report.error(f"{overlay} Deployment/grafana", f"dashboards provider reads {path}, nothing is mounted there")

    check_runbooks(obs.parent.parent, obs / "prometheus/rules", report)
    check_compose_config_files(compose, args.compose.parent, report)
    for overlay, objs in rendered.items():
        check_k8s_config_files(objs, overlay, report)

    # Same versions of the observability components in both worlds.
    k8s_images: dict[str, set[str]] = {}
    for objs in rendered.values():
        for o in objs:
            if o.get("kind") in ("Deployment", "StatefulSet"):
                for c in o["spec"]["template"]["spec"]["containers"]:
                    name, tag = image_version(c["image"])
                    k8s_images.setdefault(name, set()).add(tag)
    for svc_name, svc in (compose.get("services") or {}).items():
        if "image" not in svc or "build" in svc:
            continue
        name, tag = image_version(svc["image"])
        if name in k8s_images and k8s_images[name] != {tag}:
            report.error(f"compose service {svc_name}", f"image {name}:{tag}, Kubernetes runs {', '.join(sorted(k8s_images[name]))}")
    return report.finish("Collector pipelines, component addresses, mounted configuration files and image versions consistent in compose and Kubernetes; runbook links resolve")


if __name__ == "__main__":
    sys.exit(main())
