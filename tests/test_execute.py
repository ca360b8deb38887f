"""Cell execution in a real Jupyter kernel: Quarto's options, outputs and errors."""

from __future__ import annotations

import pytest

from deckbuild.errors import DeckError
from deckbuild.execute import assemble, execute_cells
from deckbuild.parse import parse_document
from tests.conftest import write

DECK = '''## Slide

```{python}
print("shown-output")
```

```{python}
#| echo: true
x = 6 * 7
x
```

```{python}
#| include: false
hidden = "HIDDEN-VALUE"
print(hidden)
```

```{python}
#| output: false
print("NOT-SHOWN")
```

```{python}
#| output: asis
print("**bold-asis**")
```

```{python}
#| warning: false
import sys
print("WARN-TEXT", file=sys.stderr)
```

```{python}
#| eval: false
#| echo: true
raise SystemExit("never runs")
```

```{python}
#| error: true
1 / 0
```

```{python}
#| label: fig-curve
#| fig-cap: "A curve"
#| fig-alt: "Alt for the curve"
import matplotlib.pyplot as plt
plt.plot([1, 3, 2]); plt.show()
```

```{python}
import pandas as pd
pd.DataFrame({"col": [1, 2]})
```

```{python}
from IPython.display import Markdown
Markdown("*from-markdown*")
```
'''


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exec")
    doc = parse_document(write(folder / "deck.qmd", DECK), folder)
    cells = execute_cells(doc, {}, "deck_files/figure-revealjs")
    return cells, assemble(doc, cells.rendered)


def test_code_hidden_by_default_in_presentations(executed):
    _, md = executed
    assert 'print("shown-output")' not in md and "shown-output" in md
    assert "x = 6 * 7" in md and "42" in md  # echo: true shows code and the result


def test_include_output_and_eval_options(executed):
    _, md = executed
    assert "HIDDEN-VALUE" not in md and "NOT-SHOWN" not in md
    assert 'raise SystemExit("never runs")' in md  # eval: false still shows the code


def test_asis_output_is_raw_markdown(executed):
    _, md = executed
    assert "\n**bold-asis**\n" in md and "````\n**bold-asis**" not in md


def test_warning_false_drops_stderr(executed):
    assert "WARN-TEXT" not in executed[1]


def test_error_true_shows_the_traceback(executed):
    assert "ZeroDivisionError" in executed[1] and "cell-output-error" in executed[1]


def test_figure_saved_with_caption_and_alt(executed):
    cells, md = executed
    assert list(cells.figures) == ["deck_files/figure-revealjs/fig-curve-output-1.png"]
    assert cells.figures["deck_files/figure-revealjs/fig-curve-output-1.png"][:4] == b"\x89PNG"
    assert '![A curve](deck_files/figure-revealjs/fig-curve-output-1.png){#fig-curve ' \
           'fig-alt="Alt for the curve"}' in md


def test_rich_outputs(executed):
    _, md = executed
    assert '<table border="1" class="dataframe">' in md and "```{=html}" in md
    assert "*from-markdown*" in md


def test_failing_cell_names_file_line_and_exception(tmp_path):
    deck = write(tmp_path / "bad.qmd", "## S\n\n```{python}\n#| echo: true\nx = 1\ny = x / 0\n```\n")
    doc = parse_document(deck, tmp_path)
    with pytest.raises(DeckError) as err:
        execute_cells(doc, {}, "f")
    assert err.value.path == deck.resolve() and err.value.line == 6
    assert "ZeroDivisionError" in err.value.message and "y = x / 0" in err.value.hint


def test_cells_run_in_the_deck_folder(tmp_path):
    write(tmp_path / "data.txt", "DATA-IN-FOLDER")
    doc = parse_document(write(tmp_path / "d.qmd", "```{python}\nprint(open('data.txt').read())\n```\n"),
                         tmp_path)
    assert "DATA-IN-FOLDER" in assemble(doc, execute_cells(doc, {}, "f").rendered)


def test_timeout_is_reported(tmp_path):
    doc = parse_document(write(tmp_path / "d.qmd", "```{python}\nimport time; time.sleep(30)\n```\n"),
                         tmp_path)
    with pytest.raises(DeckError, match="longer than 2 s"):
        execute_cells(doc, {"execute": {"timeout": 2}}, "f")
