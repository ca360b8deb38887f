"""Publishing the built site to a gh-pages branch (ghp-import) or to a folder."""

from __future__ import annotations

import subprocess

from tests.conftest import deckbuild, write


def git(repo, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=True).stdout


def site_project(tmp_path):
    write(tmp_path / "_quarto.yml", "project:\n  output-dir: _site\n")
    write(tmp_path / "_site" / "index.html", "<h1>SITE-INDEX</h1>")
    write(tmp_path / "_site" / "lectures" / "a.html", "slides")
    return tmp_path


def test_publish_to_branch(tmp_path):
    root = site_project(tmp_path)
    git(root, "init", "-q", "-b", "main")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q",
        "--allow-empty", "-m", "start")
    run = deckbuild("publish", "--project", root, "--message", "Site v1")
    assert run.code == 0, run.output
    assert "SITE-INDEX" in git(root, "show", "gh-pages:index.html")
    assert git(root, "show", "gh-pages:lectures/a.html") == "slides"
    assert "Site v1" in git(root, "log", "-1", "--format=%s", "gh-pages")
    assert git(root, "branch", "--show-current").strip() == "main"


def test_publish_to_folder_replaces_its_content(tmp_path):
    root = site_project(tmp_path / "p")
    target = tmp_path / "www"
    write(target / "stale.html", "old")
    run = deckbuild("publish", "--project", root, "--folder", target)
    assert run.code == 0, run.output
    assert (target / "index.html").read_text() == "<h1>SITE-INDEX</h1>"
    assert not (target / "stale.html").exists()


def test_publish_without_a_built_site(tmp_path):
    write(tmp_path / "_quarto.yml", "")
    run = deckbuild("publish", "--project", tmp_path, "--folder", tmp_path / "www")
    assert run.code == 2 and "deckbuild build" in run.output
