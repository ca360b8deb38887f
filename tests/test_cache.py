"""The execution cache and incremental builds, proven with counters (a cell appends to a file)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import deckbuild, write

DECK = """---
title: Cached
{extra}
---

## Code

```{{python}}
#| echo: false
with open("runs.log", "a") as log:
    log.write("run\\n")
print("{value}")
```

## Words

{words}
"""


def make(tmp_path: Path, freeze: str = "auto", value: str = "v1", words: str = "Hello.",
         extra: str = "") -> Path:
    write(tmp_path / "_quarto.yml", f"project:\n  output-dir: out\nexecute:\n  freeze: {freeze}\n")
    write(tmp_path / "deck.qmd", DECK.format(value=value, words=words, extra=extra))
    write(tmp_path / "other.qmd", "---\ntitle: Other\n---\n\n## Other\n\nStatic.\n")
    return tmp_path


def runs(root: Path) -> int:
    log = root / "runs.log"
    return len(log.read_text().splitlines()) if log.exists() else 0


def build(root: Path, *args: str):
    run = deckbuild("build", "--project", root, "--no-pdf", *args)
    assert run.code == 0, run.output
    return run


def test_markdown_edit_reuses_code_results_code_edit_reruns(tmp_path):
    root = make(tmp_path)
    build(root)
    assert runs(root) == 1
    make(root, words="Edited words only.")
    run = build(root)
    assert runs(root) == 1 and "cached" in run.output
    assert "Edited words only." in (root / "out/deck.html").read_text()
    make(root, value="v2", words="Edited words only.")
    build(root)
    assert runs(root) == 2 and "v2" in (root / "out/deck.html").read_text()


def test_nothing_changed_does_no_work(tmp_path):
    root = make(tmp_path)
    build(root)
    run = build(root)
    assert runs(root) == 1 and "Nothing changed" in run.output


def test_only_the_edited_deck_is_rebuilt(tmp_path):
    root = make(tmp_path)
    build(root)
    before = (root / "out/other.html").stat().st_mtime_ns
    make(root, words="Changed.")
    run = build(root)
    assert (root / "out/other.html").stat().st_mtime_ns == before
    assert "other.qmd" in run.output and "up to date" in run.output


def test_no_cache_forces_execution(tmp_path):
    root = make(tmp_path)
    build(root)
    build(root, "--no-cache")
    assert runs(root) == 2


def test_freeze_false_always_runs_and_true_never_reruns(tmp_path):
    root = make(tmp_path, freeze="false")
    build(root)
    build(root)
    assert runs(root) == 2
    make(root, freeze="true")
    build(root)
    assert runs(root) == 3  # nothing frozen yet: runs once and freezes
    make(root, freeze="true", value="changed code")
    build(root)
    assert runs(root) == 3 and "changed code" not in (root / "out/deck.html").read_text()


def test_failed_execution_is_never_cached(tmp_path):
    root = make(tmp_path)
    write(root / "deck.qmd", (root / "deck.qmd").read_text().replace('print("v1")', "1 / 0"))
    assert deckbuild("build", "--project", root, "--no-pdf").code == 1
    assert not (root / "_freeze/deck.json").exists()
    assert deckbuild("build", "--project", root, "--no-pdf").code == 1
    assert runs(root) == 2


def test_declared_data_file_invalidates(tmp_path):
    root = make(tmp_path, extra="freeze-depends: [data.csv]")
    write(root / "data.csv", "a\n1\n")
    build(root)
    build(root)
    assert runs(root) == 1
    write(root / "data.csv", "a\n2\n")
    build(root)
    assert runs(root) == 2


def test_changed_figure_reaches_the_slides(tmp_path):
    figure = "```{{python}}\n#| echo: false\n#| fig-alt: plot\nimport matplotlib.pyplot as plt\n" \
             "plt.plot({points}); plt.show()\n```\n"
    write(tmp_path / "_quarto.yml", "project:\n  output-dir: out\nexecute:\n  freeze: auto\n")
    write(tmp_path / "deck.qmd", "## Plot\n\n" + figure.format(points="[1, 2]"))
    build(tmp_path)
    png = next((tmp_path / "out/deck_files").rglob("*.png"))
    first = png.read_bytes()
    write(tmp_path / "deck.qmd", "## Plot\n\n" + figure.format(points="[2, 1, 3]"))
    build(tmp_path)
    assert png.read_bytes() != first


def test_cache_entries_are_portable(tmp_path):
    root = make(tmp_path)
    build(root)
    entry = (root / "_freeze/deck.json").read_text()
    assert str(tmp_path) not in entry  # safe to commit: no machine paths
