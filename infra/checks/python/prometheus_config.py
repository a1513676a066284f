#!/usr/bin/env python3
"""Prepares a Prometheus configuration for `promtool check config`.

Debian's promtool (prometheus 2.42.0+ds) is built without the Kubernetes
service discovery, so it rejects kubernetes_sd_configs as an unknown field.
This writes a copy in which each kubernetes_sd_configs block is replaced by a
static target (the relabelling rules, the part worth checking, stay as they
are), and rule_files are made absolute so they still resolve from the copy.

    prometheus_config.py IN OUT
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from common import load_yaml


def main() -> int:
    src, dst = Path(sys.argv[1]), Path(sys.argv[2])
    config = load_yaml(src)
    config["rule_files"] = [str((src.parent / f).resolve()) for f in config.get("rule_files") or []]
    for job in config.get("scrape_configs") or []:
        if job.pop("kubernetes_sd_configs", None) is not None:
            job.setdefault("static_configs", []).append({"targets": ["kubernetes-sd-placeholder:9464"]})
    dst.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
