"""Shared front-end files (reveal.js, KaTeX, our CSS/JS), copied once under OUT/_assets/."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from .errors import DeckError
from .html import RESOURCES

ASSETS_DIR = "_assets"
INSTALL_HINT = "run `npm ci` in the project folder (it installs reveal.js, KaTeX, ... from package.json)"
REMOTE_IMPORT = re.compile(r"@import url\((?:'|\")?(?:https?:)?//[^)]*\);?\n?")
PACKAGE_ROOT = Path(__file__).resolve().parents[2]
REQUIRED = ("reveal.js/dist/reveal.js", "katex/dist", "reveal.js-plugins/chalkboard", "reveal.js-menu")


def find_node_modules(project_root: Path) -> Path:
    """node_modules/ with reveal.js: in the project, a parent folder, or deckbuild's checkout."""
    explicit = os.environ.get("DECKBUILD_NODE_MODULES")
    places = [Path(explicit)] if explicit else []
    places += [folder / "node_modules" for folder in (project_root, *project_root.parents)]
    places += [Path.cwd() / "node_modules", PACKAGE_ROOT / "node_modules"]
    for place in places:
        if all((place / name).exists() for name in REQUIRED):
            return place
    raise DeckError(project_root, None, "reveal.js and KaTeX are not installed", INSTALL_HINT)


def install_assets(node_modules: Path, out: Path) -> None:
    """Copy what decks load at run time; strip theme @imports of web fonts (decks work offline)."""
    target = out / ASSETS_DIR
    reveal = node_modules / "reveal.js"
    copy_tree(reveal / "dist", target / "reveal.js" / "dist", ignore=("*.map", "*.esm.js"))
    for plugin in ("notes", "search", "zoom"):
        copy_tree(reveal / "plugin" / plugin, target / "reveal.js" / "plugin" / plugin,
                  ignore=("*.esm.js", "*.map"))
    katex = node_modules / "katex" / "dist"
    copy_tree(katex / "fonts", target / "katex" / "fonts")
    for name in ("katex.min.js", "katex.min.css"):
        copy_file(katex / name, target / "katex" / name)
    for plugin in ("chalkboard", "customcontrols"):
        copy_tree(node_modules / "reveal.js-plugins" / plugin, target / "reveal.js-plugins" / plugin,
                  ignore=("*.md",))
    menu = node_modules / "reveal.js-menu"
    for name in ("menu.js", "menu.css"):
        copy_file(menu / name, target / "reveal.js-menu" / name)
    copy_tree(menu / "font-awesome", target / "reveal.js-menu" / "font-awesome", ignore=("*.txt",))
    for name in ("quarto.css", "theme-default.css", "deckbuild.js"):
        copy_file(RESOURCES / name, target / "deckbuild" / name)
    for theme in (target / "reveal.js" / "dist" / "theme").glob("*.css"):
        text = theme.read_text(encoding="utf-8")
        if REMOTE_IMPORT.search(text):
            write_atomic(theme, REMOTE_IMPORT.sub("", text).encode())


def copy_tree(src: Path, dst: Path, ignore: tuple[str, ...] = ()) -> None:
    for path in sorted(src.rglob("*")):
        if path.is_file() and not any(path.match(pattern) for pattern in ignore):
            copy_file(path, dst / path.relative_to(src))


def copy_file(src: Path, dst: Path) -> None:
    """Copy unless an identical file is there; never write through a hard link to the old site."""
    if dst.exists() and dst.stat().st_size == src.stat().st_size \
            and dst.read_bytes() == src.read_bytes():
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(f".{dst.name}.tmp")
    shutil.copyfile(src, tmp)
    os.replace(tmp, dst)


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
