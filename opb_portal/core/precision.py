"""A measure's precision: the decimal places its figures are published, kept and shown at.

Spreadsheets hand over binary doubles (87.19999999999999 for a sum that shows 87.2);
`spreadsheets.cells` reads them as Excel shows them (15 significant digits), and each
measure then keeps and shows its figures at the places it is published to (one decimal
place for most percentages, two for the few published so). Why, and what is never done
silently: docs/decisions/0007-precision.md.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

from django.core.validators import MaxValueValidator
from django.db import models

MOST_PLACES = 6
"""More places than any figure the Trust publishes; a precision beyond it is a typo."""
_ROOMY = Context(prec=400)  # a cell can hold 1E+308: quantizing it must not overflow


def at_places(value: Decimal | None, places: int) -> Decimal | None:
    """`value` at `places` decimal places, halves rounded up as the published figures are.

    87.25 at one place is 87.3, 61 is 61.0, 80.385 at two places is 80.39.
    """
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP, context=_ROOMY)


def places_of(value: Decimal) -> int:
    """How many decimal places `value` is written with (86.40 has two, 87 none)."""
    return max(0, -value.as_tuple().exponent)


def decimal_places_field(default: int, **kwargs) -> models.PositiveSmallIntegerField:
    """The `decimal_places` field each measure has, with one help text everywhere."""
    return models.PositiveSmallIntegerField(
        default=default,
        validators=[MaxValueValidator(MOST_PLACES)],
        verbose_name="decimal places",
        help_text=(
            "The decimal places the figure is published with (87.2% is 1, 27.73% is 2). "
            "Figures are kept and shown at this precision, and a value is checked against "
            "its numerator and denominator at it."
        ),
        **kwargs,
    )


class Precise(models.Model):
    """A measure whose figures are kept and shown at its `decimal_places`."""

    decimal_places: int

    class Meta:
        abstract = True

    def at_precision(self, value: Decimal | None) -> Decimal | None:
        """`value` as this measure keeps and shows it: what the pages, API and CSV give.

        A figure stored before precision existed (97.40000000000001 from a spreadsheet
        double) is shown as 97.4 and compared as 97.4, without rewriting what is stored.
        """
        return at_places(value, self.decimal_places)

    def read_as(self, found: Decimal, *, shown: str, percent: bool = False) -> str | None:
        """`87.19999999999999 read as 87.2`, when keeping `found` at precision changes it.

        `shown` is the figure as the file held it (a double's full repr), for the person
        to recognise. None when the figure is kept exactly as found.
        """
        kept = self.at_precision(found)
        if kept == found and shown == str(found):
            return None
        if kept == found and Decimal(shown) == found:
            return None  # 86.40 kept as 86.4, or 87 as 87.0: the same figure
        sign = "%" if percent else ""
        places = self.decimal_places
        return (
            f"{shown}{sign} read as {kept}{sign} (kept to {places} decimal "
            f"place{'' if places == 1 else 's'}, as published)."
        )
