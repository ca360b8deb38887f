"""The `deckbuild` command line."""

from __future__ import annotations

import argparse
import fnmatch
import os
import sys
import tempfile
from pathlib import Path

from .agenda import agenda_table, course_config, replace_agenda, weeks
from .build import BuildOptions, build, private_strings
from .config import Project, load_project
from .errors import DeckError
from .report import Reporter

EPILOG_BUILD = """examples:
  deckbuild build                          render the whole course into _site/
  deckbuild build lectures/03-*.qmd        render just those decks
  deckbuild build --project DIR --out OUT  render another project into OUT
  deckbuild build --no-pdf --jobs 1        HTML only, one deck at a time
"""


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="deckbuild", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Render Quarto reveal.js decks (with executed Python) to slides and PDFs.",
        epilog="Run `deckbuild COMMAND --help` for the options and examples of each command.")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    b = commands.add_parser("build", help="render decks to HTML slides and PDFs",
                            formatter_class=argparse.RawDescriptionHelpFormatter,
                            epilog=EPILOG_BUILD)
    b.add_argument("files", nargs="*", metavar="FILE",
                   help="decks to render (paths or globs); default: every deck of the project")
    add_project_options(b)
    b.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                   help="decks built in parallel (default: number of cores)")
    b.add_argument("--no-cache", action="store_true",
                   help="run every code cell again, ignoring _freeze/")
    b.add_argument("--no-pdf", action="store_true", help="skip the PDFs")
    mode = b.add_mutually_exclusive_group()
    mode.add_argument("--keep-going", action="store_true", default=True,
                      help="build the other decks when one fails (default)")
    mode.add_argument("--fail-fast", action="store_true", help="stop at the first failing deck")
    b.add_argument("--strict", action="store_true",
                   help="run the quality checks (see `deckbuild check`); any finding fails the build "
                        "and the previous site is kept")
    b.add_argument("--report", type=Path, metavar="JSON", help="write the checks' findings as JSON")
    b.add_argument("--quiet", "-q", action="store_true", help="print only the summary")

    c = commands.add_parser("check", help="check rendered decks in a browser (overflow, links, ...)",
                            formatter_class=argparse.RawDescriptionHelpFormatter,
                            epilog=EPILOG_CHECK)
    c.add_argument("files", nargs="*", metavar="FILE", help="decks to check; default: all")
    add_project_options(c)
    c.add_argument("--report", type=Path, metavar="JSON", help="write the findings as JSON")
    c.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, help="decks checked at once")

    a = commands.add_parser("agenda", help="print or update the README's agenda table",
                            formatter_class=argparse.RawDescriptionHelpFormatter,
                            epilog="The table is made from the decks' front matter (week, date, sprint,\n"
                                   "title) and course: in _quarto.yml; links point at course.site-url.\n\n"
                                   "examples:\n  deckbuild agenda            print the table\n"
                                   "  deckbuild agenda --write    rewrite it in README.md\n"
                                   "  deckbuild agenda --check    exit 1 if README.md is out of date")
    add_project_options(a)
    what = a.add_mutually_exclusive_group()
    what.add_argument("--write", action="store_true", help="rewrite the table in README.md")
    what.add_argument("--check", action="store_true", help="fail if README.md's table is out of date")

    v = commands.add_parser("preview", help="serve one deck on localhost and rebuild it on every save",
                            formatter_class=argparse.RawDescriptionHelpFormatter,
                            epilog="examples:\n  deckbuild preview lectures/03-data-processing.qmd\n"
                                   "  deckbuild preview lectures/03-*.qmd --port 4200 --no-browser\n\n"
                                   "Code cells come from the cache (_freeze/) unless their code changed;\n"
                                   "the browser reloads on the slide it shows. Press S for speaker view.")
    v.add_argument("file", metavar="FILE", help="the deck to preview")
    add_project_options(v)
    v.add_argument("--port", type=int, default=4200, help="port on 127.0.0.1 (0: any free port)")
    v.add_argument("--no-browser", action="store_true", help="do not open a browser")

    p = commands.add_parser("publish", help="publish the built site to a git branch or a folder",
                            formatter_class=argparse.RawDescriptionHelpFormatter,
                            epilog="examples:\n"
                                   "  deckbuild publish                    commit _site/ to gh-pages\n"
                                   "  deckbuild publish --push             ... and push it (GitHub Pages)\n"
                                   "  deckbuild publish --folder /srv/www  copy the site into a folder")
    add_project_options(p)
    target = p.add_mutually_exclusive_group()
    target.add_argument("--branch", default="gh-pages", help="git branch to commit the site to")
    target.add_argument("--folder", type=Path, help="copy the site into this folder instead")
    p.add_argument("--push", action="store_true", help="push the branch to origin")
    p.add_argument("--message", "-m", default="Publish the course site", help="commit message")
    return main


