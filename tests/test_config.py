"""Project configuration is merged Quarto's way: _quarto.yml < _metadata.yml < front matter."""

from __future__ import annotations

import pytest

from deckbuild.config import deck_metadata, load_project
from deckbuild.errors import DeckError
from tests.conftest import write


def test_merge_order_and_format_options(tmp_path):
    write(tmp_path / "_quarto.yml", "author: Root\nfooter: root\nexecute:\n  echo: true\n"
          "format:\n  revealjs:\n    footer: from-format\n    slide-number: true\n")
    write(tmp_path / "_metadata.yml", "author: Top folder\n")
    write(tmp_path / "lec" / "_metadata.yml", "subtitle: Folder\nexecute:\n  warning: false\n")
    deck = write(tmp_path / "lec" / "d.qmd", "x")
    project = load_project(tmp_path)
    meta = deck_metadata(project, deck, {"title": "Deck", "format": {"revealjs": {"footer": "deck"}}})
    assert meta["footer"] == "deck"
    assert meta["slide-number"] is True
    assert meta["author"] == "Top folder"
    assert meta["subtitle"] == "Folder"
    assert meta["execute"] == {"echo": True, "warning": False}


def test_render_globs_and_output_dir(tmp_path):
    write(tmp_path / "_quarto.yml", "project:\n  output-dir: public\n  render: ['a/*.qmd']\n")
    write(tmp_path / "a" / "one.qmd", "x")
    write(tmp_path / "b" / "two.qmd", "x")
    write(tmp_path / "a" / "_partial.qmd", "x")
    project = load_project(tmp_path)
    assert [p.name for p in project.decks] == ["one.qmd"]
    assert project.output_dir == (tmp_path / "public").resolve()


def test_default_render_skips_partials_and_output(tmp_path):
    write(tmp_path / "_quarto.yml", "")
    write(tmp_path / "d.qmd", "x")
    write(tmp_path / "_inc.qmd", "x")
    write(tmp_path / "_site" / "old.qmd", "x")
    assert [p.name for p in load_project(tmp_path).decks] == ["d.qmd"]


def test_malformed_quarto_yml(tmp_path):
    write(tmp_path / "_quarto.yml", "project:\n  render: [\n")
    with pytest.raises(DeckError) as err:
        load_project(tmp_path)
    assert err.value.path.name == "_quarto.yml" and err.value.line is not None


def test_missing_quarto_yml(tmp_path):
    with pytest.raises(DeckError, match="no _quarto.yml"):
        load_project(tmp_path)
