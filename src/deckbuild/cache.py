"""The execution cache (`_freeze/`): cell outputs keyed by everything that can change them."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .parse import Document

FORMAT = 2


@dataclass
class CellResults:
    key: str
    cells: list[str]  # rendered markdown of each cell, in order
    figures: dict[str, bytes]
    inline: list[str] = field(default_factory=list)  # values of the inline `{python} expr`s


@cache
def environment_fingerprint() -> str:
    """Python and every installed package version: a kernel upgrade invalidates the cache.
    Read from the names of the *.dist-info folders (name-version), which is fast."""
    packages = sorted(entry.name for folder in map(Path, sys.path) if folder.is_dir()
                      for entry in os.scandir(folder) if entry.name.endswith((".dist-info", ".egg-info")))
    return hashlib.sha256("\n".join([sys.version, *packages]).encode()).hexdigest()


def execution_key(doc: Document, meta: dict[str, Any], root: Path) -> str:
    """Hash of the cells' code and options, the deck's execution options and declared data files."""
    digest = hashlib.sha256()
    relevant = {k: meta.get(k) for k in ("execute", "jupyter", "fig-width", "fig-height", "fig-dpi")}
    digest.update(json.dumps([FORMAT, relevant], sort_keys=True, default=str).encode())
    for cell in doc.cells:
        digest.update(json.dumps([cell.language, cell.source, cell.options], sort_keys=True,
                                 default=str).encode())
    digest.update(json.dumps(doc.inline_code).encode())
    for name in declared_files(meta):
        path = (doc.path.parent / name).resolve()
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    digest.update(environment_fingerprint().encode())
    return digest.hexdigest()


def declared_files(meta: dict[str, Any]) -> list[str]:
    files = meta.get("freeze-depends") or []
    return [str(f) for f in (files if isinstance(files, list) else [files])]


def freeze_path(freeze_root: Path, rel: Path) -> Path:
    return freeze_root / rel.with_suffix(".json")


def load(freeze_root: Path, rel: Path) -> CellResults | None:
    path = freeze_path(freeze_root, rel)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        figures = {name: base64.b64decode(blob) for name, blob in data["figures"].items()}
        return CellResults(key=data["key"], cells=data["cells"], figures=figures,
                           inline=data.get("inline", []))
    except (OSError, ValueError, KeyError):
        return None  # missing or damaged entries are simply recomputed


def store(freeze_root: Path, rel: Path, results: CellResults) -> None:
    """Write atomically: a crash mid-write leaves the previous entry, never a broken one."""
    path = freeze_path(freeze_root, rel)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"format": FORMAT, "key": results.key, "cells": results.cells, "inline": results.inline,
            "figures": {n: base64.b64encode(b).decode() for n, b in sorted(results.figures.items())}}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)
