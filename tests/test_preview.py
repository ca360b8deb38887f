"""Live preview: the served page changes after the deck is edited, and it reloads itself."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request

from tests.conftest import write


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(predicate, timeout: float = 90.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def test_preview_rebuilds_on_save(tmp_path):
    write(tmp_path / "_quarto.yml", "project:\n  output-dir: out\n")
    deck = write(tmp_path / "talk.qmd", "---\ntitle: Talk\n---\n\n## Slide\n\nFIRST-VERSION\n")
    proc = subprocess.Popen([sys.executable, "-m", "deckbuild", "preview", "talk.qmd", "--project",
                             str(tmp_path), "--port", "0", "--no-browser"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = proc.stdout.readline()
        while line and not line.startswith("Serving "):
            line = proc.stdout.readline()
        url = line.split()[1]
        base = url.rsplit("/", 1)[0]
        page = fetch(url)
        assert "FIRST-VERSION" in page and "/__deckbuild/version" in page
        version = fetch(base + "/__deckbuild/version")
        time.sleep(1.0)  # the watcher is up once the first build is served
        deck.write_text(deck.read_text().replace("FIRST-VERSION", "SECOND-VERSION"))
        assert wait_for(lambda: "SECOND-VERSION" in fetch(url)), "page never changed"
        assert wait_for(lambda: fetch(base + "/__deckbuild/version") != version)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
