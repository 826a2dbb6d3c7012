"""
What the portal ships with, so a published file can be imported on the first day: the
authority register (England, the nine regions, the demonstration's authorities, and the
reorganisations and code changes a series must not silently cross) and the mappings of the
DfE's explore-education-statistics (EES) underlying-data files the seeds use.

The data is written out here, frozen, as migrations must be: a change later is a new
migration or an administrator's edit (Django admin), never an edit of this file.

Works on an empty database and over one where the demonstration already loaded
authorities by name without codes: a row is found by its ONS code, else by a former code
of the same authority, else by its name where the register and the database each hold
one authority of that name and kind without a code (the row is then given its codes).
Nothing stored is deleted; a mapping an administrator already has (same code and file
pattern) is left as it is. Running it twice changes nothing.

The column names are the EES files' as published at the time of writing; each mapping is
data an administrator can correct in the Django admin (a file's preview counts the rows
no mapping reads, so a renamed column shows).
"""

import datetime

from django.db import migrations

LA, REGION, ENGLAND = "local_authority", "region", "england"
APRIL_2019 = datetime.date(2019, 4, 1)
APRIL_2021 = datetime.date(2021, 4, 1)
APRIL_2023 = datetime.date(2023, 4, 1)
DAY = datetime.timedelta(days=1)

NE, NW, YH = "North East", "North West", "Yorkshire and The Humber"
EM, WM, EE = "East Midlands", "West Midlands", "East of England"
LON, SE, SW = "London", "South East", "South West"

# (ONS code, name as the DfE writes it)
REGIONS = [
    ("E12000001", NE),
    ("E12000002", NW),
    ("E12000003", YH),
    ("E12000004", EM),
    ("E12000005", WM),
    ("E12000006", EE),
    ("E12000007", LON),
    ("E12000008", SE),
    ("E12000009", SW),
]

# (ONS code, DfE LA code, name, region, active from, active to)
AUTHORITIES = [
    # The demonstration's: Sandwell and both of its statistical neighbour groups.
    ("E08000028", "333", "Sandwell", WM, None, None),
    ("E08000025", "330", "Birmingham", WM, None, None),
    ("E06000008", "889", "Blackburn with Darwen", NW, None, None),
    ("E08000026", "331", "Coventry", WM, None, None),
    ("E06000015", "831", "Derby", EM, None, None),
    ("E06000032", "821", "Luton", EE, None, None),
    ("E06000018", "892", "Nottingham", EM, None, None),
    ("E06000031", "874", "Peterborough", EE, None, None),
    ("E06000021", "861", "Stoke-on-Trent", WM, None, None),
    ("E08000030", "335", "Walsall", WM, None, None),
    ("E08000031", "336", "Wolverhampton", WM, None, None),
    ("E06000010", "810", "Kingston upon Hull, City of", YH, None, None),
    ("E08000005", "354", "Rochdale", NW, None, None),
    ("E08000032", "380", "Bradford", YH, None, None),
    ("E06000002", "806", "Middlesbrough", NE, None, None),
    ("E08000004", "353", "Oldham", NW, None, None),
    # Reorganised: the old authorities end, the new ones start; neither series joins another.
    ("E06000028", "837", "Bournemouth", SW, None, APRIL_2019 - DAY),
    ("E06000029", "836", "Poole", SW, None, APRIL_2019 - DAY),
    ("E10000009", "835", "Dorset", SW, None, APRIL_2019 - DAY),
    ("E06000058", "839", "Bournemouth, Christchurch and Poole", SW, APRIL_2019, None),
    ("E06000059", "838", "Dorset", SW, APRIL_2019, None),
    ("E10000021", "928", "Northamptonshire", EM, None, APRIL_2021 - DAY),
    ("E06000061", "940", "North Northamptonshire", EM, APRIL_2021, None),
    ("E06000062", "941", "West Northamptonshire", EM, APRIL_2021, None),
    ("E10000006", "909", "Cumbria", NW, None, APRIL_2023 - DAY),
    ("E06000063", "942", "Cumberland", NW, APRIL_2023, None),
    ("E06000064", "943", "Westmorland and Furness", NW, APRIL_2023, None),
    # Same authority, new code (`FORMER_CODES`).
    ("E08000037", "390", "Gateshead", NE, None, None),
    ("E06000057", "929", "Northumberland", NE, None, None),
    ("E06000065", "815", "North Yorkshire", YH, None, None),
    ("E06000066", "933", "Somerset", SW, None, None),
]

