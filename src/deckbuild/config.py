"""Project configuration: `_quarto.yml`, `_metadata.yml` files and front matter, merged Quarto's way."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import DeckError

SKIPPED_DIRS = {"node_modules", "_freeze", ".git", ".nox", "_extensions", "tests", "venv", ".venv"}


@dataclass
class Project:
    root: Path
    output_dir: Path
    config: dict[str, Any]
    decks: list[Path] = field(default_factory=list)  # absolute paths of the sources to render


def load_yaml(text: str, path: Path, first_line: int = 1) -> dict[str, Any]:
    """Parse YAML text; errors point at `path` and the real line (`first_line` = line of the text)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = first_line + mark.line if mark else first_line
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise DeckError(path, line, f"malformed YAML: {problem}",
                        "check indentation and quote values that contain ':' or '#'") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise DeckError(path, first_line, "YAML must be a mapping of `key: value` pairs")
    return data


def read_yaml_file(path: Path) -> dict[str, Any]:
    return load_yaml(path.read_text(encoding="utf-8"), path) if path.exists() else {}


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Merge mappings recursively; the override wins, lists are replaced."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def flatten_format(meta: dict[str, Any]) -> dict[str, Any]:
    """Lift `format: revealjs:` options to the top level (they win over plain keys), as Quarto does.

    A custom format from an extension (`format: clean-revealjs:`) is recorded in `custom-format`."""
    meta = dict(meta)
    fmt = meta.pop("format", None)
    names = [fmt] if isinstance(fmt, str) else list(fmt) if isinstance(fmt, dict) else []
    name = next((n for n in names if str(n).endswith("revealjs")), None)
    if name and name != "revealjs":
        meta["custom-format"] = name
    options = fmt.get(name) if isinstance(fmt, dict) and name else None
    if isinstance(options, dict):
        meta = deep_merge(meta, options)
    return meta


def load_project(root: Path, output_dir: Path | None = None) -> Project:
    root = root.resolve()
    config_path = root / "_quarto.yml"
    if not config_path.exists():
        raise DeckError(root, None, "no _quarto.yml in the project folder",
                        "pass the folder that holds _quarto.yml with --project")
    config = read_yaml_file(config_path)
    project = config.get("project") or {}
    out = output_dir or root / project.get("output-dir", "_site")
    decks = find_decks(root, project.get("render"), Path(out).resolve())
    return Project(root=root, output_dir=Path(out).resolve(), config=config, decks=decks)


def find_decks(root: Path, render: list[str] | None, output_dir: Path) -> list[Path]:
    """The decks to render: `project.render` globs, or every `.qmd` not starting with `_` or `.`."""
    candidates = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith((".", "_"))
                         and Path(folder, d).resolve() != output_dir)
        candidates += [Path(folder, f) for f in files if f.endswith(".qmd") and not f.startswith(("_", "."))]
    candidates.sort()
    if not render:
        return candidates
    return [p for p in candidates
            if any(fnmatch.fnmatch(p.relative_to(root).as_posix(), pattern) for pattern in render)]


def deck_metadata(project: Project, deck: Path, front_matter: dict[str, Any]) -> dict[str, Any]:
    """Metadata of one deck: `_quarto.yml` < `_metadata.yml` (root down to the deck) < front matter."""
    base = {k: v for k, v in project.config.items() if k != "project"}
    meta = flatten_format(base)
    folder_chain = [deck.parent, *deck.parent.parents]
    for folder in reversed([f for f in folder_chain if f == project.root or project.root in f.parents]):
        meta = deep_merge(meta, flatten_format(read_yaml_file(folder / "_metadata.yml")))
    return deep_merge(meta, flatten_format(front_matter))
