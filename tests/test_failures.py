"""Every kind of broken input fails its deck with file, line and cause; the rest still builds;
interrupted builds recover; builds are reproducible and publish nothing private."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import copy_fixture, deckbuild, write

GOOD = "---\ntitle: Good\n---\n\n## Fine\n\nAll good.\n"


def project(root: Path, decks: dict[str, str | bytes], config: str = "") -> Path:
    write(root / "_quarto.yml", "project:\n  output-dir: out\n" + config)
    for name, content in decks.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return root


def build(root: Path, *args: str):
    return deckbuild("build", "--project", root, "--no-pdf", *args)


def test_kernel_that_dies(tmp_path):
    root = project(tmp_path, {"a.qmd": GOOD, "b.qmd": "## K\n\n```{python}\nimport os\nos._exit(3)\n```\n"})
    run = build(root)
    assert run.code == 1 and "b.qmd:3: the Python kernel died while running this cell" in run.output
    assert "a.qmd" in run.output and "built" in run.output


def test_cell_past_the_timeout(tmp_path):
    slow = "## S\n\n```{python}\nimport time\ntime.sleep(60)\n```\n"
    root = project(tmp_path, {"slow.qmd": slow}, config="execute:\n  timeout: 2\n")
    start = time.monotonic()
    run = build(root)
    assert run.code == 1 and "slow.qmd:3: cell ran longer than 2 s" in run.output
    assert time.monotonic() - start < 45


def test_include_cycle(tmp_path):
    root = project(tmp_path, {"deck.qmd": "## A\n\n{{< include _a.qmd >}}\n",
                              "_a.qmd": "{{< include _b.qmd >}}\n", "_b.qmd": "{{< include _a.qmd >}}\n"})
    run = build(root)
    assert run.code == 1 and "_b.qmd:1: include cycle: deck.qmd -> _a.qmd -> _b.qmd -> _a.qmd" in run.output


def test_non_utf8_file(tmp_path):
    root = project(tmp_path, {"deck.qmd": b"## S\n\nna\xefve\n"})
    run = build(root)
    assert run.code == 1 and "deck.qmd:3: not valid UTF-8" in run.output


def test_image_outside_the_project(tmp_path):
    write(tmp_path / "secret.png", "x")
    root = project(tmp_path / "p", {"deck.qmd": GOOD + "\n![x](../secret.png){fig-alt=\"x\"}\n"})
    run = build(root)
    assert run.code == 1 and "deck.qmd:9: path outside the project: ../secret.png" in run.output


def test_fail_fast_stops_at_the_first_failure(tmp_path):
    bad = "## B\n\n```{python}\nraise ValueError('first')\n```\n"
    root = project(tmp_path, {"a.qmd": bad, "b.qmd": GOOD})
    run = build(root, "--fail-fast", "--jobs", "1")
    assert run.code == 1 and "ValueError: first" in run.output
    assert "skipped: --fail-fast" in run.output


def test_killed_build_leaves_output_and_cache_consistent(tmp_path):
    slow = "## S\n\n```{python}\nimport time\ntime.sleep(3)\nprint('SLOW-DONE')\n```\n"
    root = project(tmp_path, {"a.qmd": GOOD, "slow.qmd": slow}, config="execute:\n  freeze: auto\n")
    assert build(root).code == 0
    before = (root / "out" / "a.html").read_bytes()
    write(root / "a.qmd", GOOD.replace("All good.", "Edited."))
    write(root / "slow.qmd", slow.replace("SLOW-DONE", "SLOW-AGAIN"))
    proc = subprocess.Popen([sys.executable, "-m", "deckbuild", "build", "--project", str(root), "--no-pdf"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(2.5)  # mid-build: the slow cell is running
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert (root / "out" / "a.html").read_bytes() == before  # the old site is intact
    assert "SLOW-AGAIN" not in (root / "_freeze" / "slow.json").read_text()
    run = build(root)
    assert run.code == 0
    assert "Edited." in (root / "out" / "a.html").read_text()
    assert "SLOW-AGAIN" in (root / "out" / "slow.html").read_text()
    assert not [p for p in root.iterdir() if p.name.startswith(".out.")]


def test_ctrl_c_keeps_the_previous_site(tmp_path):
    slow = "## S\n\n```{python}\nimport time\ntime.sleep(20)\n```\n"
    root = project(tmp_path, {"a.qmd": GOOD})
    assert build(root).code == 0
    write(root / "b.qmd", slow)
    proc = subprocess.Popen([sys.executable, "-m", "deckbuild", "build", "--project", str(root), "--no-pdf"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    time.sleep(3)
    proc.send_signal(signal.SIGINT)
    output, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "previous site is untouched" in output
    assert (root / "out" / "a.html").exists() and not (root / "out" / "b.html").exists()


def files(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_two_clean_builds_serial_and_parallel_are_identical(tmp_path):
    root = copy_fixture("course", tmp_path)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    for out, jobs in (("one", "1"), ("two", "2")):  # serial and parallel give the same bundle
        command = [sys.executable, "-m", "deckbuild", "build", "--project", str(root), "--no-cache",
                   "--jobs", jobs, "--out", str(tmp_path / out)]
        subprocess.run(command, env=env, check=True, capture_output=True)
    one, two = files(tmp_path / "one"), files(tmp_path / "two")
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []


def test_nothing_private_reaches_the_bundle(tmp_path, monkeypatch):
    deck = ("## Paths\n\n```{python}\nimport os, pathlib\nprint(os.getcwd())\nprint(pathlib.Path.home())\n"
            "print(os.environ['DECK_API_TOKEN'])\n```\n")
    root = project(tmp_path, {"deck.qmd": deck})
    monkeypatch.setenv("DECK_API_TOKEN", "tok-1234567890-secret")
    run = deckbuild("build", "--project", root, "--strict")
    assert run.code == 0, run.output
    site = "\n".join(p.read_text(errors="ignore") for p in (root / "out").rglob("*")
                     if p.is_file() and p.suffix in (".html", ".json", ".ics"))
    assert str(root) not in site and str(Path.home()) + "/" not in site
    assert "tok-1234567890-secret" not in site and "********" in site
