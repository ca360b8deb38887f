"""A build: select decks, execute (cached), render HTML, print PDFs, publish the site atomically."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import assets, cache
from .config import Project, deck_metadata, deep_merge, read_yaml_file
from .errors import DeckError, display
from .execute import ExecutedCells, assemble, execute_cells, private_values
from .extensions import Extension, filter_files, find_extensions, format_defaults, shortcode_files
from .features import unsupported
from .html import RESOURCES, Page, as_list, json_safe, render_html
from .parse import Document, parse_document
from .report import Reporter
from .shortcodes import mark_shortcodes
from .site import write_site
from .theme import compile_theme

if TYPE_CHECKING:
    from .check import Finding

STATE_FILE = ".deckbuild/state.json"
SECTION = re.compile(r"<section\b")


@dataclass
class BuildOptions:
    jobs: int = os.cpu_count() or 1
    use_cache: bool = True
    pdf: bool = True
    fail_fast: bool = False
    strict: bool = False  # run the quality checks; any finding fails the build
    report: Path | None = None  # where to write the checks' JSON report


@dataclass
class DeckResult:
    source: Path  # relative to the project root
    status: str = "pending"  # built | up to date | failed
    executed: str = "-"  # ran | cached | no code
    slides: int = 0
    pages: int = 0
    cells: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    error: DeckError | None = None
    html_changed: bool = False
    warnings: list[str] = field(default_factory=list)


@dataclass
class BuildReport:
    results: list[DeckResult]
    output_dir: Path
    published: bool
    findings: list[Finding] = field(default_factory=list)

    @property
    def failed(self) -> list[DeckResult]:
        return [r for r in self.results if r.status == "failed"]


def engine_fingerprint() -> str:
    """Hash of the template, filters, CSS and JS: editing any of them re-renders every deck."""
    digest = hashlib.sha256()
    for path in sorted(RESOURCES.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def build(project: Project, decks: list[Path], options: BuildOptions,
          reporter: Reporter) -> BuildReport:
    staging = prepare_staging(project.output_dir)
    node_modules = assets.find_node_modules(project.root)
    assets.install_assets(node_modules, staging)
    state = load_state(staging)
    results = [DeckResult(source=d.relative_to(project.root)) for d in decks]
    reporter.start(results)
    engine = engine_fingerprint()

    def run(result: DeckResult) -> DeckResult:
        if options.fail_fast and any(r.status == "failed" for r in results):
            result.status, result.error = "failed", DeckError(result.source, None, "skipped: --fail-fast")
            return result
        return render_deck(project, result, staging, state, engine, options, reporter)

    with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
        list(pool.map(run, results))
    if options.pdf:
        print_pdfs(results, staging, state, options, reporter)
    if len(decks) == len(project.decks):
        prune(staging, state, {str(r.source) for r in results})
    failed = any(r.status == "failed" for r in results)
    strict = options.strict and not failed
    findings = run_checks(project, staging, results, options, reporter) if strict else []
    published = not failed and not findings
    if published:
        write_site(project, staging, state)
        save_state(staging, state)
        swap_in(staging, project.output_dir)
    else:
        shutil.rmtree(staging, ignore_errors=True)
    reporter.finish(results, published)
    return BuildReport(results, project.output_dir, published, findings)


def run_checks(project: Project, staging: Path, results: list[DeckResult], options: BuildOptions,
               reporter: Reporter) -> list[Finding]:
    from .check import check_site, write_report  # browser tooling loads only when it is needed

    built = [r.source.with_suffix(".html") for r in results if r.status != "failed"]
    pages = {d.relative_to(project.root).with_suffix(".html").as_posix() for d in project.decks}
    findings = check_site(staging, built, options.jobs, private_strings(project), pages)
    if options.report:
        write_report(findings, options.report)
    reporter.findings(findings)
    return findings


def render_deck(project: Project, result: DeckResult, staging: Path, state: dict[str, Any],
                engine: str, options: BuildOptions, reporter: Reporter) -> DeckResult:
    start = time.perf_counter()
    source = project.root / result.source
    try:
        t0 = time.perf_counter()
        doc = parse_document(source, project.root)
        meta = deck_metadata(project, source, doc.front_matter)
        result.warnings += unsupported(doc, meta)
        result.timings["parse"] = time.perf_counter() - t0
        cells = executed_cells(project, doc, meta, result, options, reporter)
        result.cells = cells.cells_run
        result.timings.update(cells.timings)
        markdown = assemble(doc, cells.rendered, cells.inline)
        write_html(project, doc, meta, markdown, cells, result, staging, state, engine, reporter)
        result.status = "built" if result.html_changed else "up to date"
    except DeckError as error:
        result.status, result.error = "failed", error
    except Exception as error:  # an engine bug must not hide which deck triggered it
        result.status = "failed"
        result.error = DeckError(result.source, None, f"internal error: {error!r}",
                                 "please report this with the deck that triggers it")
    result.seconds = time.perf_counter() - start
    reporter.update(result, result.status)
    return result


def executed_cells(project: Project, doc: Document, meta: dict[str, Any], result: DeckResult,
                   options: BuildOptions, reporter: Reporter) -> ExecutedCells:
    """Cell outputs from `_freeze/` when still valid (Quarto's `freeze`), else from a kernel."""
    figure_dir = f"{doc.path.stem}_files/figure-revealjs"
    if not doc.inline_code and not any(c.language in ("python", "mermaid") for c in doc.cells):
        result.executed = "no code"
        return execute_cells(doc, meta, figure_dir)
    freeze = (meta.get("execute") or {}).get("freeze", False)
    freeze_root = project.root / "_freeze"
    key = cache.execution_key(doc, meta, project.root)
    cached = cache.load(freeze_root, result.source) if options.use_cache and freeze else None
    if cached and (freeze is True or cached.key == key) and len(cached.cells) == len(doc.cells):
        result.executed = "cached"
        return ExecutedCells(rendered=cached.cells, figures=cached.figures, inline=cached.inline)
    reporter.update(result, "executing")
    cells = execute_cells(doc, meta, figure_dir)
    result.executed = "ran"
    if freeze:
        cache.store(freeze_root, result.source,
                    cache.CellResults(key, cells.rendered, cells.figures, cells.inline))
    return cells


def write_html(project: Project, doc: Document, meta: dict[str, Any], markdown: str,
               cells: ExecutedCells, result: DeckResult, staging: Path, state: dict[str, Any],
               engine: str, reporter: Reporter) -> None:
    out_html = staging / result.source.with_suffix(".html")
    out_dir = out_html.parent
    rel = str(result.source)
    extensions = find_extensions(doc.path.parent, project.root)
    if meta.get("custom-format"):
        meta = deep_merge(format_defaults(meta["custom-format"], extensions, doc.path), meta)
    depth = len(result.source.parts) - 1
    root_offset = "/".join([".."] * depth) or "."
    page, inputs = prepare_page(project, doc, meta, extensions, staging, root_offset)
    figures = {name: hashlib.sha256(data).hexdigest() for name, data in cells.figures.items()}
    key = hashlib.sha256(json.dumps([engine, markdown, json_safe(meta), figures, digest_files(inputs)],
                                    sort_keys=True).encode()).hexdigest()
    previous = state.get(rel, {})
    if previous.get("html_key") == key and out_html.exists() \
            and refs_unchanged(previous.get("refs", {}), doc.path.parent, out_dir):
        result.slides = previous.get("slides", 0)
        return
    reporter.update(result, "rendering")
    for name, data in cells.figures.items():
        assets.write_atomic(out_dir / name, data)
    t0 = time.perf_counter()
    rendered = render_html(mark_shortcodes(markdown), meta, out_dir, page, doc.path)
    result.timings["pandoc"] = time.perf_counter() - t0
    for what in rendered.unsupported:
        name = what.split("'")[1] if "'" in what else what
        where = f"{display(doc.path)}:{line_of(doc, '{{< ' + name) or '?'}"
        result.warnings.append(f"{where}: not supported yet: {what}")
    copy_dependencies(rendered.dependencies, extensions, staging)
    refs = copy_local_files(project, doc, rendered.local_refs, out_dir, set(cells.figures))
    assets.write_atomic(out_html, rendered.html.encode())
    result.slides = len(SECTION.findall(rendered.html))
    result.html_changed = True
    state[rel] = {"html_key": key, "refs": refs, "slides": result.slides, "pdf_key": None}


def prepare_page(project: Project, doc: Document, meta: dict[str, Any], extensions: dict[str, Extension],
                 staging: Path, root_offset: str) -> tuple[Page, list[Path]]:
    """What the deck's page loads (theme, filters, shortcodes, variables) and the files behind it."""
    scss = [(doc.path.parent / str(t)).resolve() for t in as_list(meta.get("theme"))
            if str(t).endswith(".scss")]
    theme_css = [f"{root_offset}/{assets.ASSETS_DIR}/themes/{compile_scss(project, doc, scss, staging)}"
                 ] if scss else []
    filters = filter_files(as_list(meta.get("filters")), extensions, doc.path, project.root)
    shortcodes = shortcode_files(extensions)
    variables = project.root / "_variables.yml"
    citations = [(doc.path.parent / name).resolve()
                 for key in ("bibliography", "csl") for name in as_list(meta.get(key))]
    extra = {"deckbuild-shortcode-files": shortcodes,
             "deckbuild-variables": json_safe(read_yaml_file(variables)),
             "deckbuild-extension-url": f"{root_offset}/_extensions"}
    out_dir = staging / doc.path.parent.relative_to(project.root)
    page = Page(assets=f"{root_offset}/{assets.ASSETS_DIR}", root_offset=root_offset,
                resource_path=[out_dir, doc.path.parent, project.root], theme_css=theme_css,
                filters=filters, extra_meta=extra)
    return page, [*scss, *filters, *map(Path, shortcodes), variables, *citations]


def compile_scss(project: Project, doc: Document, scss: list[Path], staging: Path) -> str:
    missing = next((p for p in scss if not p.is_file()), None)
    if missing:
        raise DeckError(doc.path, line_of(doc, missing.name), f"theme file not found: {missing.name}",
                        "check the path under theme:")
    node_modules = assets.find_node_modules(project.root)
    return compile_theme(scss, node_modules, staging / assets.ASSETS_DIR / "themes", doc.path)


def digest_files(paths: list[Path]) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "-" for p in paths}


