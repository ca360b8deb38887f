"""Mermaid diagrams rendered to SVG at build time, in headless Chromium: no network, and they print."""

from __future__ import annotations

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from .assets import find_node_modules
from .errors import DeckError
from .parse import Cell
from .pdf import CHROMIUM_FLAGS, find_chromium

RENDER_JS = """async ([id, code]) => (await mermaid.render(id, code)).svg"""


def render_diagrams(cells: list[Cell]) -> list[str]:
    """The SVG of each mermaid cell, in order; a syntax error names the cell's file and line."""
    script = find_node_modules(cells[0].path.parent) / "mermaid" / "dist" / "mermaid.min.js"
    if not script.exists():
        raise DeckError(cells[0].path, cells[0].line, "mermaid is not installed", "run `npm ci`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()
            page.set_content("<!DOCTYPE html><html><body></body></html>")
            page.add_script_tag(path=str(script))
            page.evaluate("mermaid.initialize({startOnLoad: false, theme: 'default'})")
            svgs = []
            for index, cell in enumerate(cells, start=1):
                try:
                    svgs.append(page.evaluate(RENDER_JS, [f"mermaid-{index}", cell.code]))
                except PlaywrightError as error:
                    reason = str(error).splitlines()[0].removeprefix("Error: ")
                    raise DeckError(cell.path, cell.line, f"mermaid diagram does not render: {reason}",
                                    "check the diagram syntax (https://mermaid.js.org)") from None
            return svgs
        finally:
            browser.close()
