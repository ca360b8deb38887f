"""End to end: build the fixture course with the real command, then inspect its HTML and PDFs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import deckbuild

REMOTE = re.compile(r'(?:src|href)="(?:https?:)?//', re.I)


@pytest.fixture
def site(built_course: Path) -> Path:
    return built_course


def html(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_outputs_mirror_sources_and_assets_are_shared(site):
    assert (site / "lectures/01-demo.html").exists() and (site / "lectures/01-demo.pdf").exists()
    assert (site / "labs/02-lab.html").exists() and (site / "labs/02-lab.pdf").exists()
    assert (site / "_assets/reveal.js/dist/reveal.js").exists()
    assert (site / "_assets/katex/katex.min.js").exists()
    assert not list(site.rglob("_assets/**/node_modules"))


def test_slides_notes_and_title(site):
    page = html(site, "lectures/01-demo.html")
    # title + 2 section slides + 6 content slides (one of them included)
    assert len(re.findall(r"<section\b", page)) == 9
    assert '<section id="title-slide"' in page and "Ada Lovelace" in page
    assert "Subtitle from the folder metadata" in page
    assert '<aside class="notes">' in page and "SPEAKER-NOTE-MARKER" in page
    assert "Included slide" in page
    assert '"slideNumber": "c/t"' in page
    assert 'class="footer footer-default"' in page and "Fixture course" in page


def test_figures_have_alt_text_and_are_copied(site):
    page = html(site, "lectures/01-demo.html")
    img = re.search(r'<img data-src="(01-demo_files/figure-revealjs/[^"]+)"[^>]*alt="([^"]*)"', page)
    assert img and img.group(2) == "A straight rising line"
    assert (site / "lectures" / img.group(1)).read_bytes()[:4] == b"\x89PNG"
    assert "<figcaption>Growth is linear</figcaption>" in page
    assert (site / "images/logo.svg").exists() and 'src="../images/logo.svg"' in page


def test_code_outputs_tables_callouts_math_links(site):
    page = html(site, "lectures/01-demo.html")
    assert "KERNEL-STDOUT-MARKER" in page
    assert 'class="dataframe"' in page and "forest" in page
    assert 'class="callout callout-warning"' in page and "Careful" in page
    assert 'data-code-line-numbers="2"' in page
    assert 'class="math inline"' in page
    assert 'href="../labs/02-lab.html"' in page
    assert 'class="slide level2 smaller"' in page


def test_no_remote_urls(site):
    for deck in ("lectures/01-demo.html", "labs/02-lab.html"):
        assert not REMOTE.search(html(site, deck)), deck
    for css in (site / "_assets").rglob("*.css"):
        assert "@import url(http" not in css.read_text(encoding="utf-8"), css


def test_pdf_has_a_page_per_slide_text_outline_and_metadata(site):
    pdf = PdfReader(site / "lectures/01-demo.pdf")
    assert len(pdf.pages) == 9
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Printed output and a table" in text and "KERNEL-STDOUT-MARKER" in text
    assert "SPEAKER-NOTE-MARKER" not in text
    assert pdf.metadata.title == "Demo lecture" and pdf.metadata.author == "Ada Lovelace"
    titles = [item.title for item in flatten(pdf.outline)]
    assert titles[:3] == ["Demo lecture", "First section", "A figure from code"]
    box = pdf.pages[0].mediabox
    assert abs(float(box.width) / float(box.height) - 1050 / 700) < 0.01


def flatten(outline: list) -> list:
    return [leaf for item in outline
            for leaf in (flatten(item) if isinstance(item, list) else [item])]


def test_pdf_links_are_relative(site):
    pdf = PdfReader(site / "lectures/01-demo.pdf")
    uris = [str(a.get_object()["/A"]["/URI"]) for page in pdf.pages
            for a in page.get("/Annots") or [] if "/URI" in a.get_object().get("/A", {})]
    assert "../labs/02-lab.html" in uris
    assert not any(u.startswith("file:") for u in uris)


def test_rebuild_with_nothing_changed_does_no_work(site):
    project = site.parent
    run = deckbuild("build", "--project", project, "--out", site)
    assert run.code == 0 and "Nothing changed" in run.output
