"""
What every import's preview shares: the three states a row can be in, the lists of each,
and the refusal a service raises.

A comparator file, a published statistics file and Ofsted's outcomes each compare what a
file holds with what is stored, and show the rows it would add, change or leave. Each
row (a "planned" row) says its own `state`; `ByState` gives a preview its three lists.
"""

from __future__ import annotations

ADDED, CHANGED, UNCHANGED = "added", "changed", "unchanged"


class Refused(Exception):
    """An act that cannot be done, with a sentence saying why and every problem found."""

    def __init__(self, message: str, problems=()):
        super().__init__(message)
        self.message = message
        self.problems = list(problems)


class ByState:
    """The rows an import would add, change and leave as they are: `rows`, each with a `state`."""

    rows: list

    def in_state(self, state: str) -> list:
        return [planned for planned in self.rows if planned.state == state]

    @property
    def added(self) -> list:
        return self.in_state(ADDED)

    @property
    def changed(self) -> list:
        return self.in_state(CHANGED)

    @property
    def unchanged(self) -> list:
        return self.in_state(UNCHANGED)
