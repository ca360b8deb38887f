"""Publish the built site: to a git branch (GitHub Pages) with ghp-import, or to a folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ghp_import import GhpError, ghp_import

from .errors import DeckError


def require_site(site: Path) -> None:
    if not (site / "index.html").exists():
        raise DeckError(site, None, "no built site here", "run `deckbuild build` first")


def to_branch(site: Path, branch: str, push: bool, message: str, repo: Path) -> None:
    """Commit the site as the whole content of `branch` (and push it), as mkdocs gh-deploy does."""
    require_site(site)
    previous = Path.cwd()
    try:
        os.chdir(repo)  # ghp-import works on the repository of the current folder
        ghp_import(str(site), branch=branch, push=push, mesg=message, nojekyll=True)
    except GhpError as error:
        raise DeckError(repo, None, f"publishing failed: {error.message}",
                        "run it inside the course's git repository") from None
    finally:
        os.chdir(previous)


def to_folder(site: Path, folder: Path) -> None:
    """Replace `folder` by a copy of the site (written aside, then swapped in)."""
    require_site(site)
    folder = folder.resolve()
    if folder == site.resolve() or site.resolve() in folder.parents:
        raise DeckError(folder, None, "cannot publish the site into itself", "choose another folder")
    aside = folder.with_name(f".{folder.name}.publishing")
    shutil.rmtree(aside, ignore_errors=True)
    shutil.copytree(site, aside, ignore=shutil.ignore_patterns(".deckbuild"))
    old = folder.with_name(f".{folder.name}.old")
    if folder.exists():
        folder.rename(old)
    aside.rename(folder)
    shutil.rmtree(old, ignore_errors=True)
