"""Quarto features real decks use, rendered from one fixture deck (tests/fixtures/quarto)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from pypdf import PdfReader

from deckbuild.pdf import CHROMIUM_FLAGS, find_chromium
from tests.conftest import copy_fixture, deckbuild, write


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    project = copy_fixture("quarto", tmp_path_factory.mktemp("quarto"))
    run = deckbuild("build", "--project", project)
    assert run.code == 0, run.output
    return project / "_site", run.output


@pytest.fixture(scope="module")
def page(built) -> str:
    return (built[0] / "features.html").read_text(encoding="utf-8")


def sections(html: str) -> list[str]:
    return re.findall(r"<section\b[^>]*>", html)


def test_slide_count_matches_quarto(built, page):
    # title + section + 19 slides, + 1 for output-location: slide
    assert len(sections(page)) == 22
    assert len(PdfReader(built[0] / "features.pdf").pages) == 22
    only = (built[0] / "only-sections.html").read_text()
    assert len(sections(only)) == 3 and "Content of the second slide." in only


def test_section_slides_are_flat_and_centred(page):
    assert '<section id="section-one" class="title-slide slide level1 center">' in page
    assert "<section>\n<section" not in page


def test_reveal_options_reach_reveal(page):
    config = re.search(r"Reveal\.initialize\(Object\.assign\((\{.*\}), \{$", page, re.M).group(1)
    assert '"slideNumber": "c"' in config and '"transition": "slide"' in config
    assert '"previewLinks": false' in config


def test_images_fragments_and_line_steps(page):
    assert 'class="quarto-figure-center"' in page and 'width="200"' in page or 'width:200' in page
    assert 'class="r-stretch"' in page
    assert re.search(r'class="fragment fade-up"\s+data-fragment-index="2"', page)
    assert 'data-code-line-numbers="1|3"' in page
    assert 'class="r-stack"' in page
    assert re.search(r'class="absolute"[^>]*style="position: absolute; top: 50px; right: 20px; '
                     r'width: 80px', page)
    assert '<div class="aside">' in page or 'class="aside"' in page


def test_scss_theme_is_compiled_offline(built, page):
    css_href = re.search(r'href="(?:\./)?(_assets/themes/[0-9a-f]+\.css)"', page).group(1)
    css = (built[0] / css_href).read_text()
    assert "#fdf6e3" in css and ".reveal .custom-rule" in css and "@import" not in css


def test_tabsets_print_every_tab_in_order(built, page):
    assert 'class="panel-tabset-tabby"' in page
    text = PdfReader(built[0] / "features.pdf").pages[8].extract_text()
    assert text.index("TAB-ONE-CONTENT") < text.index("TAB-TWO-CONTENT")


def test_layout_meta_var_and_extension_shortcode_and_filter(built, page):
    assert 'grid-template-columns: repeat(2, minmax(0, 1fr))' in page
    assert "Author: Test Author; room: Room 101;" in page
    assert '<span class="badge badge-green">new</span>' in page
    assert "QUIET PLEASE" in page
    assert (built[0] / "_extensions/acme/badge/assets/badge.css").exists()
    assert 'href="./_extensions/acme/badge/assets/badge.css"' in page


def test_mermaid_is_svg_at_build_time(page):
    diagram = page[page.index('class="mermaid-diagram"'):][:20000]
    assert "<svg" in diagram and "Ingest" in diagram and "A tiny pipeline" in diagram
    assert "mermaid.min.js" not in page


def test_output_locations_asis_fenced_crossref_inline(page):
    columns = page[page.index("column-output-location"):][:3000]
    assert "SIDE-OUTPUT" in columns
    assert 'class="slide level2 output-location-slide"' in page
    fragment = page[page.rindex("FRAGMENT-OUTPUT") - 200:page.rindex("FRAGMENT-OUTPUT")]
    assert 'class="fragment"' in fragment
    assert "<li>ASIS-ITEM</li>" in page
    assert "```{python}" in page or "```{python}" in page.replace("&#96;", "`")
    assert "Figure 1: A line" in page and ">Figure 1</a>" in page
    assert "inline value: 42." in page


def test_auto_animate(page):
    assert re.search(r'<section id="move" class="slide level2"[^>]*data-auto-animate="true"', page)


def test_citations_video_iframe_scrollable(page):
    assert re.search(r"Sculley et al\.(</span>)? \(2015\)", page) and 'id="refs"' in page
    assert '<video controls' in page and "media/clip.mp4" in page
    assert "<iframe" in page and 'class="slide level2 scrollable"' in page


def test_chalkboard_and_menu_work_offline_in_the_browser(built):
    remote = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_FLAGS)
        tab = browser.new_page()
        local = ("file:", "data:")
        tab.on("request", lambda r: remote.append(r.url) if not r.url.startswith(local) else None)
        errors = []
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.goto((built[0] / "features.html").as_uri())
        tab.wait_for_function("window.Reveal && Reveal.isReady()")
        assert tab.evaluate("Reveal.hasPlugin('RevealChalkboard') && Reveal.hasPlugin('menu')")
        board = "getComputedStyle(document.querySelector('#chalkboard')).visibility"
        assert tab.evaluate(board) == "hidden"
        tab.locator("#toggle-chalkboard button").click()  # the button opens the board ...
        tab.wait_for_function(f"{board} === 'visible'")
        tab.keyboard.press("b")  # ... and its key closes it
        tab.wait_for_function(f"{board} === 'hidden'")
        tab.evaluate("Reveal.slide(8)")
        tab.locator(".panel-tabset-tabby button", has_text="Second tab").click()
        assert tab.locator(".tab-pane.active").inner_text().strip() == "TAB-TWO-CONTENT"
        browser.close()
    assert remote == [] and errors == []


def test_missing_extension_is_a_clear_error(tmp_path):
    write(tmp_path / "_quarto.yml", "")
    write(tmp_path / "deck.qmd", "---\ntitle: X\nfilters:\n  - nowhere\n---\n\n## S\n")
    run = deckbuild("build", "--project", tmp_path, "--no-pdf")
    assert run.code == 1 and "extension 'nowhere' is referenced but not installed" in run.output


def test_unsupported_features_warn_once_with_a_line(tmp_path):
    write(tmp_path / "_quarto.yml", "")
    write(tmp_path / "deck.qmd", "---\ntitle: X\n---\n\n## S\n\n```{r}\n1 + 1\n```\n\n```{r}\n2\n```\n\n"
          "{{< unknowncode x >}}\n")
    run = deckbuild("build", "--project", tmp_path, "--no-pdf")
    assert run.code == 0, run.output
    assert run.output.count("{r} cells are shown but not executed") == 1
    assert "deck.qmd:7: not supported yet: {r} cells" in run.output
    assert "deck.qmd:15: not supported yet: shortcode 'unknowncode'" in run.output
