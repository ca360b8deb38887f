"""Run a document's Python cells in one Jupyter kernel and turn their outputs into markdown."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import DeckError
from .parse import Cell, Document, Markdown, inline_matches

if TYPE_CHECKING:
    from nbclient import NotebookClient

# Quarto's defaults for presentations: code is hidden unless `echo: true`.
CELL_DEFAULTS = {"eval": True, "echo": False, "output": True, "include": True,
                 "warning": True, "error": False}
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
CELL_FRAME = re.compile(r"Cell In\[(\d+)\], line (\d+)")
FIGURE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/svg+xml": "svg"}

KERNEL_SETUP = """
import matplotlib, os
for name in ("FORCE_COLOR", "CLICOLOR_FORCE"):  # tools run from cells: plain text, no colours
    os.environ.pop(name, None)
os.environ["NO_COLOR"] = "1"
from IPython import get_ipython
get_ipython().run_line_magic("matplotlib", "inline")
from matplotlib_inline.backend_inline import set_matplotlib_formats
set_matplotlib_formats("png", dpi={dpi}, bbox_inches="tight")
import matplotlib.pyplot as plt
plt.rcParams.update({{
    "figure.figsize": ({width}, {height}), "figure.dpi": 96, "font.size": 14,
    "axes.titlesize": 16, "axes.labelsize": 14, "legend.fontsize": 12,
    "axes.spines.top": False, "axes.spines.right": False, "svg.hashsalt": "deckbuild",
    "axes.prop_cycle": matplotlib.cycler(color=["#1f5fa8", "#e07b00", "#2a9d5b", "#c0392b",
                                                "#7b4fa0", "#5d6d7e"]),
}})
try:
    import pandas as pd
    pd.set_option("display.max_rows", 12)
except ImportError:
    pass
