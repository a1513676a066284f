"""Helpers shared by the static checks: error collection and YAML loading."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Iterator

import yaml


class Report:
    """Collects failures and prints them in one place; exit code 1 when any."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.checked = 0

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(f"{where}: {message}")

    def finish(self, summary: str) -> int:
        for w in self.warnings:
            print(f"  warning: {w}")
        for e in self.errors:
            print(f"  FAIL {e}")
        if self.errors:
            print(f"  {self.title}: {len(self.errors)} problem(s)")
            return 1
        print(f"  ok: {summary}")
        return 0


class UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that rejects duplicate keys (PyYAML silently keeps the last one)."""


def _construct_mapping(loader: UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    # Only the keys written in this mapping count; keys merged in with "<<"
    # may be overridden, that is what merging is for.
    seen: set = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as f:
        return yaml.load(f, Loader=UniqueKeyLoader)


def load_yaml_documents(path: Path, generated: bool = False) -> Iterator[Any]:
    """All documents of a YAML file. generated=True: machine-written YAML (kustomize
    output, upstream CRDs), parsed with libyaml for speed; kustomize itself
    rejects duplicate keys."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader) if generated else UniqueKeyLoader
    with path.open(encoding="utf-8") as f:
        yield from yaml.load_all(f, Loader=loader)


def die(message: str) -> None:
    print(f"  FAIL {message}")
    sys.exit(1)
