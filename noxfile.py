"""Sessions for the INFO9023 course: `nox -s build` renders the course, `nox -s tests` tests it."""

from __future__ import annotations

import nox

nox.options.sessions = ["build"]
nox.options.reuse_existing_virtualenvs = True
nox.options.default_venv_backend = "uv|virtualenv"


def install(session: nox.Session) -> None:
    """The engine, the packages the course's code cells import, and reveal.js/KaTeX from npm."""
    session.install("-e", ".")
    session.run("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error", external=True)


@nox.session
def build(session: nox.Session) -> None:
    """Render every lecture and lab to slides and PDFs in _site/ (extra args go to deckbuild)."""
    install(session)
    session.run("deckbuild", "build", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite (unit, golden, end-to-end with a real kernel, pandoc and Chromium)."""
    install(session)
    session.run("pytest", *session.posargs)


@nox.session
def preview(session: nox.Session) -> None:
    """Serve one deck and rebuild it on save: nox -s preview -- lectures/03-data-processing.qmd"""
    install(session)
    if not session.posargs:
        session.error("name the deck: nox -s preview -- lectures/03-data-processing.qmd")
    session.run("deckbuild", "preview", *session.posargs)


@nox.session
def publish(session: nox.Session) -> None:
    """Publish _site/ to the gh-pages branch (-- --push to push, -- --folder DIR for a folder)."""
    install(session)
    session.run("deckbuild", "publish", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmark the real course: clean/parallel/no-op/edit builds, PDF export vs decktape."""
    install(session)
    session.run("npm", "ci", "--prefix", "benchmarks", "--no-audit", "--no-fund", "--loglevel=error",
                external=True, env={"PUPPETEER_SKIP_DOWNLOAD": "1"})
    session.run("python", "benchmarks/run.py", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Check style and common bugs with ruff."""
    session.install("ruff==0.17.6")
    session.run("ruff", "check", "src", "tests", "noxfile.py", "figures", "benchmarks")
