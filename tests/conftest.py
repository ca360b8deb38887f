"""Shared helpers: run the real `deckbuild` command and copy fixture courses to temp folders."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Run:
    code: int
    output: str


def deckbuild(*args: str | Path, cwd: Path | None = None) -> Run:
    proc = subprocess.run([sys.executable, "-m", "deckbuild", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=600)
    return Run(proc.returncode, proc.stdout + proc.stderr)


def copy_fixture(name: str, dest: Path) -> Path:
    target = dest / name
    shutil.copytree(FIXTURES / name, target)
    return target


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A private copy of the fixture course, safe to edit."""
    return copy_fixture("course", tmp_path)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def built_course(tmp_path_factory) -> Path:
    """The fixture course built once with the real command; returns its output folder."""
    project = copy_fixture("course", tmp_path_factory.mktemp("e2e"))
    run = deckbuild("build", "--project", project, "--out", project / "public")
    assert run.code == 0, run.output
    return project / "public"