"""


@dataclass
class ExecutedCells:
    rendered: list[str]  # markdown of each cell of the document, in order
    figures: dict[str, bytes] = field(default_factory=dict)  # relative path -> image bytes
    cells_run: int = 0
    timings: dict[str, float] = field(default_factory=dict)  # seconds: kernel start, execution
    inline: list[str] = field(default_factory=list)  # values of the inline `{python} expr`s


def cell_options(cell: Cell, defaults: dict[str, Any]) -> dict[str, Any]:
    options = {**CELL_DEFAULTS, **defaults, **cell.options}
    if options.get("include") is False:
        options["echo"] = options["output"] = False
    return options


def execution_defaults(meta: dict[str, Any]) -> dict[str, Any]:
    execute = meta.get("execute") or {}
    return {k: v for k, v in execute.items() if k in CELL_DEFAULTS}


def run_sequence(doc: Document, defaults: dict[str, Any]) -> tuple[list[Cell], list[Cell]]:
    """What the kernel runs, in document order: evaluated python cells and, as cells printing
    their value, the inline `{python} expr`s. Returns (sequence, inline cells)."""
    sequence, inline = [], []
    for block in doc.blocks:
        if isinstance(block, Markdown):
            first = block.lines[0]
            cells = [Cell("python", f"print({expr}, end='')", expr, {}, first.path, first.number)
                     for expr in block.inline_code]
            sequence += cells
            inline += cells
        elif block.language == "python" and cell_options(block, defaults)["eval"]:
            sequence.append(block)
    return sequence, inline


def execute_cells(doc: Document, meta: dict[str, Any], figure_dir: str) -> ExecutedCells:
    """Run every evaluated python cell and inline expression of `doc` (cwd = the deck's folder)
    in document order; render each cell (mermaid diagrams are drawn in a browser)."""
    defaults = execution_defaults(meta)
    sequence, inline = run_sequence(doc, defaults)
    enabled = (meta.get("execute") or {}).get("enabled", True) is not False
    timings: dict[str, float] = {}
    outputs = run_cells(sequence, doc.path.parent, meta, timings) if sequence and enabled else {}
    diagrams = render_mermaid([c for c in doc.cells if c.language == "mermaid"])
    result = ExecutedCells(rendered=[], cells_run=len(outputs), timings=timings)
    result.inline = [inline_value(outputs.get(id(c))) for c in inline]
    for ordinal, cell in enumerate(doc.cells, start=1):
        options = cell_options(cell, defaults)
        if cell.language == "mermaid":
            result.rendered.append(mermaid_markdown(cell, options, diagrams[id(cell)]))
        else:
            result.rendered.append(render_cell(cell, options, outputs.get(id(cell)), ordinal,
                                               figure_dir, result.figures))
    return result


def inline_value(outputs: list[dict] | None) -> str:
    if not outputs:
        return "?"
    return "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")


def assemble(doc: Document, rendered: list[str], inline: list[str] | None = None) -> str:
    """The document body as markdown: each cell replaced by its code and outputs, each inline
    expression by its value."""
    cells, values = iter(rendered), iter(inline or [])
    parts = []
    for block in doc.blocks:
        if isinstance(block, Markdown):
            parts.append(substitute_inline(block.text, values))
        else:
            parts.append(next(cells))
    return "\n".join(parts) + "\n"


def substitute_inline(text: str, values: Any) -> str:
    out, last = [], 0
    for match in inline_matches(text):
        out += [text[last:match.start()], next(values, "?")]
        last = match.end()
    return "".join(out) + text[last:]


def render_mermaid(cells: list[Cell]) -> dict[int, str]:
    if not cells:
        return {}
    from .mermaid import render_diagrams  # a browser starts only for decks with diagrams

    return dict(zip([id(c) for c in cells], render_diagrams(cells), strict=True))


def mermaid_markdown(cell: Cell, options: dict[str, Any], svg: str) -> str:
    caption = options.get("fig-cap")
    label = options.get("label")
    attrs = f"#{label} .mermaid-diagram" if label else ".mermaid-diagram"
    body = f"```{{=html}}\n{svg}\n```"
    if caption:
        body += f"\n\n::: {{.figure-caption}}\n{caption}\n:::"
    return f"\n::::::: {{{attrs}}}\n{body}\n:::::::\n"


def run_cells(cells: list[Cell], cwd: Path, meta: dict[str, Any],
              timings: dict[str, float]) -> dict[int, list[dict]]:
    """Execute cells in order in a fresh kernel; return the outputs of each cell by id()."""
    import nbformat  # Jupyter loads only when a deck has code to run
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    setup = KERNEL_SETUP.format(width=meta.get("fig-width", 10), height=meta.get("fig-height", 5),
                                dpi=meta.get("fig-dpi", 144))
    nb_cells = [nbformat.v4.new_code_cell(setup)]
    for cell in cells:
        nb_cell = nbformat.v4.new_code_cell(cell.source)
        if cell_options(cell, execution_defaults(meta))["error"]:
            nb_cell.metadata["tags"] = ["raises-exception"]
        nb_cells.append(nb_cell)
    notebook = nbformat.v4.new_notebook(cells=nb_cells)
    timeout = (meta.get("execute") or {}).get("timeout", 600)
    results: dict[int, list[dict]] = {}
    start = time.perf_counter()
    # IPC sockets need an absolute path: the kernel runs in the deck's folder, we do not.
    with tempfile.TemporaryDirectory(prefix="deckbuild-") as sockets:
        manager = KernelManager(kernel_name="python3", transport="ipc", ip=f"{sockets}/kernel")
        client = NotebookClient(notebook, km=manager, timeout=timeout + 30,
                                resources={"metadata": {"path": str(cwd)}})
        try:
            run_in_kernel(client, cells, nb_cells, results, timings, start, timeout)
        finally:  # nbclient leaves a kernel it did not start running: stop it now, not at exit
            if manager.has_kernel and manager.is_alive():
                manager.shutdown_kernel(now=True)
    timings["execute"] = time.perf_counter() - start - timings["kernel"]
    return results


class Watchdog(threading.Thread):
    """Watches one cell: interrupts the kernel at the deadline, kills it if it does not stop,
    and unblocks the client when the kernel dies (nbclient waits forever on a dead kernel)."""

    GRACE = 10  # seconds an interrupted cell gets to stop before its kernel is killed

    def __init__(self, client: NotebookClient, timeout: float) -> None:
        super().__init__(daemon=True)
        self.client, self.timeout = client, timeout
        self.done = threading.Event()
        self.timed_out = self.died = False

    def run(self) -> None:
        start = time.monotonic()
        while not self.done.wait(0.25):
            elapsed = time.monotonic() - start
            if not self.client.km.is_alive():
                self.died = True
                self.client.kc.stop_channels()
                return
            if elapsed > self.timeout and not self.timed_out:
                self.timed_out = True
                self.client.km.interrupt_kernel()
            elif elapsed > self.timeout + self.GRACE:
                self.client.km.kill_kernel()


def run_in_kernel(client: NotebookClient, cells: list[Cell], nb_cells: list[Any],
                  results: dict[int, list[dict]], timings: dict[str, float], start: float,
                  timeout: int) -> None:
    from nbclient.exceptions import CellExecutionError

    with client.setup_kernel(stderr=subprocess.DEVNULL):  # the kernel's own log lines are noise
        client.execute_cell(nb_cells[0], 0)
        timings["kernel"] = time.perf_counter() - start
        cwd = Path(client.resources["metadata"]["path"])
        for index, (cell, nb_cell) in enumerate(zip(cells, nb_cells[1:], strict=True), start=1):
            watchdog = Watchdog(client, timeout)
            watchdog.start()
            try:
                client.execute_cell(nb_cell, index)
            except Exception as error:
                if watchdog.timed_out:
                    raise DeckError(cell.path, cell.line, f"cell ran longer than {timeout} s",
                                    "make it faster, or raise `execute: timeout`") from None
                if watchdog.died:
                    raise DeckError(cell.path, cell.line, "the Python kernel died while running this cell",
                                    "look for a crash, os._exit() or a memory blow-up in this cell") from None
                if isinstance(error, CellExecutionError):
                    raise cell_error(cell, nb_cell) from None
                raise
            finally:
                watchdog.done.set()
                watchdog.join()
            results[id(cell)] = scrub_outputs(nb_cell.outputs, cwd)


def cell_error(cell: Cell, nb_cell: Any) -> DeckError:
    error = next(o for o in nb_cell.outputs if o.output_type == "error")
    traceback = [ANSI.sub("", line) for line in error.get("traceback", [])]
    text = "\n".join(traceback)
    frames = [m for m in CELL_FRAME.finditer(text) if int(m.group(1)) == nb_cell.execution_count]
    offset = int(frames[-1].group(2)) if frames else 1
    short = "\n".join(line for block in traceback[-3:] for line in block.splitlines()[-6:])
    return DeckError(cell.path, cell.line + offset, f"{error.ename}: {error.evalue}",
                     "fix the code, or set `#| error: true` to show the error on the slide\n"
                     + indent(short, "    "))


def indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.splitlines())


def render_cell(cell: Cell, options: dict[str, Any], outputs: list[dict] | None, index: int,
                figure_dir: str, figures: dict[str, bytes]) -> str:
    """Markdown for one cell: its code (if echoed) and its outputs, in Quarto's `.cell` divs."""
    if not options["include"]:
        return ""
    body = []
    if options["echo"]:
        body.append(code_block(cell, options))
    if outputs and options["output"]:
        if options["output"] == "asis":
            return "\n\n".join([*body, *asis_outputs(outputs)]) + "\n"
        body.extend(render_outputs(outputs, options, index, figure_dir, figures))
    if not body:
        return ""
    label = options.get("label")
    attrs = f"#{label} .cell" if label and not str(label).startswith("fig-") else ".cell"
    code, outs = (body[:1], body[1:]) if options["echo"] else ([], body)
    return place_outputs(attrs, code, outs, options.get("output-location"))


def place_outputs(attrs: str, code: list[str], outs: list[str], location: str | None) -> str:
    """Quarto's output-location: outputs after the code (default), as a fragment, on the next
    slide, or in a column beside the code."""
    def div(classes: str, parts: list[str], fence: str = ":::::::") -> str:
        return f"\n{fence} {{{classes}}}\n" + "\n\n".join(parts) + f"\n{fence}\n"

    if not outs or location in (None, "default"):
        return div(attrs, code + outs)
    if location == "fragment":
        return div(attrs, code + [div(".fragment", outs, "::::::")])
    if location == "slide":
        return div(attrs, code) + "\n## {.output-location-slide}\n" + div(attrs, outs)
    if location in ("column", "column-fragment"):
        fragment = " .fragment" if location == "column-fragment" else ""
        left = div('.column width="50%"', [div(attrs, code, "::::::")], ":::::::")
        right = div(f'.column width="50%"{fragment}', [div(attrs, outs, "::::::")], ":::::::")
        return div(".columns .column-output-location", [left, right], "::::::::")
    return div(attrs, code + outs)


def code_block(cell: Cell, options: dict[str, Any]) -> str:
    attrs = [f".{cell.language}", ".cell-code"]
    numbers = options.get("code-line-numbers")
    if numbers not in (None, False):
        attrs.append(f'code-line-numbers="{str(numbers).lower() if numbers is True else numbers}"')
    if options["echo"] == "fenced":
        code = f"```{{{cell.language}}}\n{cell.source}\n```"
        return f"````{{{' '.join(attrs)}}}\n{code}\n````"
    return f"````{{{' '.join(attrs)}}}\n{cell.code}\n````"


def asis_outputs(outputs: list[dict]) -> list[str]:
    parts = []
    for output in outputs:
        if output["output_type"] == "stream":
            parts.append(output["text"])
        elif "data" in output:
            data = output["data"]
            parts.append(data.get("text/markdown") or data.get("text/plain", ""))
    return parts


SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_?KEY|PRIVATE|CREDENTIAL", re.I)


def private_values(cwd: Path) -> list[tuple[str, str]]:
    """What must not reach a published slide, and what replaces it: the build machine's
    absolute paths (deck folder, home) and the values of secret-looking environment variables."""
    pairs = [(str(cwd), "."), (str(Path.home()), "~")]
    pairs += [(v, "********") for k, v in os.environ.items() if SECRET_NAME.search(k) and len(v) >= 6]
    return sorted(pairs, key=lambda p: -len(p[0]))


def scrub(text: str, cwd: Path) -> str:
    for value, replacement in private_values(cwd):
        if value and value not in ("/", "."):
            text = text.replace(value, replacement)
    return text


def scrub_outputs(outputs: list[dict], cwd: Path) -> list[dict]:
    """Copies of the outputs with private values replaced in every text they carry."""
    clean = []
    for output in outputs:
        output = dict(output)
        if "text" in output:
            output["text"] = scrub(output["text"], cwd)
        if "traceback" in output:
            output["traceback"] = [scrub(line, cwd) for line in output["traceback"]]
        if "data" in output:
            output["data"] = {k: scrub(v, cwd) if isinstance(v, str) and k.startswith("text/") else v
                              for k, v in output["data"].items()}
        clean.append(output)
    return clean


def render_outputs(outputs: list[dict], options: dict[str, Any], index: int, figure_dir: str,
                   figures: dict[str, bytes]) -> list[str]:
    parts: list[str] = []
    for output in merge_streams(outputs):
        kind = output["output_type"]
        if kind == "stream":
            if output["name"] == "stderr" and not options["warning"]:
                continue
            parts.append(text_output(output["text"], f"cell-output-{output['name']}"))
        elif kind == "error":
            tb = ANSI.sub("", "\n".join(output.get("traceback", [])))
            parts.append(text_output(tb, "cell-output-error"))
        else:
            parts.append(display_output(output["data"], options, index, figure_dir, figures))
    return [p for p in parts if p]


def merge_streams(outputs: list[dict]) -> list[dict]:
    merged: list[dict] = []
    for output in outputs:
        last = merged[-1] if merged else None
        if (output["output_type"] == "stream" and last and last["output_type"] == "stream"
                and last["name"] == output["name"]):
            merged[-1] = {**last, "text": last["text"] + output["text"]}
        else:
            merged.append(dict(output))
    return merged


def text_output(text: str, css: str) -> str:
    text = ANSI.sub("", text).rstrip("\n")
    if not text.strip():
        return ""
    fence = "`" * max(4, longest_run(text, "`") + 1)
    return f"::: {{.cell-output .{css}}}\n{fence}\n{text}\n{fence}\n:::"


def longest_run(text: str, char: str) -> int:
    runs = re.findall(f"{re.escape(char)}+", text)
    return max((len(r) for r in runs), default=0)


def display_output(data: dict[str, Any], options: dict[str, Any], index: int, figure_dir: str,
                   figures: dict[str, bytes]) -> str:
    for mime, ext in FIGURE_TYPES.items():
        if mime in data:
            return figure_output(data[mime], ext, options, index, figure_dir, figures)
    if "text/markdown" in data:
        return f"::: {{.cell-output .cell-output-display}}\n{data['text/markdown']}\n:::"
    if "text/html" in data:
        html = data["text/html"]
        return f"::: {{.cell-output .cell-output-display}}\n```{{=html}}\n{html}\n```\n:::"
    if "text/plain" in data:
        return text_output(data["text/plain"], "cell-output-display")
    return ""


def figure_output(payload: str, ext: str, options: dict[str, Any], index: int, figure_dir: str,
                  figures: dict[str, bytes]) -> str:
    label = options.get("label")
    stem = str(label) if label else f"cell-{index}"
    count = sum(1 for name in figures if Path(name).stem.startswith(f"{stem}-output-"))
    name = f"{figure_dir}/{stem}-output-{count + 1}.{ext}"
    figures[name] = payload.encode() if ext == "svg" else base64.b64decode(payload)
    caption = pick(options.get("fig-cap"), count)
    alt = pick(options.get("fig-alt"), count)
    attrs = []
    if label and str(label).startswith("fig-") and count == 0:
        attrs.append(f"#{label}")
    if alt:
        attrs.append(f'fig-alt="{escape_attr(alt)}"')
    for key in ("fig-align", "width", "height"):
        if options.get(key) is not None:
            attrs.append(f'{key}="{escape_attr(str(options[key]))}"')
    attr_text = "{" + " ".join(attrs) + "}" if attrs else ""
    return f"::: {{.cell-output .cell-output-display}}\n![{caption or ''}]({name}){attr_text}\n:::"


def pick(value: Any, index: int) -> str | None:
    if isinstance(value, list):
        return str(value[index]) if index < len(value) else None
    return str(value) if value is not None and index == 0 else None


def escape_attr(text: str) -> str:
    return str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
