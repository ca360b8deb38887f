"""One error type for everything a user can get wrong: it always names a file and a line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class DeckError(Exception):
    """A problem in a source file, reported as `file:line: message` plus what to do."""

    path: Path | str
    line: int | None
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{display(self.path)}:{self.line}" if self.line else f"{display(self.path)}"
        text = f"{where}: {self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text


def display(path: Path | str) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