# (old ONS code, the new one, the last day of the old). Gateshead's and Northumberland's
# codes changed with their boundary on 1 April 2013 (ONS); North Yorkshire and Somerset
# became unitary councils on 1 April 2023 with the same area: the same series.
FORMER_CODES = [
    ("E08000020", "E08000037", datetime.date(2013, 3, 31)),
    ("E06000048", "E06000057", datetime.date(2013, 3, 31)),
    ("E10000023", "E06000065", APRIL_2023 - DAY),
    ("E10000027", "E06000066", APRIL_2023 - DAY),
]

# (old code, the codes of the authorities that took over from it)
REORGANISATIONS = [
    ("E06000028", ["E06000058"]),
    ("E06000029", ["E06000058"]),
    ("E10000009", ["E06000059"]),
    ("E10000021", ["E06000061", "E06000062"]),
    ("E10000006", ["E06000063", "E06000064"]),
]

# --- the mappings ----------------------------------------------------------------------

PERCENT, RATE, RATIO = "percent", "rate_per_10000", "ratio"
HIGHER, LOWER, NEITHER = "higher_is_better", "lower_is_better", ""
AT_MARCH, YEAR_TO_MARCH, AT_SEPTEMBER = "at_march", "financial_year", "at_september"

CLA = "Children looked after in England including adoptions"
CLA_CITED = "DfE, children looked after"
CLA_RATES = "cla_number_and_rate_per_10k_children*.csv"
CLA_PLACEMENTS = "la_cla_on_31_march_by_characteristics*.csv"
CARE_LEAVERS = "la_care_leavers_activity_and_accommodation*.csv"
CIN = "Children in need"
CIN_CITED = "DfE, children in need"
CSWW = "Children's social work workforce"
CSWW_CITED = "DfE, children's social work workforce"
CSWW_FILE = "csww_indicators*.csv"


def _cla(population):
    return {"population_count": population}


def _placed(characteristic):
    return {"cla_group": "Placement", "characteristic": characteristic}


def _leavers(characteristic):
    return {"age": "Aged 19 to 21", "characteristic": characteristic}


AT_31_MARCH = _cla("Children looked after at 31 March each year")
STARTS = _cla("Children starting to be looked after each year")
CEASES = _cla("Children ceasing to be looked after each year")

