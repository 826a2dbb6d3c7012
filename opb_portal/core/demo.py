"""
The whole demonstration, in order: its people, each domain's figures, the OPB meeting.

`manage.py load_demo` and the test suite's `demo` fixture both load it through here, so the
tests run on exactly what `make demo` shows. Each domain registers its own loader
(`core.domains.DemoLoader`); this module names none.
"""

from collections.abc import Callable

from opb_portal.accounts.demo import load_demo_users
from opb_portal.accounts.models import User
from opb_portal.boardpack.demo import load_demo_meetings

from . import domains


def load_demo(*, say: Callable[[str], object] = lambda line: None) -> list[User]:
    """Load everything, telling `say` one line per part; the demo users, in the order to list."""
    users = load_demo_users()
    for loader in domains.demo_loaders():
        say(loader.says.format(loader.load()))
    meeting = load_demo_meetings()
    say(f"Arranged the OPB meeting of {meeting.date:%d %B %Y}, chaired by {meeting.chair}.")
    return users
