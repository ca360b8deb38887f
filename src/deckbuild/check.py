"""Quality gates on rendered decks, in a real browser: overflow, links, images, alt text,
offline, console errors, PDF pages and notes, empty slides, duplicate ids."""

from __future__ import annotations

import asyncio
import json
import re
from collections import Counter
from dataclasses import asdict, dataclass
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlparse

from playwright.async_api import Browser, async_playwright
from pypdf import PdfReader

from .html import RESOURCES
from .pdf import CHROMIUM_FLAGS, find_chromium

TOLERANCE_PX = 2  # sub-pixel rounding is not overflow


@dataclass
class Finding:
    deck: str  # path of the deck's HTML, relative to the site
    slide: int  # 1-based slide number (0: the whole deck)
    title: str
    check: str  # overflow | link | image | alt-text | offline | console | pdf | empty | duplicate-id
    message: str

    def __str__(self) -> str:
        where = f"{self.deck} slide {self.slide}" if self.slide else self.deck
        title = f" ({self.title})" if self.title else ""
        return f"{where}{title}: [{self.check}] {self.message}"


# Runs in the deck: visits every slide and measures it (see the file for what it returns).
SLIDE_SURVEY_JS = (RESOURCES / "slide-survey.js").read_text(encoding="utf-8")


def check_site(site: Path, decks: list[Path], concurrency: int = 2, private: list[str] | None = None,
               project_pages: set[str] | None = None) -> list[Finding]:
    """Check the given deck HTML files (relative to `site`) and their PDFs. `private` lists
    strings that must not appear in them (the build machine's paths, secret values);
    `project_pages` are the pages of all the project's decks, valid link targets even when
    this build did not render them."""
    findings = asyncio.run(_check_all(site, decks, max(1, concurrency), project_pages or set()))
    return findings + leak_findings(site, decks, private or [])


def leak_findings(site: Path, decks: list[Path], private: list[str]) -> list[Finding]:
    findings = []
    for deck in decks:
        text = (site / deck).read_text(encoding="utf-8")
        pdf = (site / deck).with_suffix(".pdf")
        if pdf.exists():
            text += " ".join(page.extract_text() or "" for page in PdfReader(pdf).pages)
        for value in private:
            if value and value in text:
                shown = value if value.startswith("/") else "a secret environment variable's value"
                findings.append(Finding(deck.as_posix(), 0, "", "private",
                                        f"the deck shows a private value of the build machine: {shown}"))
    return findings


async def _check_all(site: Path, decks: list[Path], concurrency: int,
                     project_pages: set[str]) -> list[Finding]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_FLAGS)
        try:
            limit = asyncio.Semaphore(concurrency)

            async def run(deck: Path) -> list[Finding]:
                async with limit:
                    return await check_deck(browser, site, deck, project_pages)

            found = await asyncio.gather(*(run(deck) for deck in decks))
        finally:
            await browser.close()
    return [finding for group in found for finding in group]


async def check_deck(browser: Browser, site: Path, deck: Path, project_pages: set[str]) -> list[Finding]:
    name = deck.as_posix()
    findings: list[Finding] = []
    html_path = site / deck
    page = await browser.new_page(viewport={"width": 1280, "height": 860})
    remote: list[str] = []
    console: list[str] = []
    failed: list[str] = []

    def on_request(request) -> None:
        if not request.url.startswith(("file:", "data:", "blob:", "about:")):
            remote.append(request.url)

    page.on("request", on_request)
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    # Nothing may leave this machine: block (and report) every remote request.
    await page.route(re.compile(r"^(?!file:|data:|blob:|about:).*"), lambda route: route.abort())
    try:
        await page.goto(html_path.resolve().as_uri(), wait_until="load")
        await page.wait_for_function("window.Reveal && Reveal.isReady()", timeout=15000)
        survey = await page.evaluate(SLIDE_SURVEY_JS)
    finally:
        await page.close()
    html = html_path.read_text(encoding="utf-8")
    findings += slide_findings(name, survey)
    findings += [Finding(name, 0, "", "offline", f"request to another machine: {url}")
                 for url in sorted(set(remote))]
    findings += [Finding(name, 0, "", "console", f"console error: {text[:200]}")
                 for text in dict.fromkeys(console)]
    findings += [Finding(name, 0, "", "image", f"file did not load: {short(url, site)}")
                 for url in sorted(set(failed)) if url.startswith("file:")]
    findings += link_findings(name, html, html_path, site, project_pages)
    findings += duplicate_ids(name, html, survey)
    findings += pdf_findings(name, html_path.with_suffix(".pdf"), survey)
    return findings