# (code, title, publication, cited as, file pattern, year basis, filters, indicator, unit,
#  polarity). Counts that the portal benchmarks as rates are mapped to the published rate
# (demand's `comparator_subjects`). KPI codes are reused between frameworks: each title
# names the framework whose KPI the figure is the counterpart of.
MAPPINGS = [
    # Children looked after.
    ("children_in_care", "Children looked after at 31 March, rate per 10,000", CLA, CLA_CITED,
     CLA_RATES, AT_MARCH, AT_31_MARCH, "rate_per_10000", RATE, LOWER),
    ("PI7", "KPI 7 (2024 framework): rate of children we care for per 10,000", CLA, CLA_CITED,
     CLA_RATES, AT_MARCH, AT_31_MARCH, "rate_per_10000", RATE, LOWER),
    ("entered_care", "Children starting to be looked after in the year, rate per 10,000", CLA,
     CLA_CITED, CLA_RATES, YEAR_TO_MARCH, STARTS, "rate_per_10000", RATE, NEITHER),
    ("ceased_care", "Children ceasing to be looked after in the year, rate per 10,000", CLA,
     CLA_CITED, CLA_RATES, YEAR_TO_MARCH, CEASES, "rate_per_10000", RATE, NEITHER),
    ("cla_placed_foster_pct", "Children looked after at 31 March in foster placements (%)", CLA,
     CLA_CITED, CLA_PLACEMENTS, AT_MARCH, _placed("Foster placements"), "percentage", PERCENT,
     HIGHER),
    ("cla_placed_adoption_pct", "Children looked after at 31 March placed for adoption (%)", CLA,
     CLA_CITED, CLA_PLACEMENTS, AT_MARCH, _placed("Placed for adoption"), "percentage", PERCENT,
     NEITHER),
    ("cla_placed_with_parents_pct", "Children looked after at 31 March placed with parents (%)",
     CLA, CLA_CITED, CLA_PLACEMENTS, AT_MARCH,
     _placed("Placement with parents or other person with parental responsibility"),
     "percentage", PERCENT, NEITHER),
    ("cla_placed_childrens_homes_pct",
     "Children looked after at 31 March in secure homes and children's homes (%)", CLA,
     CLA_CITED, CLA_PLACEMENTS, AT_MARCH, _placed("Secure homes and children's homes"),
     "percentage", PERCENT, LOWER),
    ("cla_placed_independent_living_pct",
     "Children looked after at 31 March in independent or semi-independent living (%)", CLA,
     CLA_CITED, CLA_PLACEMENTS, AT_MARCH,
     _placed("Independent and semi-independent living arrangements/supported accommodation"),
     "percentage", PERCENT, NEITHER),
    # Care leavers aged 19 to 21 (children looked after publication).
    ("care_leavers_in_touch", "Care leavers aged 19 to 21 the authority is in touch with (%)",
     CLA, CLA_CITED, CARE_LEAVERS, YEAR_TO_MARCH, _leavers("In touch with local authority"),
     "percentage", PERCENT, HIGHER),
    ("care_leavers_eet", "Care leavers aged 19 to 21 in education, employment or training (%)",
     CLA, CLA_CITED, CARE_LEAVERS, YEAR_TO_MARCH,
     _leavers("In education, employment or training"), "percentage", PERCENT, HIGHER),
    ("care_leavers_suitable_accommodation",
     "Care leavers aged 19 to 21 in suitable accommodation (%)", CLA, CLA_CITED, CARE_LEAVERS,
     YEAR_TO_MARCH, _leavers("Accommodation considered suitable"), "percentage", PERCENT, HIGHER),
    # Children in need, referrals and child protection.
    ("referrals", "Referrals in the year, rate per 10,000", CIN, CIN_CITED,
     "c1_children_in_need_referrals_and_rereferrals*.csv", YEAR_TO_MARCH, {}, "Referrals_rate",
     RATE, NEITHER),
    ("re_referral_rate", "Re-referrals within 12 months of a previous referral (%)", CIN,
     CIN_CITED, "c1_children_in_need_referrals_and_rereferrals*.csv", YEAR_TO_MARCH, {},
     "Re_referrals_percent", PERCENT, LOWER),
    ("s47_enquiries", "Section 47 enquiries in the year, rate per 10,000", CIN, CIN_CITED,
     "d1_s47_and_icpcs*.csv", YEAR_TO_MARCH, {}, "S47_rate", RATE, NEITHER),
    ("icpc", "Initial child protection conferences in the year, rate per 10,000", CIN,
     CIN_CITED, "d1_s47_and_icpcs*.csv", YEAR_TO_MARCH, {}, "ICPC_rate", RATE, NEITHER),
    ("children_in_need", "Children in need at 31 March, rate per 10,000", CIN, CIN_CITED,
     "b1_children_in_need*.csv", AT_MARCH, {}, "At31_episodes_rate", RATE, NEITHER),
    ("cp_plans", "Children on a child protection plan at 31 March, rate per 10,000", CIN,
     CIN_CITED, "d3_cpp_at31march*.csv", AT_MARCH, {}, "CPP_At31_rate", RATE, LOWER),
    ("PI4", "KPI 4 (2024 framework): children on a child protection plan per 10,000", CIN,
     CIN_CITED, "d3_cpp_at31march*.csv", AT_MARCH, {}, "CPP_At31_rate", RATE, LOWER),
    # The children's social work workforce census, at 30 September.
    ("csww_agency_rate", "Agency social workers (FTE rate, %)", CSWW, CSWW_CITED, CSWW_FILE,
     AT_SEPTEMBER, {}, "agency_rate_fte", PERCENT, LOWER),
    ("csww_vacancy_rate", "Social worker vacancies (FTE rate, %)", CSWW, CSWW_CITED, CSWW_FILE,
     AT_SEPTEMBER, {}, "vacancy_rate_fte", PERCENT, LOWER),
    ("PI12", "KPI 12 (2024 framework): social worker vacancy rate (%)", CSWW, CSWW_CITED,
     CSWW_FILE, AT_SEPTEMBER, {}, "vacancy_rate_fte", PERCENT, LOWER),
    ("csww_turnover_rate", "Social worker turnover (FTE rate, %)", CSWW, CSWW_CITED, CSWW_FILE,
     AT_SEPTEMBER, {}, "turnover_rate_fte", PERCENT, LOWER),
    ("csww_caseload", "Average caseload of a case-holding children's social worker", CSWW,
     CSWW_CITED, CSWW_FILE, AT_SEPTEMBER, {}, "caseload_fte", RATIO, LOWER),
]


