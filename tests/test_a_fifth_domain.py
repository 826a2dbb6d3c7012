"""
A new domain is its own folder and one line in INSTALLED_APPS: nothing else is edited.

A throwaway app is written to a temporary folder and installed by a settings module that
only appends it to INSTALLED_APPS; a fresh interpreter then finds its page, its link in the
navigation (shown to the role it registered, in its place), its role among a person's
choices, and its part of the demonstration, with `manage.py check` clean.
"""

import json
import os
import subprocess
import sys
import textwrap

from django.conf import settings

FILES = {
    "fifth/__init__.py": "",
    "fifth/apps.py": """
        from django.apps import AppConfig


        class FifthConfig(AppConfig):
            name = "fifth"

            def ready(self):
                from opb_portal.accounts.permissions import Action
                from opb_portal.accounts.roles import DemoPerson, SubmitterRole
                from opb_portal.core import domains

                domains.register(
                    domains.Domain(
                        name="fifth",
                        label="fifth",
                        pages=domains.Pages("fifth.urls", prefix="fifth/"),
                        navigation=(
                            domains.Link("Fifth", "fifth:page", order=60),
                            domains.Link(
                                "Fifth's rules", "fifth:rules", order=140,
                                action=Action.MANAGE_FRAMEWORKS,
                            ),
                        ),
                        submitter=SubmitterRole(
                            "fifth_submitter", "Trust submitter: fifth",
                            demo_person=DemoPerson("fifth.submitter", "Fi", "Fth"),
                        ),
                        demo=domains.DemoLoader(order=50, load=lambda: 5, says="Loaded {} fifths."),
                    )
                )
    """,
    "fifth/urls.py": """
        from django.urls import path
        from django.views.generic import TemplateView

        app_name = "fifth"
        page = TemplateView.as_view(template_name="fifth/page.html")
        urlpatterns = [path("", page, name="page"), path("rules/", page, name="rules")]
    """,
    "fifth/templates/fifth/page.html": """
        {% extends "base.html" %}{% block content %}<h1>Fifth</h1>{% endblock %}
    """,
    "fifth_settings.py": """
        from opb_portal.test_settings import *  # noqa: F403
        from opb_portal.test_settings import INSTALLED_APPS

        INSTALLED_APPS = [*INSTALLED_APPS, "fifth"]
    """,
}

PROBE = """
import json
import re

import django

django.setup()
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse

from opb_portal.accounts.demo import demo_users
from opb_portal.accounts.models import User
from opb_portal.core import domains

call_command("check", fail_level="WARNING")
page = render_to_string("fifth/page.html", {"user": User(role="fifth_submitter")})
nav = re.search(r'aria-label="Main">(.*?)</nav>', page, re.S)[1]
print(json.dumps({
    "url": reverse("fifth:page"),
    "nav": re.findall(r'class="nav-link" href="[^"]+">([^<]+)<', nav),
    "choices": [value for value, _ in User._meta.get_field("role").choices],
    "demo": [loader.says for loader in domains.demo_loaders()],
    "people": [username for username, *_ in demo_users()],
}))
"""


def test_a_fifth_domain_plugs_in_with_its_folder_and_one_setting(tmp_path):
    for name, text in FILES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fifth_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(settings.BASE_DIR)]),
    }
    answer = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env=env,
        timeout=120,
    )
    assert answer.returncode == 0, answer.stderr
    found = json.loads(answer.stdout.strip().splitlines()[-1])

    assert found["url"] == "/fifth/"
    # A submitter sees the domains' pages in order, then the returns; not the rules page.
    assert found["nav"] == [
        "Home",
        "KPI scorecard",
        "Year summary",
        "Finance",
        "Workforce",
        "Demand",
        "Published statistics",
        "Ofsted",
        "Fifth",
        "Exception reports",
        "Meetings",
        "Actions",
        "Decisions",
        "Changes",
        "Risks",
        "Improvement Plan",
        "Audits",
        "Annual review",
        "Returns",
    ]
    assert "fifth_submitter" in found["choices"]
    assert found["choices"][-3:] == ["reviewer", "board_member", "administrator"]
    # Its part of the demonstration runs after the other domains', before the meetings; the
    # board's business (exception reports, the meetings' business) hangs from both.
    # (Ofsted's inspections, at 60, follow it; the reports follow the meetings.)
    ofsted = "Recorded {} Ofsted inspections and visits of Sandwell."
    assert found["demo"][4:] == ["Loaded {} fifths.", ofsted, *found["demo"][-3:]]
    assert found["demo"][-3].startswith("Arranged the OPB meeting")
    assert found["demo"][-2].startswith("Drafted {0} reports to Scrutiny and Cabinet")
    assert found["demo"][-1].startswith("Recorded the board's business")
    assert "fifth.submitter" in found["people"]
