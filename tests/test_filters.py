"""Golden tests: each Lua filter turns tests/golden/<filter>/input.md into expected.html.

Set UPDATE_GOLDEN=1 to rewrite the expected files after an intended change (then review the diff).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pypandoc
import pytest

from deckbuild.html import FILTERS, RESOURCES
from deckbuild.shortcodes import mark_shortcodes

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())


def run_filter(name: str, source: str) -> str:
    args = [pypandoc.get_pandoc_path(), "-f", "markdown", "-t", "revealjs", "--slide-level=2",
            f"--lua-filter={RESOURCES / 'filters' / (name + '.lua')}",
            "--metadata=deckbuild-project-offset:..",
            f"--metadata=deckbuild-quarto-api:{RESOURCES / 'quarto-api.lua'}"]
    return subprocess.run(args, input=mark_shortcodes(source), capture_output=True, text=True,
                          check=True).stdout


def test_every_filter_has_a_golden_case():
    assert sorted([*(f.removesuffix(".lua") for f in FILTERS), "shortcodes"]) == CASES


@pytest.mark.parametrize("name", CASES)
def test_filter_output_matches_golden(name):
    folder = GOLDEN / name
    actual = run_filter(name, (folder / "input.md").read_text())
    expected_path = folder / "expected.html"
    if os.environ.get("UPDATE_GOLDEN"):
        expected_path.write_text(actual)
    assert actual == expected_path.read_text()
