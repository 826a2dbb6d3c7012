"""
htmx cannot act on markup that was never ours (issue 11, section 1).

Escaping is the first defence (test_person_written_text_is_escaped.py); these are the
ones behind it, for the day escaping fails somewhere:

- htmx's own configuration (the `htmx-config` meta of base.html) is locked down, with
  only keys the vendored htmx reads: a key it did not know would be ignored in silence;
- htmx acts on no page unless the page turns it on (hx-disable on <body>), and only the
  return form and a job's page (its progress, polled) do; there every container of
  person-written text carries hx-disable;
- portal.js lets htmx send nothing but a GET (tests/browser/test_htmx_attack.py, which
  also replays the attack in Chromium).

The pages and their hostile data are those of the escaping test (its `world`): here each
piece of person-written text a page shows must sit inside an element with hx-disable.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import tinyhtml5
from django.conf import settings
from django.template.loaders.app_directories import get_app_template_dirs
from django.urls import reverse

from opb_portal.accounts.models import User
from opb_portal.periods import Period
from opb_portal.submissions.models import Return

from .test_person_written_text_is_escaped import (
    PAGES,
    REFUSALS,
    SHORT,
    hostile,
    world,  # noqa: F401 (a fixture: the hostile data set)
)

ROOT = Path(settings.BASE_DIR)
HTMX = ROOT / "static" / "vendor" / "htmx"
TEMPLATES = ROOT / "templates"


def every_template() -> list[tuple[str, Path]]:
    """
    Each of the portal's own templates, by the name the loader finds it under: the shared
    ones, and each of its apps' own (the domains keep their pages in <app>/templates/).
    """
    directories = [TEMPLATES, *get_app_template_dirs("templates")]
    return [
        (str(path.relative_to(directory)), path)
        for directory in map(Path, directories)
        if ROOT in directory.parents and ".venv" not in directory.parts
        for path in directory.rglob("*.html")
    ]


XHTML = "{http://www.w3.org/1999/xhtml}"
APRIL = Period(2025, 4)

#: What base.html must tell htmx, and why each key.
LOCKDOWN = {
    "allowEval": False,  # no hx-on, hx-vals "js:", or event filters run as code
    "allowScriptTags": False,  # a <script> in a swapped response is not run
    "selfRequestsOnly": True,  # requests to this site only: nothing read can leave it
    "historyEnabled": False,  # htmx writes no history entry the page did not
    "historyCacheSize": 0,  # no page (figures) kept in sessionStorage
    "refreshOnHistoryMiss": True,  # Back reloads from the server, with its headers
    "allowNestedOobSwaps": False,  # a response cannot swap into other parts of the page
    "ignoreTitle": True,  # nor retitle it
    "disableInheritance": True,  # an element acts on its own hx-* attributes only
    "includeIndicatorStyles": False,  # no inline <style>: the CSP forbids it
}

#: The templates that turn htmx on (empty `{% block htmx %}`), each reviewed for hx-disable.
HTMX_PAGES = {"submissions/edit.html", "jobs/job.html"}

# Elements whose content a browser never parses as markup: text there cannot be an element.
RAW_TEXT = {"title", "textarea", "script", "style", "noscript"}


def tree(html: str):
    return tinyhtml5.parse(html)


def tag(element) -> str:
    return element.tag.removeprefix(XHTML) if isinstance(element.tag, str) else ""


def loads_htmx(root) -> bool:
    return any("htmx" in e.get("src", "") for e in root.iter(f"{XHTML}script"))


def unguarded_texts(root) -> tuple[list[str], list[str]]:
    """
    Every piece of text carrying an htmx attribute (person-written text with the payload),
    and of those, the ones with no hx-disable on their element or any element around it.
    """
    parents = {child: parent for parent in root.iter() for child in parent}

    def around(element):
        while element is not None:
            yield element
            element = parents.get(element)

    found, unguarded = [], []
    for element in root.iter():
        # An element's text is inside it; its tail, after it, is inside its parent.
        for text, holder in ((element.text, element), (element.tail, parents.get(element))):
            if not text or "hx-" not in text or holder is None:
                continue
            if any(tag(e) in RAW_TEXT for e in around(holder)):
                continue  # never parsed as markup
            found.append(text)
            if not any("hx-disable" in e.attrib for e in around(holder)):
                unguarded.append(f"<{tag(holder)} {dict(holder.attrib)}>: {text.strip()[:120]}")
    return found, unguarded


def problems(html: str, texts: list[str]) -> list[str]:
    """What is wrong with a page: a text it does not show, or text htmx would act on."""
    root = tree(html)
    everything = " ".join(
        [*root.itertext(), *(value for e in root.iter() for value in e.attrib.values())]
    )
    wrong = [f"not on the page: {text[:40]!r}" for text in texts if text not in everything]
    if loads_htmx(root):
        wrong += [f"outside hx-disable: {text}" for text in unguarded_texts(root)[1]]
    return wrong


def _texts(kinds: list[str]) -> list[str]:
    return [kind if kind.endswith(SHORT) else hostile(kind) for kind in kinds]


# --- htmx's own configuration -------------------------------------------------------------


def htmx_config(html: str) -> dict:
    metas = [m for m in tree(html).iter(f"{XHTML}meta") if m.get("name") == "htmx-config"]
    assert len(metas) == 1
    return json.loads(metas[0].get("content"))


def vendored_config_keys() -> set[str]:
    """The keys of htmx.config in the vendored script: the only ones it reads."""
    script = (HTMX / "htmx.min.js").read_text()
    body = script[script.index("config:{") + len("config:{") : script.index("},parseInterval:")]
    keys, depth = set(), 0
    for match in re.finditer(r"[{\[]|[}\]]|(?:^|,)(\w+):", body):
        if match.group(0) in "{[":
            depth += 1
        elif match.group(0) in "}]":
            depth -= 1
        elif depth == 0:
            keys.add(match.group(1))
    return keys


def test_htmx_is_configured_so_injected_markup_cannot_act(db, client):
    page = client.get(reverse("login")).content.decode()

    assert htmx_config(page) == LOCKDOWN


def test_the_vendored_htmx_reads_every_key_of_that_configuration():
    keys = vendored_config_keys()

    # The parse found them all, not only the first ones.
    assert {"historyEnabled", "historyCacheSize", "responseHandling"} <= keys
    assert set(LOCKDOWN) - keys == set()
    version = re.search(r'version:"([^"]+)"', (HTMX / "htmx.min.js").read_text())[1]
    assert (HTMX / "VERSION").read_text().startswith(f"htmx {version} ")


# --- where htmx acts ----------------------------------------------------------------------


def test_only_the_return_form_and_a_jobs_page_turn_htmx_on():
    turning_on = {
        name
        for name, path in every_template()
        if path.name != "base.html" and re.search(r"{%\s*block htmx\s*%}", path.read_text())
    }

    assert turning_on == HTMX_PAGES
    # ...and no page loads htmx but through base.html, where <body> has hx-disable.
    loading = {name for name, path in every_template() if "htmx.min.js" in path.read_text()}
    assert loading == {"base.html"}


def test_htmx_ignores_every_page_that_does_not_turn_it_on(client, reviewer):
    client.force_login(reviewer)

    body = tree(client.get(reverse("submissions:list")).content.decode()).find(f"{XHTML}body")

    assert "hx-disable" in body.attrib


def test_every_page_shows_person_written_text_where_htmx_ignores_it(
    world,  # noqa: F811
    client,
):
    """
    Each page of the escaping test, as the person who sees it, with its hostile data: the
    text is there, and on a page that loads htmx it sits inside hx-disable. One walk over
    one data set (building it takes seconds); the message names every page at fault.
    """
    wrong = {}
    for case in PAGES:
        viewer, page, kinds = case.values
        client.force_login(world["people"][viewer])
        response = client.get(page(world["urls"]))
        assert response.status_code == 200, case.id
        wrong[case.id] = problems(response.content.decode(), _texts(kinds))
    for case in REFUSALS:
        page, kinds = case.values
        wrong[case.id] = problems(world["refusals"][page], _texts(kinds))

    assert {page: found for page, found in wrong.items() if found} == {}


def test_the_admin_loads_no_htmx_so_text_on_its_pages_cannot_drive_it(
    world,  # noqa: F811
    client,
):
    client.force_login(world["people"]["admin"])

    for key in ("admin user", "admin kpi value", "admin rule", "admin comparator import"):
        root = tree(client.get(world["urls"][key]).content.decode())
        assert not loads_htmx(root), key


# --- the return form, where htmx is on ----------------------------------------------------


def test_the_return_form_turns_htmx_on_and_quotes_typed_text_inside_hx_disable(
    world,  # noqa: F811
    client,
):
    """A figure that is not a number comes back quoted: in the summary, under it, by the line."""
    ret = Return.objects.get(domain="kpis", period=APRIL.first_day)
    assert ret.is_editable  # sent back with a query in `world`: the Trust types again
    client.force_login(world["people"]["kpi.submitter"])
    url = reverse("submissions:edit", args=["kpis", APRIL.iso])
    form = {
        f"{code}-{name}": text
        for code, fields in ret.current_version.data.items()
        for name, text in fields.items()
    }
    typed = SHORT  # short enough for a figure's field
    form |= {"PI1-value": typed, "PI2-commentary": hostile("typed commentary")}
    page = client.post(url, {**form, "base_version": ret.current_version.number})

    html = page.content.decode()
    assert page.status_code == 200
    root = tree(html)
    assert loads_htmx(root)
    assert "hx-disable" not in root.find(f"{XHTML}body").attrib
    found, unguarded = unguarded_texts(root)
    # Quoted twice: in the summary of what stops the save, and under the figure itself.
    assert sum(typed in text for text in found) == 2, found
    assert unguarded == [], "\n".join(unguarded)
    # The check sees them: without the page's hx-disable they would be left to htmx.
    assert len(unguarded_texts(tree(html.replace("hx-disable", "data-x")))[1]) >= 2


def test_the_return_form_swaps_each_rag_only_into_a_container_with_hx_disable(demo, client):
    """What htmx fetches as a figure is typed lands where htmx acts on nothing."""
    client.force_login(User.objects.get(username="kpi.submitter"))
    page = tree(client.get(reverse("submissions:edit", args=["kpis", APRIL.iso])).content.decode())

    asking = [e for e in page.iter(f"{XHTML}input") if e.get("hx-get")]
    by_id = {e.get("id"): e for e in page.iter() if e.get("id")}
    assert len(asking) > 10
    assert [
        e.get("id") for e in asking if "hx-disable" not in by_id[e.get("hx-target")[1:]].attrib
    ] == []
