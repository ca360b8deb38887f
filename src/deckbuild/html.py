"""Executed markdown -> reveal.js HTML with pandoc, our template, Lua filters and course CSS."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pypandoc

from .errors import DeckError

RESOURCES = Path(str(resources.files("deckbuild") / "resources"))
FILTERS = ["quarto-attrs.lua", "tabsets.lua", "layout.lua", "callouts.lua", "crossref.lua", "links.lua",
           "code-lines.lua"]
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
# reveal.js's own themes; Quarto's "dark" is reveal.js's "black".
THEMES = {"white", "black", "serif", "dracula", "simple", "sky", "beige", "blood", "league",
          "moon", "night", "solarized", "white-contrast", "black-contrast", "dark"}


@dataclass
class Page:
    """Where a deck's HTML lives and what it loads, decided by the build."""

    assets: str  # URL of the shared assets from the deck ("../_assets")
    root_offset: str  # URL of the project root from the deck ("..")
    resource_path: list[Path]
    theme_css: list[str] = field(default_factory=list)  # compiled SCSS themes (URLs)
    filters: list[Path] = field(default_factory=list)  # the deck's own and extension filters
    extra_meta: dict[str, Any] = field(default_factory=dict)  # deckbuild-* keys for our filters


@dataclass
class HtmlResult:
    html: str
    local_refs: list[str]  # relative URLs of local files the HTML points at
    dependencies: list[Path] = field(default_factory=list)  # extension files the page loads
    unsupported: list[str] = field(default_factory=list)  # features our filters could not render


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


def pandoc_metadata(meta: dict[str, Any], deck_dir: Path) -> dict[str, Any]:
    """Metadata as pandoc sees it: JSON-safe, dates formatted, engine-only keys removed, and
    bibliography/CSL paths absolute (pandoc runs in the output folder)."""
    out = {}
    for key, value in meta.items():
        if key in ("execute", "jupyter", "logo", "theme", "css", "format", "filters", "course"):
            continue
        out[key] = json_safe(value)
    for key in ("bibliography", "csl"):
        if key in out:
            paths = [str((deck_dir / str(p)).resolve()) for p in as_list(out[key]) if "://" not in str(p)]
            out[key] = paths if isinstance(out[key], list) else (paths[0] if paths else out[key])
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


def theme_css(meta: dict[str, Any], page: Page) -> list[str]:
    """Stylesheets of the theme: a reveal.js base theme, Quarto's structure, then the look."""
    names = [str(n) for n in as_list(meta.get("theme") or "default")]
    base = next((n for n in names if n in THEMES), "default")
    reveal_theme = {"default": "white", "dark": "black"}.get(base, base)
    css = [f"{page.assets}/reveal.js/dist/theme/{reveal_theme}.css", f"{page.assets}/deckbuild/quarto.css"]
    if base == "default":
        css.append(f"{page.assets}/deckbuild/theme-default.css")
    css += page.theme_css
    css += [n for n in names if n.endswith(".css")]
    return css


def plugins(meta: dict[str, Any], assets: str) -> tuple[list[str], list[str], list[str]]:
    """(scripts, stylesheets, plugin names) of the optional reveal.js plugins a deck turns on."""
    scripts, styles, names = [], [], []
    if meta.get("chalkboard"):
        scripts += [f"{assets}/reveal.js-plugins/chalkboard/plugin.js",
                    f"{assets}/reveal.js-plugins/customcontrols/plugin.js"]
        styles += [f"{assets}/reveal.js-plugins/chalkboard/style.css",
                   f"{assets}/reveal.js-plugins/customcontrols/style.css",
                   f"{assets}/reveal.js-menu/font-awesome/css/all.css"]
        names += ["RevealChalkboard", "RevealCustomControls"]
    if meta.get("menu"):
        scripts.append(f"{assets}/reveal.js-menu/menu.js")
        styles.append(f"{assets}/reveal.js-menu/menu.css")
        names.append("RevealMenu")
    return scripts, styles, names


CHALKBOARD_BUTTONS = [
    {"id": "toggle-chalkboard", "title": "Toggle chalkboard (B)",
     "icon": '<i class="fa fa-pen-square"></i>', "action": "RevealChalkboard.toggleChalkboard();"},
    {"id": "toggle-notes-canvas", "title": "Draw on the slide (C)",
     "icon": '<i class="fa fa-pen"></i>', "action": "RevealChalkboard.toggleNotesCanvas();"},
]


