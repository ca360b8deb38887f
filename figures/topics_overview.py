"""Overview of the INFO9023 sprints and weekly topics, drawn from the course agenda.

Run as a script to (re)write ``figures/topics_overview.png`` (1600 x 800 px):

    python3 figures/topics_overview.py

From a deck (working directory = ``lectures/``)::

    import sys; sys.path.insert(0, "../figures")
    from topics_overview import draw
    draw()
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import matplotlib

if __name__ == "__main__":  # headless when run as a script; a kernel keeps its own backend
    matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyBboxPatch, Rectangle  # noqa: E402

# --------------------------------------------------------------------------------------
# The agenda of the course page: (lecture date, week, sprint, topic).
# week / sprint = None marks a Monday without class.
# --------------------------------------------------------------------------------------
AGENDA: list[tuple[date, str | None, str | None, str]] = [
    (date(2024, 2, 5), "W0", "Sprint 0", "Course introduction"),
    (date(2024, 2, 12), "W1", "Sprint 1", "Use case definition"),
    (date(2024, 2, 19), "W2", "Sprint 1", "Project organisation"),
    (date(2024, 2, 26), "W3", "Sprint 2", "Data processing"),
    (date(2024, 3, 4), "W4", "Sprint 2", "Model development"),
    (date(2024, 3, 11), "W5", "Sprint 3", "API implementation"),
    (date(2024, 3, 18), "W6", "Sprint 3", "Model serving & Cloud infrastructure"),
    (date(2024, 3, 25), "W7", "Sprint 4", "Containerisation"),
    (date(2024, 4, 1), None, None, "No class"),
    (date(2024, 4, 8), "W8", "Sprint 4", "Model Pipeline"),
    (date(2024, 4, 15), "W9", "Sprint 5", "Monitoring & dashboarding"),
    (date(2024, 4, 22), None, None, "No class"),
    (date(2024, 4, 29), None, None, "No class"),
    (date(2024, 5, 6), "W10", "Sprint 5", "CI/CD"),
    (date(2024, 5, 13), "W11", "Closing sprint", "Ethics & Real world use cases"),
]

# One colour per sprint (matplotlib's default cycle, so a course style restyles it).
SPRINT_COLOURS = {
    "Sprint 0": "C7",
    "Sprint 1": "C0",
    "Sprint 2": "C1",
    "Sprint 3": "C2",
    "Sprint 4": "C3",
    "Sprint 5": "C4",
    "Closing sprint": "C5",
}

OUTPUT = Path(__file__).with_name("topics_overview.png")


def _sprint_spans(agenda):
    """Return [(sprint, first_slot, last_slot)] in agenda order (slots = agenda rows)."""
    spans: list[list] = []
    for slot, (_, _, sprint, _) in enumerate(agenda):
        if sprint is None:
            continue
        if spans and spans[-1][0] == sprint:
            spans[-1][2] = slot
        else:
            spans.append([sprint, slot, slot])
    return [tuple(s) for s in spans]


def draw(ax=None, agenda=AGENDA):
    """Draw the sprint/topic timeline on ``ax`` (a new 10 x 4.5 in figure if None).

    Columns are the Mondays of the semester, shaded bands are sprints, and each lecture
    is one row: a bar in its week's column, labelled with its week number and topic.
    Returns the axes.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 4.5))
    fig = ax.figure
    scale = fig.get_figwidth() / 10  # font sizes grow with the figure
    fs_topic, fs_sprint, fs_date = 10.5 * scale, 10 * scale, 9 * scale

    n_slots = len(agenda)
    lectures = [(slot, row) for slot, row in enumerate(agenda) if row[1] is not None]
    n_rows = len(lectures)
    top = n_rows + 1.4  # room for the sprint labels above the first row

    # Sprint bands behind everything, labelled at the top.
    for sprint, first, last in _sprint_spans(agenda):
        colour = SPRINT_COLOURS.get(sprint, "C7")
        ax.add_patch(
            Rectangle((first, 0), last - first + 1, top, facecolor=colour, alpha=0.12, lw=0)
        )
        label = sprint.replace("Closing sprint", "Closing")
        ax.text(
            (first + last + 1) / 2, top - 0.55, label, ha="center", va="center",
            fontsize=fs_sprint, fontweight="bold", color=colour,
        )

    # Mondays without class: hatched grey columns.
    for slot, (_, week, _, _) in enumerate(agenda):
        if week is None:
            ax.add_patch(
                Rectangle((slot, 0), 1, top, facecolor="white", edgecolor="0.75",
                          hatch="///", lw=0)
            )
            ax.text(slot + 0.5, n_rows - 0.3, "no class", rotation=90, ha="center",
                    va="top", fontsize=fs_date, color="0.4",
                    bbox=dict(facecolor="white", edgecolor="none", pad=1.5))

    # One row per lecture: a bar in its column and the topic written beside it.
    for row, (slot, (_, week, sprint, topic)) in enumerate(lectures):
        y = n_rows - row - 0.5
        colour = SPRINT_COLOURS.get(sprint, "C7")
        ax.add_patch(
            FancyBboxPatch((slot + 0.08, y - 0.32), 0.84, 0.64,
                           boxstyle="round,pad=0,rounding_size=0.12",
                           facecolor=colour, edgecolor="none")
        )
        ax.text(slot + 0.5, y, week, ha="center", va="center", color="white",
                fontsize=fs_topic * 0.9, fontweight="bold")
        left_side = slot > n_slots / 2  # late weeks: write the topic to the left of the bar
        ax.text(slot - 0.1 if left_side else slot + 1.1, y, topic,
                ha="right" if left_side else "left", va="center", fontsize=fs_topic,
                bbox=dict(facecolor="white", alpha=0.85, edgecolor="none", pad=1.0))

    # Dates along the bottom.
    ax.set_xticks([slot + 0.5 for slot in range(n_slots)])
    ax.set_xticklabels([d.strftime("%d %b") for d, *_ in agenda], fontsize=fs_date,
                       rotation=0)
    ax.tick_params(axis="x", length=0, pad=3 * scale)
    ax.set_yticks([])
    ax.set_xlim(0, n_slots)
    ax.set_ylim(0, top)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel("Lecture Monday (2024)", fontsize=fs_date * 1.1)
    ax.set_title("Six sprints build one project, one lecture topic a week",
                 fontsize=fs_topic * 1.25, pad=6 * scale)
    return ax


def main() -> None:
    fig, ax = plt.subplots(figsize=(16, 8), dpi=100)
    draw(ax)
    fig.tight_layout()
    fig.savefig(OUTPUT, dpi=100)
    plt.close(fig)
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
