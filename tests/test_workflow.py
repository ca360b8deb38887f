"""The CI workflow does what the README promises: test, strict build, caches, Pages, PR artifacts."""

from __future__ import annotations

from pathlib import Path

import yaml

WORKFLOW = Path(__file__).parents[1] / ".github/workflows/course.yml"


def steps(job: dict) -> dict[str, dict]:
    return {step.get("name") or step.get("uses") or step.get("id"): step for step in job["steps"]}


def test_workflow_runs_tests_and_a_strict_build_on_every_push():
    flow = yaml.safe_load(WORKFLOW.read_text())
    triggers = flow[True]  # YAML reads the key `on` as a boolean
    assert "push" in triggers and "pull_request" in triggers
    build = steps(flow["jobs"]["build"])
    assert build["Tests"]["run"] == "nox -s tests"
    assert "--strict" in build["Build the course (strict quality checks)"]["run"]


def test_workflow_caches_freeze_pip_and_npm():
    build = steps(yaml.safe_load(WORKFLOW.read_text())["jobs"]["build"])
    assert build["Restore the execution cache"]["with"]["path"] == "_freeze"
    assert build["actions/setup-python@v5"]["with"]["cache"] == "pip"
    assert build["actions/setup-node@v4"]["with"]["cache"] == "npm"


def test_workflow_deploys_pages_from_main_and_uploads_pdfs_on_pull_requests():
    flow = yaml.safe_load(WORKFLOW.read_text())
    build = steps(flow["jobs"]["build"])
    assert build["Upload the PDFs (pull requests)"]["if"] == "github.event_name == 'pull_request'"
    assert "refs/heads/main" in build["Upload the site for GitHub Pages"]["if"]
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["permissions"]["pages"] == "write"
    assert any(s.get("uses", "").startswith("actions/deploy-pages") for s in deploy["steps"])
