"""Parsing .qmd files: front matter, cells and their options, includes, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckbuild.errors import DeckError
from deckbuild.parse import Cell, Markdown, parse_document
from tests.conftest import write


def parse(tmp_path: Path, text: str, name: str = "deck.qmd"):
    return parse_document(write(tmp_path / name, text), tmp_path)


def test_front_matter_and_blocks(tmp_path):
    doc = parse(tmp_path, "---\ntitle: T\nweek: 3\n---\n\n## A\n\ntext\n")
    assert doc.front_matter == {"title": "T", "week": 3}
    assert [type(b) for b in doc.blocks] == [Markdown]
    assert doc.blocks[0].lines[1].number == 6  # line numbers count the front matter


def test_cell_options_are_yaml_and_stripped_from_code(tmp_path):
    doc = parse(tmp_path, "## S\n\n```{python}\n#| echo: false\n#| fig-cap: \"A: b\"\nx = 1\n```\n")
    cell = doc.cells[0]
    assert cell.options == {"echo": False, "fig-cap": "A: b"}
    assert cell.code == "x = 1"
    assert cell.source.startswith("#| echo: false")  # sent whole, so kernel line numbers match
    assert cell.line == 3


def test_fence_header_options_and_label(tmp_path):
    doc = parse(tmp_path, "```{python #fig-x echo=false}\n1\n```\n")
    assert doc.cells[0].options == {"label": "fig-x", "echo": False}


def test_other_code_blocks_are_left_alone(tmp_path):
    text = "```python\nprint(1)\n```\n\n````markdown\n```{python}\n2\n```\n````\n"
    doc = parse(tmp_path, text)
    assert doc.cells == []
    assert "```{python}" in doc.blocks[0].text


def test_include_is_recursive_and_keeps_origins(tmp_path):
    write(tmp_path / "parts" / "a.qmd", "A-line\n{{< include b.qmd >}}\n")
    write(tmp_path / "parts" / "b.qmd", "```{python}\nraise ValueError\n```\n")
    doc = parse(tmp_path, "intro\n{{< include parts/a.qmd >}}\nend\n")
    cell = doc.cells[0]
    assert cell.path == (tmp_path / "parts" / "b.qmd").resolve() and cell.line == 1
    assert [p.name for p in doc.includes] == ["a.qmd", "b.qmd"]


def test_missing_include_names_file_and_line(tmp_path):
    with pytest.raises(DeckError) as err:
        parse(tmp_path, "one\n\n{{< include nope.qmd >}}\n")
    assert err.value.line == 3 and "nope.qmd" in str(err.value)
    assert str(err.value).startswith(str((tmp_path / "deck.qmd").resolve()) + ":3")


def test_include_cycle_is_an_error(tmp_path):
    write(tmp_path / "a.qmd", "{{< include deck.qmd >}}\n")
    with pytest.raises(DeckError, match="include cycle"):
        parse(tmp_path, "{{< include a.qmd >}}\n")


def test_malformed_front_matter_reports_line(tmp_path):
    with pytest.raises(DeckError) as err:
        parse(tmp_path, "---\ntitle: ok\nbad: [unclosed\n---\n")
    assert "malformed YAML" in err.value.message and err.value.line in (3, 4)


def test_malformed_cell_option_reports_line(tmp_path):
    with pytest.raises(DeckError) as err:
        parse(tmp_path, "x\n```{python}\n#| echo: [\nprint(1)\n```\n")
    assert err.value.line == 3


def test_unclosed_cell(tmp_path):
    with pytest.raises(DeckError, match="not closed"):
        parse(tmp_path, "```{python}\nprint(1)\n")


def test_non_utf8_file(tmp_path):
    path = tmp_path / "deck.qmd"
    path.write_bytes(b"## ok\n\ncaf\xe9\n")
    with pytest.raises(DeckError) as err:
        parse_document(path, tmp_path)
    assert err.value.line == 3 and "UTF-8" in err.value.message


def test_include_outside_project_is_refused(tmp_path):
    project = tmp_path / "p"
    write(tmp_path / "secret.qmd", "x\n")
    with pytest.raises(DeckError, match="outside the project"):
        parse_document(write(project / "deck.qmd", "{{< include ../secret.qmd >}}\n"), project)


def test_cell_type(tmp_path):
    doc = parse(tmp_path, "```{python}\n1\n```\n")
    assert isinstance(doc.blocks[0], Cell) and doc.blocks[0].language == "python"