def short(url: str, site: Path) -> str:
    path = Path(unquote(urlparse(url).path))
    try:
        return path.relative_to(site.resolve()).as_posix()
    except ValueError:
        return path.name


def slide_findings(name: str, survey: dict) -> list[Finding]:
    findings = []
    width, height = survey["width"], survey["height"]
    for s in survey["slides"]:
        n, title = s["index"], s["title"]
        if not s["scrollable"] and s["bottom"] > height + TOLERANCE_PX:
            culprit = f" (lowest element: {s['culprit']})" if s["culprit"] else ""
            findings.append(Finding(name, n, title, "overflow",
                                    f"content runs {s['bottom'] - height:.0f}px below the slide "
                                    f"({s['bottom']:.0f} of {height}px){culprit}"))
        if s["right"] > width + TOLERANCE_PX:
            findings.append(Finding(name, n, title, "overflow",
                                    f"content runs {s['right'] - width:.0f}px past the right edge"))
        for img in s["images"]:
            if not img["ok"]:
                findings.append(Finding(name, n, title, "image", f"image does not load: {img['src']}"))
            if not img["decorative"] and not img["alt"]:
                findings.append(Finding(name, n, title, "alt-text",
                                        f"image without alt text: {img['src']}"))
        if s["empty"]:
            findings.append(Finding(name, n, title, "empty", "slide has no content"))
    return findings


HREF = re.compile(r'<a\b[^>]*\bhref="([^"]+)"')
IDS = re.compile(r'\bid="([^"]+)"')


def link_findings(name: str, html: str, html_path: Path, site: Path,
                  project_pages: set[str]) -> list[Finding]:
    """Internal links must point at an existing file (or a deck of the project) and, with
    #anchor, an existing id."""
    findings = []
    own_ids = set(IDS.findall(html))
    for href in sorted(set(unescape(h) for h in HREF.findall(html))):
        if re.match(r"^[a-z][a-z0-9+.-]*:|^//", href, re.I):
            continue
        target, _, anchor = href.partition("#")
        anchor = anchor.lstrip("/")
        if not target:
            if anchor and not anchor.isdigit() and anchor not in own_ids and "/" not in anchor:
                findings.append(Finding(name, 0, "", "link", f"link to a missing anchor: #{anchor}"))
            continue
        path = (html_path.parent / unquote(target)).resolve()
        inside = site.resolve() in path.parents
        if inside and not path.exists() and path.relative_to(site.resolve()).as_posix() in project_pages:
            continue  # a deck of the project that this build did not render
        if not path.exists():
            findings.append(Finding(name, 0, "", "link", f"link to a missing file: {href}"))
        elif anchor and path.suffix == ".html" and not anchor.isdigit() \
                and f'id="{anchor}"' not in path.read_text(encoding="utf-8"):
            findings.append(Finding(name, 0, "", "link", f"link to a missing anchor: {href}"))
    return findings


def duplicate_ids(name: str, html: str, survey: dict) -> list[Finding]:
    seen: dict[str, int] = {}
    findings = []
    for s in survey["slides"]:
        if s["id"] and s["id"] in seen:
            findings.append(Finding(name, s["index"], s["title"], "duplicate-id",
                                    f"slide id '{s['id']}' is also used by slide {seen[s['id']]}"))
        seen.setdefault(s["id"], s["index"])
    return findings


def pdf_findings(name: str, pdf: Path, survey: dict) -> list[Finding]:
    if not pdf.exists():
        return [Finding(name, 0, "", "pdf", "no PDF next to the slides")]
    reader = PdfReader(pdf)
    slides = len(survey["slides"])
    findings = []
    if len(reader.pages) != slides:
        findings.append(Finding(name, 0, "", "pdf",
                                f"PDF has {len(reader.pages)} pages for {slides} slides"))
    text = normalise(" ".join(page.extract_text() or "" for page in reader.pages))
    for s in survey["slides"]:
        for note in s["notes"]:
            probe = normalise(note)[:60]
            if len(probe) >= 20 and probe in text:
                findings.append(Finding(name, s["index"], s["title"], "pdf",
                                        "speaker notes are printed in the PDF"))
                break
    return findings


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def write_report(findings: list[Finding], path: Path) -> None:
    counts = Counter(f.check for f in findings)
    data = {"findings": [asdict(f) for f in findings], "counts": dict(sorted(counts.items()))}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