def _by_name(authority, *, name, kind, ambiguous):
    """The one row of this name and kind without a code, or None."""
    if name in ambiguous:
        return None
    found = list(authority.objects.filter(code="", kind=kind, name__iexact=name)[:2])
    return found[0] if len(found) == 1 else None


def _place(authority, former_code, *, code, name, kind, ambiguous, old_code="", **fields):
    """The authority of this code, found or made, with its fields set where blank."""
    row = authority.objects.filter(code=code).first()
    if row is None:
        former = former_code.objects.filter(code=code).select_related("authority").first()
        row = former.authority if former else None
    if row is None and old_code:
        # Stored under its old code (North Yorkshire as E10000023): the same authority,
        # now known by its new code; the old one becomes a former code below.
        row = authority.objects.filter(code=old_code).first()
        if row is not None:
            row.code = code
    if row is None:
        row = _by_name(authority, name=name, kind=kind, ambiguous=ambiguous)
        if row is not None:
            row.code = code
    if row is None:
        row = authority(code=code, name=name, kind=kind)
    for field, value in fields.items():
        # An administrator's own value stands; a blank is filled in.
        if value and not getattr(row, field):
            setattr(row, field, value)
    row.save()
    return row


def ship(apps, schema_editor):
    authority = apps.get_model("comparators", "Authority")
    former_code = apps.get_model("comparators", "FormerCode")
    published_measure = apps.get_model("comparators", "PublishedMeasure")
    names = [name for _code, _la, name, *_rest in AUTHORITIES]
    ambiguous = {name for name in names if names.count(name) > 1}
    place = {"authority": authority, "former_code": former_code, "ambiguous": ambiguous}
    _place(**place, code="E92000001", name="England", kind=ENGLAND)
    for code, name in REGIONS:
        _place(**place, code=code, name=name, kind=REGION)
    old_codes = {new: old for old, new, _until in FORMER_CODES}
    by_code = {}
    for code, la_code, name, region, active_from, active_to in AUTHORITIES:
        by_code[code] = _place(
            **place,
            code=code,
            old_code=old_codes.get(code, ""),
            name=name,
            kind=LA,
            la_code=la_code,
            region=region,
            active_from=active_from,
            active_to=active_to,
        )
    for old, new, until in FORMER_CODES:
        if authority.objects.filter(code=old).exists():
            # Someone keeps another authority under the old code: left for them to settle
            # (Django admin), rather than one code naming two authorities.
            continue
        former_code.objects.get_or_create(
            code=old, defaults={"authority": by_code[new], "until": until}
        )
    for old, new in REORGANISATIONS:
        by_code[old].replaced_by.add(*(by_code[code] for code in new))
    for code, title, publication, cited, pattern, basis, filters, indicator, unit, polarity in (
        MAPPINGS
    ):
        published_measure.objects.get_or_create(
            code=code,
            file_pattern=pattern,
            defaults={
                "title": title,
                "publication": publication,
                "cited_as": cited,
                "time_identifier": "Reporting year",
                "year_basis": basis,
                "filters": filters,
                "indicator": indicator,
                "unit": unit,
                "polarity": polarity,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("comparators", "0003_published_statistics")]

    # Undone, the rows stay: they may hold figures by now, and they harm nothing.
    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
