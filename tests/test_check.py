"""Quality gates: each check is triggered by a fixture deck and reported with deck, slide, cause."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import copy_fixture, deckbuild, write


@pytest.fixture(scope="module")
def strict_build(tmp_path_factory):
    project = copy_fixture("broken", tmp_path_factory.mktemp("check"))
    report = project / "report.json"
    run = deckbuild("build", "--project", project, "--strict", "--report", report)
    return project, run, json.loads(report.read_text())["findings"]


def found(findings, deck: str, check: str) -> list[dict]:
    return [f for f in findings if f["deck"] == deck and f["check"] == check]


def test_strict_build_fails_and_publishes_nothing(strict_build):
    project, run, _ = strict_build
    assert run.code == 1
    assert not (project / "_site").exists()
    assert "Build failed" in run.output


def test_overflow_is_measured_and_scrollable_is_exempt(strict_build):
    _, run, findings = strict_build
    overflow = found(findings, "overflow.html", "overflow")
    assert [(f["slide"], f["title"]) for f in overflow] == [(2, "Too long")]
    assert "below the slide" in overflow[0]["message"]
    assert "overflow.html slide 2 (Too long): [overflow] content runs" in run.output


def test_links(strict_build):
    messages = [f["message"] for f in found(strict_build[2], "links.html", "link")]
    assert messages == ["link to a missing file: nope.html",
                        "link to a missing anchor: overflow.html#no-such-slide"]


def test_images_and_alt_text(strict_build):
    findings = strict_build[2]
    assert [f["slide"] for f in found(findings, "images.html", "image")] == [2]
    alt = found(findings, "images.html", "alt-text")
    assert [(f["slide"], f["title"]) for f in alt] == [(3, "No alt text")]


def test_offline_and_console(strict_build):
    findings = strict_build[2]
    assert [f["message"] for f in found(findings, "offline.html", "offline")] == [
        "request to another machine: https://example.org/remote.png"]
    assert any("boom-from-deck" in f["message"] for f in found(findings, "offline.html", "console"))


def test_printed_notes(strict_build):
    pdf = found(strict_build[2], "pdf.html", "pdf")
    assert [(f["slide"], f["message"]) for f in pdf] == [(2, "speaker notes are printed in the PDF")]


def test_empty_slide_and_duplicate_id(strict_build):
    findings = strict_build[2]
    assert [f["slide"] for f in found(findings, "empty.html", "empty")] == [4]
    dup = found(findings, "empty.html", "duplicate-id")
    assert [(f["slide"], f["title"]) for f in dup] == [(3, "Second")]


def test_clean_decks_have_no_findings(strict_build):
    findings = strict_build[2]
    assert not [f for f in findings if f["deck"] == "overflow.html" and f["slide"] in (3, 4)]


def test_check_command_on_a_built_site(tmp_path):
    write(tmp_path / "_quarto.yml", "project:\n  output-dir: out\n")
    write(tmp_path / "deck.qmd", "---\ntitle: T\n---\n\n## Fine\n\nAll good.\n")
    assert deckbuild("build", "--project", tmp_path).code == 0
    run = deckbuild("check", "--project", tmp_path, "--report", tmp_path / "r.json")
    assert run.code == 0 and "Checks: 0 finding(s)" in run.output
    assert json.loads(Path(tmp_path / "r.json").read_text())["findings"] == []
