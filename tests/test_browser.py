"""A student's and an instructor's path through the published site, in a real Chromium."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from deckbuild.pdf import CHROMIUM_FLAGS, find_chromium


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


@pytest.fixture(scope="module")
def server(built_course: Path):
    handler = functools.partial(QuietHandler, directory=str(built_course))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def watch(page, problems: list[str], origin: str) -> None:
    page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("response", lambda r: problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None)
    page.on("request", lambda r: problems.append(f"remote: {r.url}")
            if not r.url.startswith((origin, "data:", "blob:", "about:")) else None)


def test_index_to_slides_to_pdf_and_speaker_view(server, browser):
    problems: list[str] = []
    page = browser.new_page()
    watch(page, problems, server)
    page.goto(server + "/index.html")
    week = page.locator("tr", has_text="Demo lecture")
    pdf_href = week.get_by_role("link", name="PDF").first.get_attribute("href")
    pdf = page.request.get(f"{server}/{pdf_href}")
    assert pdf.ok and pdf.body()[:5] == b"%PDF-"

    week.get_by_role("link", name="slides").first.click()
    page.wait_for_function("window.Reveal && Reveal.isReady()")
    total = page.evaluate("Reveal.getTotalSlides()")
    assert total == 9
    seen = set()
    for _ in range(60):  # step through every slide and fragment with the keyboard
        seen.add(page.evaluate("Reveal.getIndices().h"))
        if page.evaluate("Reveal.isLastSlide() && !Reveal.availableFragments().next"):
            break
        page.keyboard.press("ArrowRight")
    assert seen == set(range(total))

    page.evaluate("Reveal.slide(2)")  # the slide with speaker notes
    with page.expect_popup() as popup_info:
        page.keyboard.press("s")
    speaker = popup_info.value
    speaker.wait_for_selector(".speaker-controls-notes", timeout=15000)
    speaker.wait_for_function(
        "document.querySelector('.speaker-controls-notes').innerText.includes('SPEAKER-NOTE-MARKER')",
        timeout=15000)
    assert speaker.locator("#current-slide iframe").count() == 1
    assert problems == []


def test_every_link_of_the_index_resolves(server, browser):
    page = browser.new_page()
    page.goto(server + "/index.html")
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    local = [h for h in hrefs if h.startswith(server)]
    assert len(local) >= 7
    for href in local:
        assert page.request.get(href).ok, href
