"""The course site: index with the agenda's links, downloads (zip, calendar), manifest, README agenda."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

import icalendar

from tests.conftest import copy_fixture, deckbuild


def test_index_links_every_week_to_existing_slides_pdfs_and_handouts(built_course):
    index = (built_course / "index.html").read_text(encoding="utf-8")
    assert '<meta name="viewport"' in index and "FIX101 - Fixture course" in index
    links = re.findall(r'href="([^"#:]+)"', index)
    for expected in ("lectures/01-demo.html", "lectures/01-demo.pdf", "lectures/01-demo-handout.pdf",
                     "labs/02-lab.html", "labs/02-lab.pdf", "downloads/fix101-pdfs.zip",
                     "downloads/course.ics"):
        assert expected in links, expected
    for link in links:
        assert (built_course / link).exists(), link
    assert "Not on the site" not in index  # the README's instructor part stays out


def test_handout_has_a_page_per_slide_with_notes(built_course):
    from pypdf import PdfReader
    handout = PdfReader(built_course / "lectures/01-demo-handout.pdf")
    slides = PdfReader(built_course / "lectures/01-demo.pdf")
    assert len(handout.pages) == len(slides.pages)
    assert float(handout.pages[0].mediabox.height) > float(slides.pages[0].mediabox.height) * 1.5
    text = "\n".join(p.extract_text() for p in handout.pages)
    assert "SPEAKER-NOTE-MARKER" in text and "No speaker notes." in text


def test_pdf_zip_holds_every_pdf(built_course):
    with zipfile.ZipFile(built_course / "downloads/fix101-pdfs.zip") as archive:
        names = sorted(archive.namelist())
    expected = sorted(p.relative_to(built_course).as_posix() for p in built_course.rglob("*.pdf")
                      if "downloads" not in p.parts)
    assert names == expected and "lectures/01-demo.pdf" in names


def test_calendar_has_the_lectures_with_time_and_room(built_course):
    cal = icalendar.Calendar.from_ical((built_course / "downloads/course.ics").read_bytes())
    events = [e for e in cal.walk("VEVENT")]
    assert len(events) == 1  # one lecture; labs share its week, no-class days have no event
    event = events[0]
    start = event.decoded("dtstart")
    assert (start.date().isoformat(), start.hour, start.minute) == ("2024-02-26", 8, 30)
    assert str(start.tzinfo) == "Europe/Brussels"
    assert (event.decoded("dtend") - start).total_seconds() == 7200
    assert str(event["location"]) == "Room 42" and "Demo lecture" in str(event["summary"])


def test_manifest_lists_every_file_with_size_and_hash(built_course):
    manifest = json.loads((built_course / "manifest.json").read_text())
    listed = {f["path"]: f for f in manifest["files"]}
    on_disk = {p.relative_to(built_course).as_posix() for p in built_course.rglob("*")
               if p.is_file() and not p.name.startswith(".") and ".deckbuild" not in p.parts}
    assert set(listed) == on_disk - {"manifest.json"}
    entry = listed["lectures/01-demo.pdf"]
    data = (built_course / "lectures/01-demo.pdf").read_bytes()
    assert entry["size"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest()


def test_readme_agenda_is_generated_and_checked(tmp_path):
    project = copy_fixture("course", tmp_path)
    assert deckbuild("agenda", "--check", "--project", project).code == 0
    deck = project / "lectures/01-demo.qmd"
    deck.write_text(deck.read_text().replace('title: "Demo lecture"', 'title: "Renamed lecture"'))
    stale = deckbuild("agenda", "--check", "--project", project)
    assert stale.code == 1 and "deckbuild agenda --write" in stale.output
    assert deckbuild("agenda", "--write", "--project", project).code == 0
    readme = (project / "README.md").read_text()
    assert "| 26/02/2024 | W1 | Sprint 1 | Renamed lecture |" in readme
    assert "(https://example.org/fix101/lectures/01-demo.pdf)" in readme


def test_course_readme_agenda_is_up_to_date():
    root = Path(__file__).parents[1]
    run = deckbuild("agenda", "--check", "--project", root)
    assert run.code == 0, run.output
