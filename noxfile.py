"""Sessions for the INFO9023 course: `nox -s build` renders the course, `nox -s tests` tests it."""

from __future__ import annotations

import nox

nox.options.sessions = ["build"]
nox.options.reuse_existing_virtualenvs = True
nox.options.default_venv_backend = "uv|virtualenv"


def install(session: nox.Session, *extras: str) -> None:
    """The engine, the packages the course's code cells import, and reveal.js/KaTeX from npm."""
    target = f".[{','.join(extras)}]" if extras else "."
    session.install("-e", target)
    session.run("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error", external=True)


@nox.session
def build(session: nox.Session) -> None:
    """Render every lecture and lab to slides and PDFs in _site/ (extra args go to deckbuild)."""
    install(session)
    session.run("deckbuild", "build", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite (unit, golden, end-to-end with a real kernel, pandoc and Chromium)."""
    install(session, "test")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Check style and common bugs with ruff."""
    session.install("ruff==0.17.6")
    session.run("ruff", "check", "src", "tests", "noxfile.py", "figures")