def copy_dependencies(files: list[Path], extensions: dict[str, Extension], staging: Path) -> None:
    """Copy the folders of extensions whose stylesheets or scripts a page loads into the site,
    at the same place below `_extensions/` (the page links them there)."""
    for folder in {e.folder.resolve() for e in extensions.values()}:
        if any(folder in path.resolve().parents for path in files):
            parts = folder.parts
            below = parts[len(parts) - parts[::-1].index("_extensions"):]
            assets.copy_tree(folder, staging.joinpath("_extensions", *below),
                             ignore=("*.lua", "_extension.yml", "_extension.yaml"))


def copy_local_files(project: Project, doc: Document, refs: list[str], out_dir: Path,
                     figures: set[str]) -> dict[str, str]:
    """Copy the images and files a deck points at into the site; return {ref: sha256}."""
    copied = {}
    for ref in refs:
        if ref in figures or ref.endswith(".html") or assets.ASSETS_DIR in Path(ref).parts:
            continue
        src = (doc.path.parent / ref).resolve()
        if project.root not in src.parents:
            raise DeckError(doc.path, line_of(doc, ref), f"path outside the project: {ref}",
                            "keep images and files inside the project folder")
        if not src.is_file():
            raise DeckError(doc.path, line_of(doc, ref), f"file not found: {ref}",
                            "check the path; it is relative to the deck's folder")
        assets.copy_file(src, out_dir / ref)
        copied[ref] = hashlib.sha256(src.read_bytes()).hexdigest()
    return copied


