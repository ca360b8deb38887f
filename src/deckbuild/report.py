"""What a build tells its user: live progress on a terminal, plain lines in CI, a summary table."""

from __future__ import annotations

import sys
import threading
from collections import Counter
from typing import TYPE_CHECKING

from rich.console import Console
from rich.live import Live
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:
    from .build import DeckResult
    from .check import Finding

STYLES = {"failed": "bold red", "built": "green", "up to date": "dim"}


class Reporter:
    """Progress per deck (executing, rendering, printing, cached) and the final summary."""

    def __init__(self, console: Console | None = None, quiet: bool = False) -> None:
        self.console = console or Console(stderr=True, width=None if sys.stderr.isatty() else 110)
        self.quiet = quiet
        self.live: Live | None = None
        self.states: dict[str, str] = {}
        self.lock = threading.Lock()

    def start(self, results: list[DeckResult]) -> None:
        self.states = {str(r.source): "waiting" for r in results}
        if self.console.is_terminal and not self.quiet:
            self.live = Live(self.progress_table(), console=self.console, transient=True,
                             refresh_per_second=8)
            self.live.start()

    def update(self, result: DeckResult, state: str) -> None:
        with self.lock:
            name = str(result.source)
            if self.states.get(name) == state:
                return
            self.states[name] = state
            if self.live:
                self.live.update(self.progress_table())
            elif not self.quiet:
                self.console.print(f"{name}: {state}", highlight=False)

    def progress_table(self) -> Table:
        table = Table(box=None, show_header=False)
        for name, state in self.states.items():
            table.add_row(name, f"[{STYLES.get(state, 'yellow')}]{state}")
        return table

    def findings(self, findings: list[Finding]) -> None:
        """The quality checks' findings, one line each, then a count per check."""
        for finding in findings:
            self.console.print(f"[yellow]check[/] {escape(str(finding))}", highlight=False,
                               soft_wrap=True)
        counts = Counter(f.check for f in findings)
        summary = ", ".join(f"{check}: {n}" for check, n in sorted(counts.items()))
        self.console.print(f"Checks: {len(findings)} finding(s)" + (f" ({summary})" if summary else ""))

    def finish(self, results: list[DeckResult], published: bool) -> None:
        if self.live:
            self.live.stop()
        self.console.print(summary_table(results))
        for result in results:
            for warning in result.warnings:
                self.console.print(f"[yellow]warning[/] {escape(warning)}", highlight=False, soft_wrap=True)
            if result.error:
                self.console.print(f"[bold red]error[/] {escape(str(result.error))}", highlight=False,
                                   soft_wrap=True)
        changed = [r for r in results if r.status == "built"]
        if not changed and published:
            self.console.print("Nothing changed: every deck is up to date.")
        elif not published:
            self.console.print("[bold red]Build failed[/]: the previous site was left untouched.")


def summary_table(results: list[DeckResult]) -> Table:
    table = Table(title="Build summary", title_justify="left")
    for column in ("deck", "status", "code", "cells run", "slides", "PDF pages", "time (s)"):
        table.add_column(column, justify="right" if column[0].isdigit() or " " in column else "left")
    for r in results:
        table.add_row(str(r.source), f"[{STYLES.get(r.status, '')}]{r.status}", r.executed,
                      str(r.cells), str(r.slides), str(r.pages), f"{r.seconds:.1f}")
    return table
