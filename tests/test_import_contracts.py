"""
The import-linter contracts of pyproject.toml (run by `make lint`): the machinery never
imports a domain app, and the domain apps never import each other.

The tree keeps them; a copy of the tree with one import added breaks them, so the check
is known to catch what it is there for, not only to pass.
"""

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.conf import settings

from opb_portal.core.domains import registered

ROOT = Path(settings.BASE_DIR)
PACKAGES = ("opb_portal", "kpis", "finance", "workforce", "demand", "governance", "inspections")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    """`lint-imports` on `tree`, with its own pyproject.toml, reading the packages there."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"NO_COLOR": "1"}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def tree(tmp_path) -> Path:
    """A copy of the project's packages and pyproject.toml, to add an import to."""
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "migrations", "templates", "static"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def add_import(tree: Path, module: str, line: str) -> None:
    path = tree / (module.replace(".", "/") + ".py")
    path.write_text(f"{line}\n{path.read_text(encoding='utf-8')}", encoding="utf-8")


def test_the_tree_keeps_the_contracts():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_the_copy_keeps_them_before_an_import_is_added(tree):
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "line", "broken", "found"),
    [
        pytest.param(
            "demand.selectors",
            "from finance.selectors import plan_for  # noqa",
            "Domains never import each other BROKEN",
            "demand.selectors -> finance.selectors",
            id="demand-imports-finance",
        ),
        pytest.param(
            "workforce.models",
            "from kpis.models import KpiDefinition  # noqa",
            "Domains never import each other BROKEN",
            "workforce.models -> kpis.models",
            id="workforce-imports-kpis",
        ),
        pytest.param(
            "opb_portal.submissions.registry",
            "import finance.models  # noqa",
            "The machinery never imports a domain BROKEN",
            "opb_portal.submissions.registry -> finance.models",
            id="machinery-imports-a-domain",
        ),
        pytest.param(
            "opb_portal.reference.models",
            "from demand.models import Measure  # noqa",
            "The machinery never imports a domain BROKEN",
            "opb_portal.reference.models -> demand.models",
            id="reference-data-imports-a-domain",
        ),
    ],
)
def test_one_import_across_the_line_breaks_a_contract(tree, module, line, broken, found):
    add_import(tree, module, line)
    result = lint_imports(tree)
    assert result.returncode == 1, result.stdout + result.stderr
    assert broken in result.stdout
    assert found in result.stdout


def test_every_registered_domain_is_named_in_both_contracts():
    """
    import-linter reads a static list of domains: a new domain app that registers itself
    but is left out of pyproject.toml would be checked by neither contract. This makes
    forgetting that line a failure, not a silent gap.
    """
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}
    apps = {domain.name for domain in registered()}
    assert len(apps) >= 4
    assert apps == set(contracts["machinery-below-domains"]["forbidden_modules"])
    assert apps == set(contracts["domains-independent"]["modules"])
    assert apps <= set(config["tool"]["importlinter"]["root_packages"])
    assert apps <= set(PACKAGES)
