#!/usr/bin/env python3
"""Checks the service Dockerfiles against the platform's image rules.

No image can be built on the build machines (no registry for the base
image), so the rules are checked on the Dockerfile text:

* every service (services/*/package.json) has services/<name>/Dockerfile;
* multi-stage, every stage FROM ${NODE_IMAGE}, which defaults to
  node:20-bookworm-slim;
* the build filters turbo to the service and the runtime installs only the
  service's production dependencies (npm install --omit=dev --workspace);
* the final stage runs as a numeric non-root user, has a HEALTHCHECK, starts
  the telemetry before the service (--require @buergerservice/telemetry/register)
  and sets OTEL_SERVICE_NAME to the service name;
* its port is the one compose and Kubernetes use, and it is EXPOSEd;
* every file COPY'd from the build context exists (the context is the
  repository root).
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import sys
from pathlib import Path

from common import Report, load_yaml, load_yaml_documents

BASE_IMAGE = "node:20-bookworm-slim"


def instructions(text: str) -> list[tuple[int, str, str]]:
    """(line, INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    out: list[tuple[int, str, str]] = []
    pending = ""
    start = 0
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if pending and line.lstrip().startswith("#"):
            continue
        if not pending:
            start = lineno
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        pending += line
        word, _, rest = pending.strip().partition(" ")
        out.append((start, word.upper(), rest.strip()))
        pending = ""
    if pending:
        out.append((start, "UNTERMINATED", pending))
    return out


def env_pairs(args: str) -> dict[str, str]:
    pairs = {}
    for token in shlex.split(args):
        if "=" in token:
            k, _, v = token.partition("=")
            pairs[k] = v
    return pairs


def check(repo: Path, name: str, compose: dict, rendered: list[dict], report: Report) -> None:
    path = repo / "services" / name / "Dockerfile"
    where = str(path.relative_to(repo))
    if not path.exists():
        report.error(where, "missing: every service is built from its own Dockerfile")
        return
    ins = instructions(path.read_text(encoding="utf-8"))
    if any(i == "UNTERMINATED" for _, i, _ in ins):
        report.error(where, "ends inside a continued line")
    known = {"FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL"}
    for line, word, _ in ins:
        if word not in known:
            report.error(f"{where}:{line}", f"unknown instruction {word}")
    froms = [(line, args) for line, word, args in ins if word == "FROM"]
    if len(froms) < 2:
        report.error(where, "must be a multi-stage build (build stage, slim runtime stage)")
    first_from = froms[0][0] if froms else 0
    default = None
    for line, word, args in ins:
        if word == "ARG" and line < first_from and args.startswith("NODE_IMAGE="):
            default = args.partition("=")[2]
    if default != BASE_IMAGE:
        report.error(where, f"ARG NODE_IMAGE must default to {BASE_IMAGE} (found {default!r})")
    for line, args in froms:
        if not args.split()[0] in ("${NODE_IMAGE}", "$NODE_IMAGE"):
            report.error(f"{where}:{line}", f"FROM {args.split()[0]}: every stage starts from ${{NODE_IMAGE}}")
    # The final stage.
    last = [(line, word, args) for line, word, args in ins if line >= (froms[-1][0] if froms else 0)]
    users = [args for _, word, args in last if word == "USER"]
    if not users:
        report.error(where, "the runtime stage sets no USER (it would run as root)")
    else:
        uid = users[-1].split(":")[0]
        if not uid.isdigit() or uid == "0":
            report.error(where, f"USER {users[-1]}: must be a numeric uid other than 0 (Kubernetes verifies runAsNonRoot by number)")
    if not any(word == "HEALTHCHECK" for _, word, _ in last):
        report.error(where, "the runtime stage has no HEALTHCHECK")
    cmds = [args for _, word, args in last if word == "CMD"]
    if not cmds:
        report.error(where, "the runtime stage has no CMD")
    else:
        try:
            cmd = json.loads(cmds[-1])
        except json.JSONDecodeError:
            cmd = []
            report.error(where, "CMD must be in exec form (JSON array), so node gets the signals")
        joined = " ".join(cmd)
        if "--require @buergerservice/telemetry/register" not in joined or "dist/main.js" not in joined:
            report.error(where, f"CMD must start dist/main.js with --require @buergerservice/telemetry/register (found {joined!r})")
    env: dict[str, str] = {}
    for _, word, args in last:
        if word == "ENV":
            env.update(env_pairs(args))
    if env.get("OTEL_SERVICE_NAME") != name:
        report.error(where, f"ENV OTEL_SERVICE_NAME must be {name!r}")
    runs = " ".join(args for _, word, args in ins if word == "RUN")
    if f"--filter=@buergerservice/{name}..." not in runs:
        report.error(where, f"the build must run turbo with --filter=@buergerservice/{name}...")
    if not re.search(rf"npm (ci|install) --omit=dev --workspace[= ]@buergerservice/{re.escape(name)}\b", runs):
        report.error(where, f"the runtime dependencies must come from npm install --omit=dev --workspace=@buergerservice/{name}")
    for line, word, args in ins:
        if word in ("COPY", "ADD") and "--from=" not in args:
            parts = [p for p in shlex.split(args) if not p.startswith("--")]
            for src in parts[:-1]:
                if any(ch in src for ch in "*?["):
                    continue
                if not (repo / src).exists():
                    report.error(f"{where}:{line}", f"{word} source {src!r} does not exist in the repository")
        if word == "ADD" and re.search(r"https?://", args):
            report.error(f"{where}:{line}", "ADD from a URL fetches unpinned content at build time")
    port = env.get("PORT")
    exposed = {p.split("/")[0] for _, word, args in last if word == "EXPOSE" for p in args.split()}
    if port not in exposed:
        report.error(where, f"PORT {port} is not EXPOSEd")
    # Same port in compose and Kubernetes.
    svc = (compose.get("services") or {}).get(name)
    if svc is None:
        report.error(where, f"compose has no service {name!r}")
    else:
        build = svc.get("build") or {}
        if build.get("dockerfile") != f"services/{name}/Dockerfile":
            report.error(f"compose service {name}", f"must build services/{name}/Dockerfile (found {build.get('dockerfile')!r})")
        compose_port = str((svc.get("environment") or {}).get("PORT"))
        if compose_port != port:
            report.error(f"compose service {name}", f"PORT {compose_port} differs from the image's {port}")
    for o in rendered:
        if o.get("kind") == "Deployment" and o["metadata"]["name"] == name:
            c = o["spec"]["template"]["spec"]["containers"][0]
            ports = {str(p["containerPort"]) for p in c.get("ports") or []}
            k8s_port = next((e.get("value") for e in c.get("env") or [] if e["name"] == "PORT"), None)
            if port not in ports or k8s_port != port:
                report.error(f"k8s Deployment/{name}", f"PORT {k8s_port} / containerPorts {sorted(ports)} differ from the image's {port}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, required=True)
    parser.add_argument("--compose", type=Path, required=True)
    parser.add_argument("--rendered", type=Path, required=True, help="one rendered overlay")
    args = parser.parse_args()
    report = Report("dockerfiles")
    compose = load_yaml(args.compose)
    rendered = [d for d in load_yaml_documents(args.rendered, generated=True) if isinstance(d, dict)]
    names = sorted(p.parent.name for p in (args.repo / "services").glob("*/package.json"))
    if not names:
        report.error("services", "no services found")
    for name in names:
        check(args.repo, name, compose, rendered, report)
    return report.finish(f"{len(names)} Dockerfiles ({', '.join(names)})")


if __name__ == "__main__":
    sys.exit(main())
