"""Executed markdown -> reveal.js HTML with pandoc, our template, Lua filters and course CSS."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pypandoc

from .errors import DeckError

RESOURCES = Path(str(resources.files("deckbuild") / "resources"))
FILTERS = ["quarto-attrs.lua", "callouts.lua", "links.lua", "code-lines.lua"]
LOCAL_REF = re.compile(
    r'(?:src|data-src|href|data-background-image|data-background-video|data-background-iframe'
    r'|poster|data-preview-image)="([^"#?]+)[^"]*"')
REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.I)

# Quarto's reveal.js defaults (they differ from reveal.js's own).
REVEAL_DEFAULTS: dict[str, Any] = {
    "width": 1050, "height": 700, "margin": 0.1, "center": False, "hash": True,
    "history": True, "hashOneBasedIndex": False, "fragmentInURL": False,
    "navigationMode": "linear", "controlsLayout": "edges", "controlsTutorial": False,
    "controls": True, "progress": True, "slideNumber": False, "showSlideNumber": "all",
    "transition": "none", "backgroundTransition": "none", "pdfSeparateFragments": False,
    "pdfMaxPagesPerSlide": 1, "display": "block", "previewLinks": False, "help": True,
}
REVEAL_OPTIONS = {
    "controls", "controls-tutorial", "controls-layout", "controls-back-arrows", "progress",
    "slide-number", "show-slide-number", "hash-one-based-index", "hash", "respond-to-hash-changes",
    "jump-to-slide", "history", "keyboard", "disable-layout", "overview", "center", "touch",
    "loop", "rtl", "navigation-mode", "shuffle", "fragments", "fragment-in-url", "embedded",
    "help", "pause", "show-notes", "auto-play-media", "preload-iframes", "auto-animate",
    "auto-animate-easing", "auto-animate-duration", "auto-animate-unmatched", "auto-slide",
    "auto-slide-stoppable", "auto-slide-method", "default-timing", "mouse-wheel",
    "preview-links", "transition", "transition-speed", "background-transition",
    "pdf-max-pages-per-slide", "pdf-separate-fragments", "pdf-page-height-offset",
    "view-distance", "mobile-view-distance", "display", "hide-inactive-cursor",
    "hide-cursor-time", "width", "height", "margin", "min-scale", "max-scale",
    "parallax-background-image", "parallax-background-size", "parallax-background-horizontal",
    "parallax-background-vertical", "show-hidden-slides", "sort-fragments-on-sync",
}
# Reveal themes that only use local fonts; the others @import web fonts, which we strip.
THEMES = {"white", "black", "serif", "dracula", "simple", "sky", "beige", "blood", "league",
          "moon", "night", "solarized", "white-contrast", "black-contrast"}


@dataclass
class HtmlResult:
    html: str
    local_refs: list[str]  # relative URLs of local files the HTML points at


def camel(name: str) -> str:
    head, *rest = name.split("-")
    return head + "".join(part.capitalize() for part in rest)


def reveal_config(meta: dict[str, Any]) -> dict[str, Any]:
    config = dict(REVEAL_DEFAULTS)
    for key, value in meta.items():
        if key in REVEAL_OPTIONS:
            config[camel(key)] = value
    if config.get("previewLinks") == "auto":
        config["previewLinks"] = False
    if config.get("slideNumber") is True:
        config["slideNumber"] = "c"
    return config


def format_date(value: Any, fmt: str | None) -> str:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        if fmt == "iso":
            return value.isoformat()
        return f"{value:%B} {value.day}, {value.year}"
    return str(value)


def pandoc_metadata(meta: dict[str, Any]) -> dict[str, Any]:
    """Metadata as pandoc sees it: JSON-safe, dates formatted, engine-only keys removed."""
    out = {}
    for key, value in meta.items():
        if key in ("execute", "jupyter", "logo", "theme", "css", "format", "filters"):
            continue
        out[key] = json_safe(value)
    if "date" in meta:
        out["date"] = format_date(meta["date"], meta.get("date-format"))
    if isinstance(out.get("author"), list):
        out["author"] = [a.get("name", a) if isinstance(a, dict) else a for a in out["author"]]
    elif isinstance(out.get("author"), dict):
        out["author"] = out["author"].get("name", "")
    return out


def json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_safe(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def theme_css(meta: dict[str, Any], assets: str) -> list[str]:
    theme = meta.get("theme") or "default"
    names = theme if isinstance(theme, list) else [theme]
    css = []
    for name in names:
        name = str(name)
        if name in THEMES:
            css.append(f"{assets}/reveal.js/dist/theme/{name}.css")
        elif name == "default":
            css += [f"{assets}/reveal.js/dist/theme/white.css", f"{assets}/deckbuild/quarto.css"]
        else:
            css.append(name)  # a project CSS file, relative to the deck
    if not any(n in THEMES or n == "default" for n in map(str, names)):
        css = [f"{assets}/reveal.js/dist/theme/white.css", f"{assets}/deckbuild/quarto.css", *css]
    return css


def render_html(markdown: str, meta: dict[str, Any], workdir: Path, assets: str,
                resource_path: list[Path], source: Path, root_offset: str) -> HtmlResult:
    """Run pandoc in `workdir` (the deck's output folder); return the HTML and its local refs.

    `root_offset` is the relative path from the deck's folder to the project root ("..")."""
    workdir.mkdir(parents=True, exist_ok=True)
    metadata_file = workdir / f".{source.stem}.meta.json"
    pandoc_meta = {**pandoc_metadata(meta), "deckbuild-project-offset": root_offset}
    metadata_file.write_text(json.dumps(pandoc_meta, ensure_ascii=False))
    args = ["--from=markdown", "--to=revealjs", "--standalone",
            f"--template={RESOURCES / 'template.html'}",
            f"--metadata-file={metadata_file.name}",
            f"--slide-level={meta.get('slide-level', 2)}",
            f"--katex={assets}/katex/",
            f"--syntax-highlighting={meta.get('highlight-style', 'tango')}",
            f"--variable=assets:{assets}",
            f"--variable=reveal-config:{json.dumps(reveal_config(meta), sort_keys=True)}",
            "--resource-path=" + os.pathsep.join(str(p) for p in resource_path)]
    for css in theme_css(meta, assets):
        args.append(f"--variable=theme-css:{css}")
    for css in as_list(meta.get("css")):
        args.append(f"--css={css}")
    if meta.get("logo"):
        logo = meta["logo"]
        src = str(logo.get("src") if isinstance(logo, dict) else logo)
        src = root_offset + src if src.startswith("/") and not src.startswith("//") else src
        args.append(f"--variable=logo:{src}")
        if isinstance(logo, dict) and logo.get("alt"):
            args.append(f"--variable=logo-alt:{logo['alt']}")
    if meta.get("incremental"):
        args.append("--incremental")
    if meta.get("number-sections"):
        args.append("--number-sections")
    if meta.get("toc"):
        args.append("--toc")
    if meta.get("embed-resources") or meta.get("self-contained"):
        args.append("--embed-resources")
    for name in FILTERS:
        args.append(f"--lua-filter={RESOURCES / 'filters' / name}")
    try:
        proc = subprocess.run([pypandoc.get_pandoc_path(), *args], input=markdown, text=True,
                              capture_output=True, cwd=workdir, check=False)
    finally:
        metadata_file.unlink(missing_ok=True)
    if proc.returncode != 0:
        raise DeckError(source, None, "pandoc failed: " + proc.stderr.strip().splitlines()[-1],
                        proc.stderr.strip())
    html = flatten_sections(proc.stdout)
    refs = sorted({m for m in LOCAL_REF.findall(html) if not REMOTE.match(m)})
    return HtmlResult(html=html, local_refs=refs)


def as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


SECTION_TAG = re.compile(r"<section\b[^>]*>|</section>")


def flatten_sections(html: str) -> str:
    """Quarto keeps slides flat: drop the bare <section> wrappers pandoc adds around `#` groups."""
    out, last, stack = [], 0, []
    for match in SECTION_TAG.finditer(html):
        tag = match.group(0)
        if tag.startswith("</"):
            if stack.pop():
                out.append(html[last:match.start()])
                last = match.end()
        else:
            wrapper = tag == "<section>"
            stack.append(wrapper)
            if wrapper:
                out.append(html[last:match.start()])
                last = match.end()
    out.append(html[last:])
    return "".join(out)
