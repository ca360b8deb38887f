"""Benchmark of the real course, measured side by side in one run; prints one table.

Scenarios: clean build serial vs parallel, no-op rebuild, one-deck markdown edit, one-deck code
edit, and PDF export of every deck by our printer vs decktape on the same HTML. Each build runs
the real `deckbuild` command on a copy of the course (the working tree is never touched).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rich.console import Console
from rich.table import Table

from deckbuild.pdf import PrintJob, find_chromium, print_decks

ROOT = Path(__file__).resolve().parents[1]
COURSE_FILES = ["_quarto.yml", "README.md", "lectures", "labs", "figures"]
DECKTAPE = Path(__file__).parent / "node_modules" / ".bin" / "decktape"


def copy_course(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in COURSE_FILES:
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest / name)
    return dest


def children_rss_kib(pid: int) -> int:
    """Memory of a process and all its descendants, in KiB: the sum of their proportional set
    sizes (PSS), so pages shared between Chromium's or the kernels' processes count once."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            status = (entry / "smaps_rollup").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        match = re.search(r"Pss:\s+(\d+)", status)
        rss[int(entry.name)] = int(match.group(1)) if match else 0
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        for child, ppid in parents.items():
            if ppid == parent and child not in tree:
                tree.add(child)
                frontier.append(child)
    return sum(rss.get(p, 0) for p in tree)


def deckbuild(project: Path, *args: str) -> tuple[float, float]:
    """Run one build; return (seconds, peak memory of the whole process tree in MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "deckbuild", "build", "--project", str(project),
                             "--quiet", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, children_rss_kib(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, err = proc.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"build failed:\n{err.decode()[-3000:]}")
    return seconds, peak / 1024


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def decktape(html: Path, pdf: Path, pause: int) -> None:
    subprocess.run([str(DECKTAPE), "reveal", "--chrome-path", find_chromium(), "--chrome-arg=--no-sandbox",
                    "--chrome-arg=--disable-gpu", "--pause", str(pause), "--size", "1050x700",
                    html.resolve().as_uri(), str(pdf)], check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--decktape-pause", type=int, default=1000,
                        help="decktape's --pause in ms (its default is 1000)")
    parser.add_argument("--no-decktape", action="store_true", help="skip the (slow) decktape comparison")
    args = parser.parse_args()
    rows: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory(prefix="deckbuild-bench-") as tmp:
        serial = copy_course(Path(tmp) / "serial")
        parallel = copy_course(Path(tmp) / "parallel")
        t_serial, mem_serial = deckbuild(serial, "--jobs", "1")
        t_par, mem_par = deckbuild(parallel, "--jobs", str(args.jobs))
        rows.append(("clean build, serial (--jobs 1)", t_serial, f"peak {mem_serial:.0f} MiB"))
        rows.append((f"clean build, parallel (--jobs {args.jobs})", t_par,
                     f"{t_par / t_serial:.2f} × serial; peak {mem_par:.0f} MiB"))
        t_noop, _ = deckbuild(parallel)
        rows.append(("no-op rebuild", t_noop, f"{100 * t_noop / t_par:.1f} % of a clean build"))
        lecture = parallel / "lectures" / "04-model-development.qmd"
        edit(lecture, "## ", "## Edited: ")
        t_md, _ = deckbuild(parallel, "lectures/04-model-development.qmd")
        rows.append(("one-deck markdown edit (HTML + PDF)", t_md, "code from the cache"))
        edit(lecture, "```{python}\n", "```{python}\n# benchmark edit\n")
        t_code, _ = deckbuild(parallel, "lectures/04-model-development.qmd")
        rows.append(("one-deck code edit (runs its cells)", t_code, ""))

        site = parallel / "_site"
        htmls = sorted(p for p in site.rglob("*.html") if p.parent != site and "_assets" not in p.parts)
        ours = Path(tmp) / "ours"
        jobs = [PrintJob(h, ours / h.relative_to(site).with_suffix(".pdf")) for h in htmls]
        start = time.perf_counter()
        print_decks(jobs, concurrency=args.jobs)
        t_ours = time.perf_counter() - start
        rows.append((f"PDF export of {len(htmls)} decks: deckbuild", t_ours, "one shared browser"))
        if DECKTAPE.exists() and not args.no_decktape:
            theirs = Path(tmp) / "decktape"
            start = time.perf_counter()
            with ThreadPoolExecutor(args.jobs) as pool:
                list(pool.map(lambda h: decktape(h, theirs / h.relative_to(site).with_suffix(".pdf"),
                                                 args.decktape_pause), htmls))
            t_dt = time.perf_counter() - start
            rows.append((f"PDF export of {len(htmls)} decks: decktape (--pause {args.decktape_pause})",
                         t_dt, f"deckbuild is {t_dt / t_ours:.1f} × faster"))
    table = Table(title=f"deckbuild benchmark ({os.cpu_count()} cores)", title_justify="left")
    table.add_column("scenario")
    table.add_column("seconds", justify="right")
    table.add_column("ratio / notes")
    for name, seconds, note in rows:
        table.add_row(name, f"{seconds:.2f}", note)
    Console(width=120).print(table)


if __name__ == "__main__":
    main()