def refs_unchanged(refs: dict[str, str], src_dir: Path, out_dir: Path) -> bool:
    for ref, digest in refs.items():
        src = src_dir / ref
        if not src.is_file() or hashlib.sha256(src.read_bytes()).hexdigest() != digest:
            return False
        if not (out_dir / ref).exists():
            return False
    return True


def line_of(doc: Document, needle: str) -> int | None:
    for block in doc.blocks:
        for line in getattr(block, "lines", []):
            if needle in line.text:
                return line.number
    return None


def private_strings(project: Project) -> list[str]:
    """Values that must never be published: this machine's project path, home, secrets."""
    return [value for value, _ in private_values(project.root)
            if len(value) > 3 and value not in ("/root",)] + [str(project.root)]


def print_pdfs(results: list[DeckResult], staging: Path, state: dict[str, Any],
               options: BuildOptions, reporter: Reporter) -> None:
    todo = []
    for result in results:
        if result.status == "failed":
            continue
        entry = state[str(result.source)]
        printed = (staging / result.source.with_suffix(".pdf")).exists()
        if entry.get("pdf_key") == entry["html_key"] and printed:
            result.pages = entry.get("pages", 0)
        else:
            todo.append(result)
    if todo:
        print_changed(todo, staging, state, options, reporter)