EPILOG_CHECK = """checks (each finding names the deck, slide number, slide title and how much):
  overflow      content past the slide box (.scrollable slides are exempt)
  link, image   internal links to missing decks or anchors; images that do not load
  alt-text      images without alt text
  offline       requests to other machines while the deck loads and steps through
  console       JavaScript errors in the console
  pdf           PDF page count differs from the slide count; speaker notes printed
  empty         slides with no content; duplicate-id: two slides with one id

examples:
  deckbuild check                          check the built site (run `deckbuild build` first)
  deckbuild check lectures/03-*.qmd --report check.json
"""


def add_project_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--project", "-p", type=Path, default=Path("."),
                         help="folder holding _quarto.yml (default: current folder)")
    command.add_argument("--out", "-o", type=Path, default=None,
                         help="output folder (default: the project's output-dir, _site)")


def select_decks(project: Project, files: list[str]) -> list[Path]:
    """The decks named on the command line (paths or globs, relative to cwd or the project)."""
    if not files:
        if not project.decks:
            raise DeckError(project.root, None, "no .qmd decks found in the project",
                            "add decks, or list them under project: render: in _quarto.yml")
        return project.decks
    chosen: list[Path] = []
    for pattern in files:
        matches = [d for d in project.decks if matches_pattern(d, pattern, project.root)]
        if not matches:
            raise DeckError(pattern, None, "no deck of the project matches this name",
                            f"decks live under {project.root}; run `deckbuild build` for all")
        chosen += [m for m in matches if m not in chosen]
    return chosen


def matches_pattern(deck: Path, pattern: str, root: Path) -> bool:
    candidates = {Path(pattern).expanduser().resolve(), (root / pattern).resolve()}
    if deck in candidates:
        return True
    rel = deck.relative_to(root).as_posix()
    return fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(str(deck), str(Path(pattern).resolve()))


def run_build(args: argparse.Namespace) -> int:
    project = load_project(args.project, args.out)
    decks = select_decks(project, args.files)
    options = BuildOptions(jobs=max(1, args.jobs), use_cache=not args.no_cache,
                           pdf=not args.no_pdf, fail_fast=args.fail_fast, strict=args.strict,
                           report=args.report)
    report = build(project, decks, options, Reporter(quiet=args.quiet))
    return 1 if report.failed or report.findings or not report.published else 0


def run_check(args: argparse.Namespace) -> int:
    from .check import check_site, write_report  # each command loads only its own tools

    project = load_project(args.project, args.out)
    decks = select_decks(project, args.files)
    pages = [d.relative_to(project.root).with_suffix(".html") for d in decks]
    missing = [p for p in pages if not (project.output_dir / p).exists()]
    if missing:
        raise DeckError(project.output_dir / missing[0], None, "deck not built yet",
                        "run `deckbuild build` first")
    everything = {d.relative_to(project.root).with_suffix(".html").as_posix() for d in project.decks}
    findings = check_site(project.output_dir, pages, args.jobs, private_strings(project), everything)
    if args.report:
        write_report(findings, args.report)
    Reporter().findings(findings)
    return 1 if findings else 0


def run_agenda(args: argparse.Namespace) -> int:
    project = load_project(args.project, args.out)
    base = str(course_config(project).get("site-url", ""))
    table = agenda_table(weeks(project), base=base.rstrip("/") + "/" if base else "")
    if not (args.write or args.check):
        print(table)
        return 0
    readme = project.root / "README.md"
    current = readme.read_text(encoding="utf-8")
    updated = replace_agenda(current, table, readme)
    if args.check:
        if updated != current:
            print("README.md's agenda is out of date: run `deckbuild agenda --write`", file=sys.stderr)
            return 1
        return 0
    readme.write_text(updated, encoding="utf-8")
    print("README.md agenda updated" if updated != current else "README.md agenda already up to date")
    return 0


def run_preview(args: argparse.Namespace) -> int:
    from .preview import serve

    out = args.out or Path(tempfile.mkdtemp(prefix="deckbuild-preview-"))
    project = load_project(args.project, out)
    deck = select_decks(project, [args.file])[0]
    serve(project, deck, args.port, open_browser=not args.no_browser)
    return 0


def run_publish(args: argparse.Namespace) -> int:
    from . import publish

    project = load_project(args.project, args.out)
    if args.folder:
        publish.to_folder(project.output_dir, args.folder)
        print(f"published {project.output_dir} to {args.folder}")
    else:
        publish.to_branch(project.output_dir, args.branch, args.push, args.message, project.root)
        pushed = " and pushed" if args.push else ""
        print(f"published {project.output_dir} to branch {args.branch}{pushed}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        commands = {"build": run_build, "check": run_check, "agenda": run_agenda,
                    "preview": run_preview, "publish": run_publish}
        return commands[args.command](args)
    except DeckError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: the previous site is untouched; the next build resumes", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
