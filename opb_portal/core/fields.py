"""Model fields shared by the domain apps."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db import models


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
