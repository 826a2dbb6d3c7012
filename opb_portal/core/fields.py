"""Model fields shared by the domain apps."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db import migrations, models
from django.db.models.query_utils import DeferredAttribute

from opb_portal.core.forms import MonthInput
from opb_portal.core.forms import PeriodField as PeriodFormField
from opb_portal.periods import Period

_YEAR_MONTH = re.compile(r"\d{4}-\d{2}")


class ExactDecimalField(models.Field):
    """
    A Decimal kept exactly as entered: `86.40` stays `86.40`, `40.7` stays `40.7`.

    Django's DecimalField pads every value to a fixed scale, so the API would say
    `86.4000` for a figure the Trust sent as `86.4`. PostgreSQL's unconstrained
    `numeric` keeps the scale it was given; on SQLite (the demo database) the
    value is kept as text, because SQLite would otherwise store a binary float.
    """

    description = "Decimal number kept with the digits entered"

    def db_type(self, connection):
        return "numeric" if connection.vendor == "postgresql" else "text"

    def from_db_value(self, value, expression, connection):
        if value is None or isinstance(value, Decimal):
            return value
        return Decimal(str(value))

    def to_python(self, value):
        if value is None:
            return value
        try:
            number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
        except InvalidOperation as exc:
            raise ValidationError(f"{value!r} is not a number") from exc
        if not number.is_finite():
            raise ValidationError(f"{value!r} is not a finite number")
        return number

    def get_prep_value(self, value):
        return self.to_python(super().get_prep_value(value))

    def get_db_prep_value(self, value, connection, prepared=False):
        value = value if prepared else self.get_prep_value(value)
        if value is not None and connection.vendor != "postgresql":
            return str(value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": forms.DecimalField, **kwargs})


class _PeriodAttribute(DeferredAttribute):
    """Turns what is assigned into a `Period` at once, so an unsaved row reads as a saved one."""

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = self.field.to_python(value)


class PeriodField(models.DateField):
    """
    A reporting month: a `date` column holding the month's first day, a `Period` in code.

    The column is the `date` it always was (a `DateField`'s, so sorting, `Max`, the
    `__day` check of a meeting's month and the migrations stay as they were), but code
    never sees the day: a row gives a `Period`, and a `Period` is what it takes, on
    assignment, in filters (`period=`, `period__gte=`, `period__in=`), in `values()`,
    forms, the admin and fixtures. A date is accepted only when it is a first of the
    month: a 15th is refused with a `ValidationError` rather than quietly read as its
    month, because a stored day that is not the 1st would be a bug somewhere else.
    """

    description = "Reporting month (stored as its first day)"
    descriptor_class = _PeriodAttribute

    default_error_messages = {
        "not_first_day": "%(value)s is not the first of a month: a reporting month is "
        "stored as its first day (%(first)s).",
        "invalid_month": "%(value)r is not a reporting month: write it as 2025-03 or 2025-03-01.",
    }

    def to_python(self, value) -> Period | None:
        if value is None or isinstance(value, Period):
            return value
        if isinstance(value, str):
            value = self._from_text(value)
            if isinstance(value, Period):
                return value
        if isinstance(value, datetime.datetime):
            if value.time() != datetime.time(0):
                raise ValidationError(
                    self.error_messages["invalid_month"],
                    code="invalid_month",
                    params={"value": value.isoformat(sep=" ")},
                )
            value = value.date()
        if isinstance(value, datetime.date):
            if value.day != 1:
                raise ValidationError(
                    self.error_messages["not_first_day"],
                    code="not_first_day",
                    params={"value": value.isoformat(), "first": value.replace(day=1)},
                )
            return Period.from_date(value)
        raise ValidationError(
            self.error_messages["invalid_month"], code="invalid_month", params={"value": value}
        )

    def _from_text(self, text: str) -> Period | datetime.date:
        """`2025-03` as a month, `2025-03-01` as a date (its day is judged by the caller)."""
        text = text.strip()
        try:
            if _YEAR_MONTH.fullmatch(text):
                return Period(int(text[:4]), int(text[5:]))
            return datetime.date.fromisoformat(text)
        except ValueError as exc:  # PeriodError is a ValueError
            raise ValidationError(
                self.error_messages["invalid_month"], code="invalid_month", params={"value": text}
            ) from exc

    def from_db_value(self, value, expression, connection) -> Period | None:
        return None if value is None else Period(value.year, value.month)

    def get_prep_value(self, value) -> datetime.date | None:
        period = self.to_python(models.Field.get_prep_value(self, value))
        return None if period is None else period.first_day

    def value_to_string(self, obj) -> str:
        # Written as the date it is stored as, so fixtures and dumps read the same as before.
        period = self.value_from_object(obj)
        return "" if period is None else period.first_day.isoformat()

    def formfield(self, **kwargs):
        # The admin offers every DateField its calendar, which picks a day: a month is chosen.
        widget = kwargs.get("widget")
        if isinstance(widget, forms.DateInput) or (
            isinstance(widget, type) and issubclass(widget, forms.DateInput)
        ):
            del kwargs["widget"]
        return super().formfield(**{"form_class": PeriodFormField, "widget": MonthInput, **kwargs})


def first_days_only(app_label: str, model_name: str, *fields: str) -> migrations.RunPython:
    """
    A migration step, before a date column becomes a `PeriodField`: it stops the migration
    if any row holds a day other than the 1st, which the field would read as its month
    and write back as the 1st. Nothing is changed; the rows to put right are named.
    """

    def check(apps, schema_editor):
        rows = apps.get_model(app_label, model_name).objects.using(schema_editor.connection.alias)
        for field in fields:
            odd = rows.exclude(**{f"{field}__day": 1}).exclude(**{f"{field}__isnull": True})
            found = list(odd.values_list("pk", field)[:10])
            if found:
                listed = ", ".join(f"#{pk}: {day}" for pk, day in found)
                raise ValueError(
                    f"{app_label}.{model_name}.{field} holds days other than the 1st "
                    f"({listed}): a reporting month is stored as its first day; correct "
                    "these rows, then migrate."
                )

    return migrations.RunPython(check, migrations.RunPython.noop, elidable=True)
