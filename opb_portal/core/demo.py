"""
The whole demonstration, in order: its people, then each part registered with its order.

`manage.py load_demo` and the test suite's `demo` fixture both load it through here, so the
tests run on exactly what `make demo` shows. Each domain registers its own part, and the
board pack its meeting (`core.domains.DemoLoader`); this module names none of them.
"""

from collections.abc import Callable

from opb_portal.accounts.demo import load_demo_users
from opb_portal.accounts.models import User

from . import domains


def load_demo(*, say: Callable[[str], object] = lambda line: None) -> list[User]:
    """Load everything, telling `say` one line per part; the demo users, in the order to list."""
    users = load_demo_users()
    for loader in domains.demo_loaders():
        say(loader.says.format(loader.load()))
    return users