def print_changed(results: list[DeckResult], staging: Path, state: dict[str, Any],
                  options: BuildOptions, reporter: Reporter) -> None:
    from .pdf import PrintJob, print_decks  # browser tooling loads only when there is printing

    jobs, by_job = [], {}
    for result in results:
        pdf = staging / result.source.with_suffix(".pdf")
        html = staging / result.source.with_suffix(".html")
        title, author = pdf_metadata(html)
        handout = pdf.with_name(f"{pdf.stem}-handout.pdf")
        job = PrintJob(html=html, pdf=pdf, title=title, author=author)
        jobs += [job, PrintJob(html, handout, f"{title} (handout)", author, handout=True)]
        by_job[id(job)] = result
        reporter.update(result, "printing")
    t0 = time.perf_counter()
    for printed in print_decks(jobs, concurrency=options.jobs):
        if printed.job.handout:
            continue
        result = by_job[id(printed.job)]
        result.pages = printed.pages
        result.status = "built"
        result.timings["pdf"] = (time.perf_counter() - t0) / max(1, len(by_job))
        entry = state[str(result.source)]
        entry["pdf_key"], entry["pages"] = entry["html_key"], printed.pages
        reporter.update(result, "built")


TITLE = re.compile(r"<title>(.*?)</title>", re.S)
AUTHOR = re.compile(r'<meta name="author" content="([^"]*)"')


def pdf_metadata(html: Path) -> tuple[str, str]:
    text = html.read_text(encoding="utf-8")
    title = TITLE.search(text)
    authors = AUTHOR.findall(text)
    return (unescape(title.group(1).strip()) if title else html.stem, unescape(", ".join(authors)))


# --- the site folder: built aside, swapped in only when the build succeeds -------------------

def prepare_staging(out: Path) -> Path:
    """A private copy of the current site (hard links: cheap) to build into."""
    out.parent.mkdir(parents=True, exist_ok=True)
    recover(out)
    staging = out.with_name(f".{out.name}.staging-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    if out.exists():
        shutil.copytree(out, staging, copy_function=os.link)
    else:
        staging.mkdir()
    return staging


def recover(out: Path) -> None:
    """Undo what an interrupted build left: stale staging folders, a site moved aside."""
    for leftover in out.parent.glob(f".{out.name}.staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for old in sorted(out.parent.glob(f".{out.name}.old-*")):
        if not out.exists():
            old.rename(out)
        else:
            shutil.rmtree(old, ignore_errors=True)


def swap_in(staging: Path, out: Path) -> None:
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def prune(staging: Path, state: dict[str, Any], keep: set[str]) -> None:
    """Remove the outputs of decks that no longer exist in the project."""
    for rel in [r for r in state if r not in keep and not r.startswith("_")]:
        base = staging / Path(rel)
        for path in (base.with_suffix(".html"), base.with_suffix(".pdf"),
                     base.with_name(f"{base.name}-handout.pdf")):
            path.unlink(missing_ok=True)
        shutil.rmtree(base.with_name(f"{base.stem}_files"), ignore_errors=True)
        del state[rel]


def load_state(staging: Path) -> dict[str, Any]:
    try:
        return json.loads((staging / STATE_FILE).read_text())
    except (OSError, ValueError):
        return {}


def save_state(staging: Path, state: dict[str, Any]) -> None:
    assets.write_atomic(staging / STATE_FILE, json.dumps(state, indent=1, sort_keys=True).encode())
