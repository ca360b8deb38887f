"""The course site around the decks: index page, downloads (zip, calendar) and a manifest."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pypandoc

from .agenda import AGENDA_END, AGENDA_START, Week, agenda_table, course_config, weeks
from .assets import copy_file, write_atomic
from .config import Project
from .html import RESOURCES, json_safe

COURSE_PAGE_END = "<!-- course-page:end -->"
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)")
DOWNLOADS = "downloads"


def write_site(project: Project, staging: Path, state: dict[str, Any]) -> None:
    """Index, downloads and manifest, from the decks' front matter and the README's course page;
    skipped when none of that and no deck changed (`state` remembers what they were made from)."""
    rows = weeks(project)
    key = site_key(project, rows, state)
    if state.get("_site") == key and (staging / "index.html").exists():
        return
    write_index(project, staging, rows)
    write_downloads(project, staging, rows)
    write_manifest(staging)
    state["_site"] = key


def site_key(project: Project, rows: list[Week], state: dict[str, Any]) -> str:
    readme = project.root / "README.md"
    decks = {k: [v.get("html_key"), v.get("pdf_key")] for k, v in state.items() if not k.startswith("_")}
    parts = [readme.read_text(encoding="utf-8") if readme.exists() else "", repr(rows),
             json.dumps(json_safe(course_config(project)), sort_keys=True), json.dumps(decks, sort_keys=True),
             (RESOURCES / "site-template.html").read_text(), (RESOURCES / "site.css").read_text()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def course_page(project: Project, rows: list[Week]) -> str:
    """The README up to the course-page marker, its agenda linking to the site's own files."""
    readme = project.root / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.exists() else f"# {project.root.name}\n"
    text = text.split(COURSE_PAGE_END)[0]
    downloads = (f"\n\n**Downloads**: [all PDFs (zip)]({DOWNLOADS}/{zip_name(project)}) · "
                 f"[lecture calendar (.ics)]({DOWNLOADS}/course.ics)\n")
    table = agenda_table(rows, base="", handouts=True) + downloads
    if AGENDA_START in text:
        start, rest = text.split(AGENDA_START, 1)
        text = start + table + rest.split(AGENDA_END, 1)[-1]
    return text


def write_index(project: Project, staging: Path, rows: list[Week]) -> None:
    markdown = course_page(project, rows)
    for ref in IMAGE.findall(markdown):
        source = (project.root / ref).resolve()
        if project.root in source.parents and source.is_file():
            copy_file(source, staging / ref)
    title = course_config(project).get("title") or first_heading(markdown)
    args = ["--from=markdown", "--to=html5", "--standalone",
            f"--template={RESOURCES / 'site-template.html'}", f"--metadata=pagetitle:{title}",
            "--variable=assets:_assets", "--syntax-highlighting=none"]
    proc = subprocess.run([pypandoc.get_pandoc_path(), *args], input=markdown, text=True,
                          capture_output=True, check=True)
    copy_file(RESOURCES / "site.css", staging / "_assets" / "deckbuild" / "site.css")
    write_atomic(staging / "index.html", proc.stdout.encode())


def first_heading(markdown: str) -> str:
    match = re.search(r"^#\s+(.+)$", markdown, re.M)
    return match.group(1).strip() if match else "Course"


def zip_name(project: Project) -> str:
    code = course_config(project).get("code") or project.root.name
    return f"{code.lower()}-pdfs.zip"


def write_downloads(project: Project, staging: Path, rows: list[Week]) -> None:
    folder = staging / DOWNLOADS
    write_atomic(folder / zip_name(project), pdf_zip(staging))
    write_atomic(folder / "course.ics", calendar(project, rows))


def pdf_zip(staging: Path) -> bytes:
    """Every PDF of the site, in a zip whose bytes depend only on the PDFs (fixed order, times)."""
    stamp = (1980, 1, 1, 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:  # PDFs are compressed already
        for pdf in sorted(staging.rglob("*.pdf")):
            rel = pdf.relative_to(staging).as_posix()
            if rel.startswith((DOWNLOADS + "/", "_assets/", ".")):
                continue
            archive.writestr(zipfile.ZipInfo(rel, date_time=stamp), pdf.read_bytes())
    return buffer.getvalue()


def calendar(project: Project, rows: list[Week]) -> bytes:
    """An iCalendar file with one event per lecture: date, time and room from `_quarto.yml`."""
    course = course_config(project)
    zone = ZoneInfo(course.get("timezone", "Europe/Brussels"))
    duration = dt.timedelta(minutes=int(course.get("duration-minutes", 180)))
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//{course.get('code', 'course')}//deckbuild//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", course.get("title", "Course"))
    special = {str(k): str(v) for k, v in (course.get("start-times") or {}).items()}
    for row in rows:
        if row.week is None or row.date is None or not row.lecture:
            continue
        clock = special.get(row.date.isoformat(), str(course.get("time", "09:00")))
        hour, minute = map(int, clock.split(":"))
        start = dt.datetime(row.date.year, row.date.month, row.date.day, hour, minute, tzinfo=zone)
        event = icalendar.Event()
        event.add("uid", f"{course.get('code', 'course')}-w{row.week}@deckbuild")
        event.add("summary", f"{course.get('code', '')} W{row.week}: {row.title}".strip())
        event.add("dtstart", start)
        event.add("dtend", start + duration)
        event.add("dtstamp", dt.datetime(row.date.year, 1, 1, tzinfo=dt.UTC))
        if course.get("room"):
            event.add("location", course["room"])
        event.add("description", f"{row.sprint}. Slides and PDFs on the course site.")
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def write_manifest(staging: Path) -> None:
    """manifest.json: every published file with its size and SHA-256."""
    files = []
    for path in sorted(staging.rglob("*")):
        rel = path.relative_to(staging).as_posix()
        if not path.is_file() or rel == "manifest.json" or rel.startswith(".") or "/." in rel:
            continue
        data = path.read_bytes()
        files.append({"path": rel, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
    write_atomic(staging / "manifest.json", json.dumps({"files": files}, indent=1).encode())

