"""Rendered deck -> PDF: reveal.js print mode in one shared headless Chromium (Playwright)."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import logging
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from playwright.async_api import Browser, async_playwright
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

from .errors import DeckError

logging.getLogger("pypdf").setLevel(logging.ERROR)  # Chromium's PDFs trip harmless warnings

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-quic", "--font-render-hinting=none"]
CHROMIUM_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
READY_JS = """() => new Promise(resolve => {
  const done = () => document.fonts.ready.then(() => {
    document.querySelectorAll('[data-src]').forEach(el => {
      el.setAttribute('src', el.getAttribute('data-src'));
      el.removeAttribute('data-src');
    });
    const images = [...document.images].filter(img => !img.complete);
    Promise.all(images.map(img => new Promise(r => { img.onload = img.onerror = r; })))
      .then(() => resolve(document.querySelectorAll('.pdf-page').length));
  });
  const poll = () => (window.Reveal && Reveal.isReady() && document.querySelector('.pdf-page')
                      && document.querySelector('.pdf-page .footer, .pdf-page .slide-logo') !== null
                         === (document.querySelector('.reveal > .footer, .reveal > .slide-logo') !== null))
    ? setTimeout(done, 50) : setTimeout(poll, 25);
  poll();
})"""


@dataclass
class PrintJob:
    html: Path
    pdf: Path
    title: str = ""
    author: str = ""
    handout: bool = False


@dataclass
class PrintResult:
    job: PrintJob
    pages: int


def find_chromium() -> str:
    explicit = os.environ.get("DECKBUILD_CHROMIUM") or os.environ.get("CHROMIUM_PATH")
    if explicit:
        if not Path(explicit).exists():
            raise DeckError(explicit, None, "DECKBUILD_CHROMIUM points at no file",
                            "set it to the path of a Chromium or Chrome executable")
        return explicit
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise DeckError("chromium", None, "no Chromium found to print PDFs",
                    "install it (Debian: apt-get install chromium) or set DECKBUILD_CHROMIUM")


def print_decks(jobs: list[PrintJob], concurrency: int = 2) -> list[PrintResult]:
    """Print every job with one browser and up to `concurrency` pages at a time."""
    return asyncio.run(_print_all(jobs, max(1, concurrency))) if jobs else []


async def _print_all(jobs: list[PrintJob], concurrency: int) -> list[PrintResult]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=find_chromium(),
                                                   args=CHROMIUM_FLAGS, headless=True)
        try:
            limit = asyncio.Semaphore(concurrency)

            async def run(job: PrintJob) -> PrintResult:
                async with limit:
                    return await print_one(browser, job)

            return list(await asyncio.gather(*(run(job) for job in jobs)))
        finally:
            await browser.close()


async def print_one(browser: Browser, job: PrintJob) -> PrintResult:
    page = await browser.new_page()
    try:
        query = "?print-pdf&handout" if job.handout else "?print-pdf"
        await page.goto(job.html.resolve().as_uri() + query, wait_until="load")
        pages = await page.evaluate(READY_JS)
        tmp = job.pdf.with_name(f".{job.pdf.name}.tmp")
        await page.pdf(path=str(tmp), prefer_css_page_size=True, print_background=True,
                       outline=True, tagged=True)
    finally:
        await page.close()
    await asyncio.to_thread(finish_pdf, tmp, job)  # the browser prints the next deck meanwhile
    return PrintResult(job=job, pages=pages)


NODE_ID = re.compile(rb"\(node\d{8}\)")


def finish_pdf(tmp: Path, job: PrintJob) -> None:
    """Make Chromium's PDF reproducible and complete, then move it into place: structure ids
    renumbered, title/author and build date set, links to local files made relative."""
    raw = NODE_ID.sub(numbered_ids(), tmp.read_bytes())
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(raw)))  # a clone drops Chromium's dated Info
    stamp = build_date()
    writer.add_metadata({"/Title": job.title, "/Author": job.author, "/Creator": "deckbuild",
                         "/Producer": "deckbuild (Chromium)", "/CreationDate": stamp,
                         "/ModDate": stamp})
    for page in writer.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            uri = action.get_object().get("/URI") if action else None
            if uri and str(uri).startswith("file://"):
                target = Path(unquote(urlparse(str(uri)).path))
                rel = os.path.relpath(target, start=job.html.parent)
                action.get_object()[NameObject("/URI")] = TextStringObject(rel)
    with open(tmp, "wb") as handle:
        writer.write(handle)
    job.pdf.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, job.pdf)


def numbered_ids():
    """Chromium names tagged-PDF structure elements after DOM node counters, which differ from run
    to run; renumber them by first appearance (same width) so builds are reproducible."""
    seen: dict[bytes, bytes] = {}

    def replace(match: re.Match) -> bytes:
        return seen.setdefault(match.group(0), b"(node%08d)" % len(seen))

    return replace


def build_date() -> str:
    """PDF date of the build: SOURCE_DATE_EPOCH when set, so builds are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = (dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch
            else dt.datetime.now(dt.UTC)).replace(microsecond=0)
    return when.strftime("D:%Y%m%d%H%M%S+00'00'")

