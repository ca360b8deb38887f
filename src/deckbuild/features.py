"""Quarto features the engine does not render yet: found in a deck, reported once each with a line."""

from __future__ import annotations

import re
from typing import Any

from .errors import display
from .parse import Document, Markdown

RUNS = {"python", "mermaid"}
# (feature, pattern in the markdown)
MARKDOWN_FEATURES = [
    ("margin and page-width columns (.column-margin, .column-page)",
     re.compile(r"\.column-(margin|page|screen)")),
]
ANNOTATION = re.compile(r"#\s*<\d+>\s*$")
META_FEATURES = {
    "revealjs-plugins": "reveal.js plugins from extensions (revealjs-plugins)",
    "multiplex": "multiplex (presenter-controlled audience view)",
    "scroll-view": "scroll view",
}


def unsupported(doc: Document, meta: dict[str, Any]) -> list[str]:
    """'file:line: not supported yet: feature' for each feature the deck uses, once per deck."""
    found: dict[str, str] = {}
    for cell in doc.cells:
        if any(ANNOTATION.search(line) for line in cell.code.splitlines()):
            found.setdefault("code annotations (# <1>)", f"{display(cell.path)}:{cell.line}")
        if cell.language not in RUNS:
            found.setdefault(f"{{{cell.language}}} cells are shown but not executed (only Python runs)",
                             f"{display(cell.path)}:{cell.line}")
    for block in doc.blocks:
        if isinstance(block, Markdown):
            for line in block.lines:
                for feature, pattern in MARKDOWN_FEATURES:
                    if pattern.search(line.text):
                        found.setdefault(feature, f"{display(line.path)}:{line.number}")
    for key, feature in META_FEATURES.items():
        if meta.get(key):
            found.setdefault(feature, f"{display(doc.path)}")
    if str(meta.get("engine", "jupyter")) not in ("jupyter", "markdown"):
        found.setdefault(f"engine: {meta['engine']} (only Jupyter with Python runs)", display(doc.path))
    return [f"{where}: not supported yet: {feature}" for feature, where in found.items()]
