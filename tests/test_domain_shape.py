"""
No file of the machinery names a domain (issue 13): adding a domain edits no file outside it.

The machinery is `opb_portal/` and the shared `templates/`; the domains are the apps at the
project's root. A machinery file may not import a domain app, reverse one of its URLs
('kpis:'), name one of its templates or pages ("kpis/...", "boardpack/kpis/..."), hold its
name or its return's name as a value, or name a role a domain registered. Migrations are
history, and `settings.py` (INSTALLED_APPS) is the one place that composes the portal.
"""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from opb_portal.accounts import roles
from opb_portal.submissions import registry

ROOT = Path(settings.BASE_DIR)
COMPOSITION = {ROOT / "opb_portal" / "settings.py", ROOT / "opb_portal" / "test_settings.py"}


def domain_apps() -> list[str]:
    """The domain apps: every installed app whose package sits at the project's root."""
    return sorted(app.name for app in apps.get_app_configs() if Path(app.path).parent == ROOT)


def machinery_files() -> list[Path]:
    files = [
        *(ROOT / "opb_portal").rglob("*.py"),
        *(ROOT / "templates").rglob("*"),
    ]
    return sorted(
        path
        for path in files
        if path.is_file() and "migrations" not in path.parts and path not in COMPOSITION
    )


def forbidden() -> list[tuple[str, re.Pattern]]:
    """What a machinery file may not say, each with the reason a reader is given."""
    rules = []
    for name in domain_apps():
        word = re.escape(name)
        rules += [
            (f"imports {name}", re.compile(rf"^\s*(from|import)\s+{word}\b", re.MULTILINE)),
            (f"reverses a URL of {name}", re.compile(rf"""['"]{word}:""")),
            (f"names a template or page of {name}", re.compile(rf"(?<![\w.-]){word}/")),
            (f"names {name} as a value", re.compile(rf"""['"]{word}['"]""")),
        ]
    for spec in registry.all_specs():
        word = re.escape(spec.domain)
        rules.append((f"names the {spec.domain} return", re.compile(rf"""['"/]{word}['"/]""")))
    for role in roles.submitter_roles():
        rules.append((f"names the role {role.value}", re.compile(rf"\b{role.value}\b", re.I)))
    return rules


def faults(text: str) -> list[str]:
    return [reason for reason, pattern in forbidden() if pattern.search(text)]


def test_the_domains_are_found():
    # The guard below guards nothing if it finds no domain to look for.
    assert domain_apps() == ["demand", "finance", "governance", "inspections", "kpis", "workforce"]
    assert len(machinery_files()) > 100


def test_no_machinery_file_names_a_domain():
    found = {}
    for path in machinery_files():
        reasons = faults(path.read_text(errors="replace"))
        if reasons:
            found[str(path.relative_to(ROOT))] = reasons
    assert found == {}, "the machinery names a domain: register it from the domain instead"


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("from kpis.models import KpiValue", id="an-import"),
        pytest.param("    import finance.selectors", id="an-indented-import"),
        pytest.param("return redirect('kpis:scorecard')", id="a-url-name"),
        pytest.param("{% url 'demand:comparators' %}", id="a-url-tag"),
        pytest.param('{% include "workforce/partials/types.html" %}', id="a-template"),
        pytest.param('template = "boardpack/finance/pack.html"', id="a-pack-template"),
        pytest.param('<a href="/kpis/scorecard/">KPI scorecard</a>', id="a-page"),
        pytest.param('registry.get("finance")', id="a-domain-as-a-value"),
        pytest.param('path("/returns/activity/2025-03/")', id="a-return's-page"),
        pytest.param('role="kpi_submitter"', id="a-role"),
        pytest.param("Role.WORKFORCE_SUBMITTER", id="a-role-by-its-enum-name"),
    ],
)
def test_the_guard_sees_a_domain_named(line):
    assert faults(line)


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("Each domain registers its navigation.", id="prose"),
        pytest.param("The council's finance officers read the pack.", id="a-word-in-a-sentence"),
        pytest.param("from opb_portal.submissions import registry", id="a-machinery-import"),
        pytest.param("static/css/pack.css", id="a-static-file"),
    ],
)
def test_the_guard_lets_the_machinery_speak(line):
    assert faults(line) == []
