"""Test data built in code: one factory per model the tests need."""

import datetime
from decimal import Decimal

import factory

from kpis.models import Framework, KpiDefinition, KpiValue, ThresholdRule
from opb_portal.accounts.models import Organisation, Role, User


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["kind"]

    kind = Organisation.Kind.TRUST
    name = factory.LazyAttribute(
        lambda o: "Sandwell Children's Trust" if o.kind == "trust" else "Sandwell Council"
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    role = Role.BOARD_MEMBER
    organisation = factory.LazyAttribute(
        lambda o: OrganisationFactory(
            kind=Organisation.Kind.TRUST
            if o.role.endswith("_submitter")
            else Organisation.Kind.COUNCIL
        )
    )
    password = factory.django.Password("a-test-password")


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework
        django_get_or_create = ["code"]

    code = "2024"
    name = "2024 contract KPIs"
    effective_from = datetime.date(2024, 4, 1)
    effective_to = None


class KpiDefinitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KpiDefinition

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"PI{n + 1}")
    title = factory.LazyAttribute(lambda o: f"Measure {o.code}")
    unit = "percent"
    measure_type = "local"
    grace_months = 0
    order = factory.Sequence(int)


class ThresholdRuleFactory(factory.django.DjangoModelFactory):
    """By default: green at 80% or more, red at 70% or less."""

    class Meta:
        model = ThresholdRule

    kpi = factory.SubFactory(KpiDefinitionFactory)
    effective_from = factory.LazyAttribute(lambda o: o.kpi.framework.effective_from)
    polarity = "higher_is_better"
    green_lower = Decimal("80")
    green_lower_inclusive = True
    red_below = Decimal("70")
    red_below_inclusive = True


class KpiValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KpiValue

    kpi = factory.SubFactory(KpiDefinitionFactory)
    period = datetime.date(2025, 3, 1)
    value = Decimal("75.0")