def plugin_config(meta: dict[str, Any]) -> dict[str, Any]:
    config = {}
    chalkboard = meta.get("chalkboard")
    if chalkboard:
        options = {camel(k): v for k, v in (chalkboard.items() if isinstance(chalkboard, dict) else [])}
        buttons = options.pop("buttons", True)  # Quarto's option; reveal.js-plugins draws them
        config["chalkboard"] = options
        if buttons:
            config["customcontrols"] = {"controls": CHALKBOARD_BUTTONS}
    menu = meta.get("menu")
    if menu:
        options = dict(menu) if isinstance(menu, dict) else {}
        config["menu"] = {"loadIcons": False, "side": "left", **{camel(k): v for k, v in options.items()}}
    return config


def render_html(markdown: str, meta: dict[str, Any], workdir: Path, page: Page,
                source: Path) -> HtmlResult:
    """Run pandoc in `workdir` (the deck's output folder); return the HTML and its local refs."""
    workdir.mkdir(parents=True, exist_ok=True)
    metadata_file = workdir / f".{source.stem}.meta.json"
    pandoc_meta = {**pandoc_metadata(meta, source.parent), "deckbuild-project-offset": page.root_offset,
                   "deckbuild-quarto-api": str(RESOURCES / "quarto-api.lua"), **page.extra_meta}
    metadata_file.write_text(json.dumps(pandoc_meta, ensure_ascii=False))
    scripts, styles, names = plugins(meta, page.assets)
    config = {**reveal_config(meta), **plugin_config(meta)}
    args = ["--from=markdown", "--to=revealjs", "--standalone",
            f"--template={RESOURCES / 'template.html'}",
            f"--metadata-file={metadata_file.name}",
            f"--slide-level={meta.get('slide-level', 2)}",
            f"--katex={page.assets}/katex/",
            f"--syntax-highlighting={highlight_style(meta)}",
            f"--variable=assets:{page.assets}",
            f"--variable=reveal-config:{json.dumps(config, sort_keys=True)}",
            "--resource-path=" + os.pathsep.join(str(p) for p in page.resource_path)]
    args += [f"--variable=theme-css:{css}" for css in [*theme_css(meta, page), *styles]]
    args += [f"--variable=plugin-script:{js}" for js in scripts]
    args += [f"--variable=plugin-name:{name}" for name in names]
    args += [f"--css={css}" for css in as_list(meta.get("css"))]
    if meta.get("logo"):
        logo = meta["logo"]
        src = str(logo.get("src") if isinstance(logo, dict) else logo)
        src = page.root_offset + src if src.startswith("/") and not src.startswith("//") else src
        args.append(f"--variable=logo:{src}")
        if isinstance(logo, dict) and logo.get("alt"):
            args.append(f"--variable=logo-alt:{logo['alt']}")
    for flag in ("incremental", "number-sections", "toc"):
        if meta.get(flag):
            args.append(f"--{flag}")
    if meta.get("embed-resources") or meta.get("self-contained"):
        args.append("--embed-resources")
    args.append(f"--lua-filter={RESOURCES / 'filters' / 'shortcodes.lua'}")
    args += [f"--lua-filter={path}" for path in page.filters]
    args += [f"--lua-filter={RESOURCES / 'filters' / name}" for name in FILTERS]
    if meta.get("bibliography") or meta.get("references"):
        args.append("--citeproc")
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
    notes = [line.split("\t", 1) for line in proc.stderr.splitlines() if line.startswith("deckbuild-")]
    return HtmlResult(html=html, local_refs=refs,
                      dependencies=sorted({Path(v) for k, v in notes if k == "deckbuild-dependency"}),
                      unsupported=sorted({v for k, v in notes if k == "deckbuild-unsupported"}))


def highlight_style(meta: dict[str, Any]) -> str:
    style = str(meta.get("highlight-style") or "tango")
    known = {"pygments", "tango", "espresso", "zenburn", "kate", "monochrome", "breezedark", "haddock"}
    aliases = {"github": "tango", "a11y": "tango", "arrow": "tango", "atom-one": "tango",
               "dracula": "breezedark", "nord": "breezedark", "monokai": "zenburn"}
    return style if style in known else aliases.get(style, "tango")


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
