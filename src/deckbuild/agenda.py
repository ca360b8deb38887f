"""The course agenda, from the decks' front matter (week, date, sprint, title) and `_quarto.yml`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import Project
from .errors import DeckError
from .parse import read_text, split_front_matter

AGENDA_START, AGENDA_END = "<!-- agenda:start -->", "<!-- agenda:end -->"


@dataclass
class Deck:
    source: Path  # relative to the project root
    title: str
    week: int
    date: dt.date | None
    sprint: str


@dataclass
class Week:
    date: dt.date | None
    week: int | None  # None: no class that day
    sprint: str
    title: str
    lecture: Deck | None = None
    lab: Deck | None = None


def course_config(project: Project) -> dict[str, Any]:
    return project.config.get("course") or {}


def read_decks(project: Project) -> list[Deck]:
    """Front matter of every deck that has a `week` (the course's lectures and labs)."""
    decks = []
    for path in project.decks:
        meta, _, _ = split_front_matter(read_text(path), path)
        if "week" not in meta:
            continue
        date = meta.get("date")
        if isinstance(date, str):
            date = parse_date(date, path)
        decks.append(Deck(source=path.relative_to(project.root), title=str(meta.get("title", path.stem)),
                          week=int(meta["week"]), date=date, sprint=sprint_label(meta.get("sprint"))))
    return decks


def parse_date(text: str, path: Path) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise DeckError(path, None, f"date is not an ISO date: {text}", "write it as YYYY-MM-DD") from None


def sprint_label(sprint: Any) -> str:
    if sprint is None:
        return ""
    return "Closing sprint" if str(sprint).lower() == "closing" else f"Sprint {sprint}"


def weeks(project: Project) -> list[Week]:
    """One row per lecture week (lecture and lab together), plus the no-class days, by date."""
    rows: dict[int, Week] = {}
    for deck in read_decks(project):
        row = rows.setdefault(deck.week, Week(deck.date, deck.week, deck.sprint, deck.title))
        kind = "lab" if deck.source.parts[0] == "labs" else "lecture"
        setattr(row, kind, deck)
        if kind == "lecture":
            row.title, row.sprint = deck.title, deck.sprint or row.sprint
            row.date = deck.date or row.date
    for day in course_config(project).get("no-class") or []:
        day = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
        rows[-len(rows) - 1] = Week(day, None, "", "No class")
    return sorted(rows.values(), key=lambda w: (w.date or dt.date.max, w.week or 0))


def link(base: str, deck: Deck | None, suffix: str, label: str) -> str:
    if not deck:
        return ""
    return f"[{label}]({base}{deck.source.with_suffix('').as_posix()}{suffix})"


def agenda_table(rows: list[Week], base: str, handouts: bool = False) -> str:
    """The agenda as a markdown table whose links start with `base` (site URL or relative path)."""
    lines = ["| Date | Week | Sprint | Topic | Lecture | Lab |", "|---|---|---|---|---|---|"]
    for row in rows:
        if row.week is None:
            lines.append(f"| {row.date:%d/%m/%Y} | _No class_ | | _No class_ | | |")
            continue
        lecture = " · ".join(filter(None, [link(base, row.lecture, ".html", "slides"),
                                           link(base, row.lecture, ".pdf", "PDF"),
                                           handouts and link(base, row.lecture, "-handout.pdf", "handout")]))
        lab = " · ".join(filter(None, [link(base, row.lab, ".html", "slides"),
                                       link(base, row.lab, ".pdf", "PDF"),
                                       handouts and link(base, row.lab, "-handout.pdf", "handout")]))
        date = f"{row.date:%d/%m/%Y}" if row.date else ""
        lines.append(f"| {date} | W{row.week} | {row.sprint} | {row.title} | {lecture} | {lab} |")
    return "\n".join(lines)


def replace_agenda(text: str, table: str, path: Path) -> str:
    pattern = re.compile(re.escape(AGENDA_START) + r".*?" + re.escape(AGENDA_END), re.S)
    if not pattern.search(text):
        raise DeckError(path, None, "no agenda markers found",
                        f"put the agenda table between {AGENDA_START} and {AGENDA_END}")
    return pattern.sub(lambda _: f"{AGENDA_START}\n{table}\n{AGENDA_END}", text)
