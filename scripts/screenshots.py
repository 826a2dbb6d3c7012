"""
`make screenshots`: every page of README.md's "What is where" table, as each demonstration
user who may open it, at 1366 x 900 and at 390 x 844 (a phone), into var/screenshots/.

The demonstration is loaded into a fresh SQLite file, as `make demo` does, and served by
gunicorn on 127.0.0.1 on a free port in debug mode (as `make demo` serves it); Debian's
Chromium signs in through the login form as each user and keeps a full-page PNG of every
page it may open: var/screenshots/<width>/<user>/<page>.png. A page the person may not open
(403) or that is not theirs (404) is listed, not photographed. var/screenshots/index.md
lists every page with its status and, at each width, how wide the page is: any page wider
than the screen is marked OVERFLOW. The server is stopped whatever happens.

    python scripts/screenshots.py [--users board,admin] [--pages scorecard,finance]
"""

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loopback import free_port, wait_until_up  # noqa: E402 (scripts/ is on the path: run as a file)

from tests.readme_pages import readme_pages  # noqa: E402 (after the path is set)

BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")
OUT = ROOT / "var" / "screenshots"
SIZES = {"1366": {"width": 1366, "height": 900}, "390": {"width": 390, "height": 844}}
USERS = [
    "kpi.submitter",
    "finance.submitter",
    "workforce.submitter",
    "reviewer",
    "board",
    "trust.ceo",
    "admin",
]
PAGE_WIDTH = "() => document.documentElement.scrollWidth"


def photograph(base: str, users: list[str], pages: list[tuple[str, str]]) -> list[str]:
    """Sign in as each user and photograph each page at each size; the index's rows."""
    from playwright.sync_api import sync_playwright

    from opb_portal.accounts.demo import DEMO_PASSWORD

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for username in users:
            for size, viewport in SIZES.items():
                context = browser.new_context(viewport=viewport, reduced_motion="reduce")
                page = context.new_page()
                page.goto(f"{base}/accounts/login/")
                page.get_by_label("Username").fill(username)
                page.get_by_label("Password").fill(DEMO_PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_load_state()
                folder = OUT / size / username
                folder.mkdir(parents=True, exist_ok=True)
                for name, address in pages:
                    response = page.goto(f"{base}{address}")
                    status = response.status if response else 0
                    width = page.evaluate(PAGE_WIDTH)
                    shown = status < 400 or name == "not-found"
                    if shown:
                        page.screenshot(path=folder / f"{name}.png", full_page=True)
                    overflow = " OVERFLOW" if width > viewport["width"] else ""
                    rows.append(
                        f"| {username} | {size} | `{address}` | {status} | "
                        f"{width if shown else ''}{overflow if shown else ''} | "
                        f"{f'{size}/{username}/{name}.png' if shown else ''} |"
                    )
                    print(f"{username:20} {size:>4} {status} {width:>5} {address}", flush=True)
                context.close()
        browser.close()
    return rows


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", help="comma-separated demo users (default: all)")
    parser.add_argument("--pages", help="comma-separated words; pages whose name holds one")
    options = parser.parse_args(argv)
    users = options.users.split(",") if options.users else USERS
    pages = readme_pages()
    if options.pages:
        words = options.pages.split(",")
        pages = [(name, url) for name, url in pages if any(w in name for w in words)]
    if not CHROMIUM.exists():
        sys.exit("screenshots: Debian's Chromium is missing: run `make system-tools`")

    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{OUT}/demo.sqlite3",
        "DJANGO_DEBUG": "True",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_REQUIRE_TWO_FACTOR": "False",
    }
    env.pop("DJANGO_SECRET_KEY", None)

    def manage(*args: str) -> None:
        subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
        )

    print(f"screenshots: the demo on a fresh SQLite file in {OUT}", flush=True)
    manage("migrate", "--noinput")
    manage("load_demo")
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603
        [
            BIN / "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "120",
            "opb_portal.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    try:
        wait_until_up(f"{base}/healthz", server, "screenshots")
        os.environ.update({k: v for k, v in env.items() if k.startswith("DJANGO_")})
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opb_portal.settings")
        os.environ["DATABASE_URL"] = env["DATABASE_URL"]
        import django

        django.setup()
        rows = photograph(base, users, pages)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    (OUT / "demo.sqlite3").unlink(missing_ok=True)
    index = [
        "# Screenshots of README.md's pages, as each demonstration user",
        "",
        "| user | width | page | status | page width (px) | picture |",
        "|---|---|---|---|---|---|",
        *rows,
    ]
    (OUT / "index.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    overflowing = [row for row in rows if "OVERFLOW" in row]
    print(
        f"screenshots: {sum('.png' in r for r in rows)} pictures in {OUT}; "
        f"{len(overflowing)} wider than the screen (index.md)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
