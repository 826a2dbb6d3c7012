"""
How near the one-month forecast has come, in the words a board member reads.

Over the last 12 one-month-ahead tries of the backtest (fewer on a short series):
`within` is the smallest number such that `hits` of the `tries` absolute errors are at
most it, where `hits` is 9 in 10 of the tries rounded to the nearest whole try (a half
rounds down, so 5 tries give 4): with 10 to 12 tries that is at least 9 in 10, with
fewer it lets one bad month out of the figure rather than making it the figure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

LAST_TRIES = 12


def wanted_hits(tries: int) -> int:
    """9 in 10 of `tries`, rounded to the nearest whole try, a half down: 12 -> 11, 5 -> 4."""
    return (9 * tries + 4) // 10


def within_and_hits(errors: Sequence[float]) -> tuple[float | None, int, int]:
    """(within, hits, tries) over the last 12 errors (oldest first) of one-month forecasts."""
    recent = sorted(abs(e) for e in errors[-LAST_TRIES:])
    if not recent:
        return None, 0, 0
    within = recent[wanted_hits(len(recent)) - 1]
    hits = sum(1 for e in recent if e <= within)  # ties with `within` count too
    return within, hits, len(recent)


def accuracy_sentence(accuracy, fmt_difference: Callable[[float], str]) -> str:
    """
    "Over the last 12 months, the 1-month forecast was within 2.1 points 9 times in 10."
    `fmt_difference` writes a difference in the caller's unit ("2.1 points", "£0.3m").
    Honest about short histories: the months it could be tested, or none.
    """
    tries, hits = accuracy.tries, accuracy.hits
    if tries == 0 or accuracy.within is None:
        return "Not enough history to test this forecast yet."
    within = fmt_difference(accuracy.within)
    if tries == 1:
        return f"Tested on one month only, the 1-month forecast was {within} out."
    if tries >= LAST_TRIES:
        span = f"Over the last {tries} months"
    else:
        span = f"Over the {tries} months it could be tested"
    times = "9 times in 10" if tries >= 10 else f"{_times(hits)} in {tries}"
    return f"{span}, the 1-month forecast was within {within} {times}."


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"
