"""Illustrative monthly demonstration values for the 2024 contract KPI framework.

April 2024 to March 2025. The values are hand-crafted so that every published
statement in section (b) of the 2024-25 annual review ("Contract KPIs" in
shared/reference/facts_2024_25.md) holds when the monthly values are rated
against the 2024 framework rules (shared/reference/kpi_frameworks.csv).

Only the published statements (ranges, RAG counts, March 2025 positions,
trajectories) are real; every other monthly figure is ILLUSTRATIVE.

Plain Python data: no Django imports and no file access at import time.
Run ``python3 kpis/demo_series.py`` to self-check the data against the rules.
"""

from decimal import Decimal as D

MONTHS: list[str] = [
    "2024-04", "2024-05", "2024-06", "2024-07", "2024-08", "2024-09",
    "2024-10", "2024-11", "2024-12", "2025-01", "2025-02", "2025-03",
]

# Child population (0-17) used as the denominator for the per-10,000 rates.
CHILD_POPULATION = 86835


def _d(*values: str) -> list[D]:
    return [D(v) for v in values]


# Percent-typed KPIs: 12 monthly values, April 2024 .. March 2025.
PERCENT_SERIES: dict[str, list[D]] = {
    #                 Apr      May      Jun      Jul      Aug      Sep      Oct      Nov      Dec      Jan      Feb      Mar
    # PI1 Single Assessments within 45 working days (higher is better).
    # Dip to 68.8% (red) in Oct 2024, recovery to 86.4% (only green) in Mar 2025; mean 78.1%.
    "PI1":  _d("80.1", "81.3", "79.6", "76.9", "75.2", "72.5", "68.8", "73.6", "77.9", "81.2", "83.7", "86.4"),
    # PI2 CiN visits (higher is better): 66.8%..79.7%, green 6 / amber 6, amber at Mar 2025.
    "PI2":  _d("71.4", "74.2", "76.8", "79.7", "77.3", "74.9", "70.6", "66.8", "69.5", "71.9", "73.6", "72.4"),
    # PI3 repeat CP plans within two years (lower is better): small cohort, red in Nov 2024.
    "PI3":  _d("12.5", "16.7", "10.3", "14.2", "18.2", "11.8", "13.6", "24.1", "17.4", "9.5", "12.0", "11.1"),
    # PI5 CwD updated assessment within 12 months (higher is better): 80.39% (Apr) .. 94.8% (Aug).
    "PI5":  _d("80.39", "84.6", "88.2", "91.5", "94.8", "93.1", "91.7", "89.4", "90.6", "92.3", "93.4", "94.1"),
    # PI6 permanence plan by 2nd review (higher is better): 93.2% (Apr) .. 98.1% (Mar).
    "PI6":  _d("93.2", "94.1", "95.6", "94.7", "93.8", "95.3", "96.2", "94.4", "96.8", "97.1", "97.6", "98.1"),
    # PI8 3+ placement moves in 12 months (lower is better): all amber, downward trajectory.
    "PI8":  _d("11.2", "11.4", "11.7", "11.3", "10.9", "10.4", "9.8", "9.3", "9.5", "9.7", "9.9", "10.2"),
    # PI9 placement stability (band 67-75 green): red May-Jul 2024, upward trajectory.
    "PI9":  _d("62.5", "61.7", "61.0", "61.5", "62.2", "62.6", "62.9", "63.3", "63.1", "63.9", "64.7", "63.8"),
    # PI10 pathway plans updated (higher is better): all green, 96.3% (Sep) .. 99.0% (Nov).
    "PI10": _d("97.4", "97.8", "97.1", "96.9", "96.6", "96.3", "97.9", "99.0", "98.6", "98.2", "98.4", "98.5"),
    # PI11 CP plan for over 2 years (lower is better): consistent with the PI4 counts
    # (e.g. Mar 2025 12 of 353 children = 3.4%; Jun 2024 22 of 437 = 5.0%, red).
    "PI11": _d("4.3", "4.6", "5.0", "4.8", "4.1", "3.8", "3.4", "2.9", "2.4", "2.8", "3.2", "3.4"),
    # PI13 child progression supervision (higher is better): 65.46%..75.46%, amber 7 / red 5.
    "PI13": _d("71.82", "69.35", "72.40", "68.91", "65.46", "70.84", "73.17", "69.62", "67.88", "72.95", "75.46", "74.21"),
    # PI14 CiN at 9 months reviewed by a senior manager (higher is better): 32.7% (Apr) .. 87.5% (Sep).
    "PI14": _d("32.7", "58.4", "74.6", "78.9", "83.3", "87.5", "81.2", "76.5", "72.8", "77.4", "80.9", "84.6"),
    # PI15 mainstream carer usage (higher is better): green 10, amber Jul-Aug 2024.
    "PI15": _d("93.4", "94.1", "92.8", "91.3", "90.6", "92.5", "93.7", "94.2", "93.9", "92.6", "93.1", "94.5"),
}

# Rates per 10,000 children: monthly COUNTS of children at period end.
# value = count / CHILD_POPULATION * 10000 (evaluate unrounded).
RATE_COUNTS: dict[str, list[int]] = {
    #        Apr  May  Jun  Jul  Aug  Sep  Oct  Nov  Dec  Jan  Feb  Mar
    # PI4 children on a CP plan (473 at 31 Mar 2024): amber Apr-Sep, green Oct-Mar,
    # downward through the year with a slight rise in March 2025 (353 -> 40.65 per 10,000).
    "PI4": [466, 452, 437, 421, 410, 398, 386, 380, 375, 362, 347, 353],
    # PI7 Children we Care for (808 at 31 Mar 2024): green Apr 2024 and Mar 2025
    # (816 -> 93.97 per 10,000), amber in between.
    "PI7": [813, 822, 829, 835, 838, 841, 836, 832, 829, 826, 821, 816],
}

# PI12 (permanent vacancy rate) is derived from the workforce table, not held here.

COMMENTARY: dict[tuple[str, str], str] = {
    ("PI1", "2024-10"): (
        "Timeliness fell to 68.8% as a backlog of assessments in two locality teams "
        "was closed; recovery plan with weekly tracking of assessments at day 35 agreed."
    ),
    ("PI1", "2025-03"): (
        "Above target for the first time this year (86.4%) following the locality "
        "recovery plan and additional assessment capacity."
    ),
    ("PI3", "2024-11"): (
        "Small cohort: a sibling group re-entering a CP plan within two years pushed "
        "the rate above 22%; cases reviewed by the Quality Assurance service."
    ),
    ("PI9", "2024-06"): (
        "Lowest point of the year (61.0%) after several planned moves to permanent "
        "homes for children in long-term care; stability meetings in place."
    ),
    ("PI11", "2024-06"): (
        "22 children on a CP plan for over two years; each plan reviewed by the "
        "Head of Service with step-down or legal planning where appropriate."
    ),
    ("PI13", "2024-08"): (
        "Summer leave reduced child progression supervision to 65.46%; team managers "
        "asked to schedule catch-up supervision for all children open 8+ weeks."
    ),
    ("PI14", "2024-04"): (
        "Only 32.7% of CiN at 9 months had senior manager review; locality panels "
        "introduced to clear the backlog."
    ),
    ("PI15", "2024-08"): (
        "Usage dipped during the summer as several carers took planned breaks; "
        "vacancies matched as carers returned."
    ),
}

# March 2025, the month of the demonstration's pack: the Trust's own words on its five
# amber KPIs, after the annual review 2024-25, section (b).
COMMENTARY |= {
    ("PI2", "2025-03"): (
        "72.4% of children in need were visited within four weeks, just under the 73% "
        "target after 73.6% in February. Visits missed during staff leave have been rebooked, "
        "and team managers check the visits falling due each week in supervision."
    ),
    ("PI8", "2025-03"): (
        "10.2% of children we care for had three or more moves in the last 12 months, in line "
        "with our comparators (statistical neighbours 9.8%, England 10%) and down from 11.7% "
        "in June. Every third move is reviewed at the placement stability meeting."
    ),
    ("PI9", "2025-03"): (
        "63.8%, within tolerance under the band revised in February. Planned moves of children "
        "to permanent homes lower this measure even when they are the right move; stability "
        "meetings support every long-term home at risk, and the review of how the KPI is "
        "measured is under way with the council."
    ),
    ("PI11", "2025-03"): (
        "3.4% of children on a child protection plan have been on one for over two years, "
        "slightly above our comparators. The Head of Service has reviewed each plan, with "
        "step-down or legal planning where appropriate."
    ),
    ("PI13", "2025-03"): (
        "74.21% of children open for more than 8 weeks were discussed in supervision, up from "
        "65.46% in August but below the 80% target. Child progression supervision is a focus "
        "of the new action plan; team managers' supervision records are audited monthly."
    ),
}

# What the Trust says of any other amber or red month, by KPI: `{value}` is the month's
# figure and `{zone}` "within tolerance" or "in the failure zone". Its returns explain
# every figure the board asks about, so no amber or red line of the demonstration is
# left without commentary (kpis.demo).
STANDING_COMMENTARY: dict[str, str] = {
    "PI1": (
        "{value} of single assessments were completed within 45 working days, {zone}. Most "
        "late assessments were in two locality teams carrying vacancies; every assessment is "
        "tracked at day 35 at the weekly performance meeting."
    ),
    "PI2": (
        "{value} of children in need were visited within four weeks, {zone}. Missed visits "
        "have been rebooked, and team managers check the visits falling due each week."
    ),
    "PI3": (
        "{value} of children starting a child protection plan had one in the last two years, "
        "{zone}. The cohort is small, so one sibling group moves this figure; each repeat plan "
        "is reviewed by the Quality Assurance service."
    ),
    "PI4": (
        "{value} children per 10,000 on a child protection plan, {zone}. We are sampling plans "
        "open for 12 months or more and reviewing thresholds for initial conferences with "
        "partners."
    ),
    "PI5": (
        "{value} of children open to the Children with Disabilities team had an assessment "
        "updated in the last 12 months, {zone}. Overdue reassessments are allocated and the "
        "team manager reviews progress fortnightly."
    ),
    "PI6": (
        "{value} of children we care for had a permanence plan by their second review, {zone}. "
        "Independent Reviewing Officers escalate any plan not ready, and each is tracked at "
        "the permanence panel."
    ),
    "PI7": (
        "{value} children we care for per 10,000, {zone} and close to our statistical "
        "neighbours. Entries to care are agreed at the legal gateway panel; reunification and "
        "special guardianship plans are tracked monthly."
    ),
    "PI8": (
        "{value} of children we care for had three or more moves in the last 12 months, "
        "{zone}. Some moves are planned and positive; every third move is reviewed at the "
        "placement stability meeting."
    ),
    "PI9": (
        "{value} of children in care for 2.5 years or more have lived in the same home for two "
        "years, {zone}. Planned moves to permanent homes lower this measure as well as "
        "disruptions; stability meetings support every long-term home at risk."
    ),
    "PI11": (
        "{value} of children on a child protection plan have been on one for over two years, "
        "{zone}. The Head of Service reviews each of these plans, with step-down or legal "
        "planning where appropriate."
    ),
    "PI13": (
        "{value} of children open for more than 8 weeks were discussed in supervision, {zone}. "
        "Child progression supervision is a focus of the action plan; team managers book "
        "catch-up supervision for every child missed."
    ),
    "PI14": (
        "{value} of children in need at 9 months were reviewed by a senior manager, {zone}. "
        "Locality panels review every plan reaching 9 months, and locality management teams "
        "discuss the rest each week."
    ),
    "PI15": (
        "{value} of mainstream foster carer vacancies were in use, {zone}. Vacancies are "
        "matched as carers return from breaks; the registered fostering manager reviews "
        "capacity weekly."
    ),
}


if __name__ == "__main__":  # pragma: no cover - self-check only
    import csv
    import os
    import re
    import sys
    from decimal import ROUND_HALF_UP
    from fractions import Fraction
    from pathlib import Path

    csv_path = Path(
        sys.argv[1]
        if len(sys.argv) > 1
        else os.environ.get(
            "KPI_FRAMEWORKS_CSV",
            Path(__file__).resolve().parents[2] / "shared" / "reference" / "kpi_frameworks.csv",
        )
    )

    _CMP = re.compile(r"^\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$")

    def parse_rule(expr: str):
        """Parse 'a and b or c and d' into [[(op, Fraction), ...], ...] (OR of ANDs)."""
        alternatives = []
        for alt in re.split(r"\s+or\s+", expr.strip()):
            terms = []
            for term in re.split(r"\s+and\s+", alt.strip()):
                m = _CMP.match(term)
                if not m:
                    raise ValueError(f"cannot parse rule term {term!r} in {expr!r}")
                terms.append((m.group(1), Fraction(m.group(2))))
            alternatives.append(terms)
        return alternatives

    def matches(rule, value: Fraction) -> bool:
        ops = {
            ">=": lambda a, b: a >= b,
            "<=": lambda a, b: a <= b,
            ">": lambda a, b: a > b,
            "<": lambda a, b: a < b,
        }
        return any(all(ops[op](value, bound) for op, bound in alt) for alt in rule)

    def bounds(rule) -> set[Fraction]:
        return {bound for alt in rule for _, bound in alt}

    rules: dict[str, dict] = {}
    with open(csv_path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["framework"] != "2024":
                continue
            rules[row["code"]] = {
                "unit": row["unit"],
                "polarity": row["polarity"],
                "green": parse_rule(row["green"]),
                "amber": parse_rule(row["amber"]),
                "red": parse_rule(row["red"]),
            }
    assert len(rules) == 15, f"expected 15 KPIs for framework 2024, got {len(rules)}"

    def rate(count: int) -> Fraction:
        return Fraction(count * 10000, CHILD_POPULATION)

    def exact_values(code: str) -> list[Fraction]:
        if code in RATE_COUNTS:
            return [rate(c) for c in RATE_COUNTS[code]]
        return [Fraction(v) for v in PERCENT_SERIES[code]]

    def rag(code: str, value: Fraction) -> str:
        hits = [s for s in ("green", "amber", "red") if matches(rules[code][s], value)]
        assert len(hits) == 1, f"{code}: value {float(value)} matches {hits or 'no status'}"
        return hits[0]

    def mon(i: int) -> str:
        return MONTHS[i]

    failures: list[str] = []

    def check(cond: bool, msg: str) -> None:
        if not cond:
            failures.append(msg)

    # ---- structural checks -------------------------------------------------
    assert len(MONTHS) == 12 and MONTHS[0] == "2024-04" and MONTHS[-1] == "2025-03"
    expected_percent = {f"PI{i}" for i in (1, 2, 3, 5, 6, 8, 9, 10, 11, 13, 14, 15)}
    check(set(PERCENT_SERIES) == expected_percent, f"PERCENT_SERIES keys {sorted(PERCENT_SERIES)}")
    check(set(RATE_COUNTS) == {"PI4", "PI7"}, f"RATE_COUNTS keys {sorted(RATE_COUNTS)}")
    check("PI12" not in PERCENT_SERIES and "PI12" not in RATE_COUNTS, "PI12 must not be held here")
    for code, series in PERCENT_SERIES.items():
        check(len(series) == 12, f"{code}: {len(series)} values")
        for v in series:
            check(isinstance(v, D), f"{code}: {v!r} is not a Decimal")
            check(-v.as_tuple().exponent in (1, 2), f"{code}: {v} must have 1 or 2 decimal places")
            check(D(0) <= v <= D(100), f"{code}: {v} outside 0..100")
        check(rules[code]["unit"] == "percent", f"{code}: CSV unit is {rules[code]['unit']}")
    for code, counts in RATE_COUNTS.items():
        check(len(counts) == 12 and all(isinstance(c, int) for c in counts), f"{code}: counts")
        check(rules[code]["unit"] == "rate_per_10000", f"{code}: CSV unit is {rules[code]['unit']}")
    for (code, month), text in COMMENTARY.items():
        check(code in PERCENT_SERIES or code in RATE_COUNTS, f"commentary for unknown {code}")
        check(month in MONTHS, f"commentary for unknown month {month}")
        check(bool(text.strip()), f"empty commentary {code} {month}")

    # ---- per-KPI statuses --------------------------------------------------
    codes = sorted(set(PERCENT_SERIES) | set(RATE_COUNTS), key=lambda c: int(c[2:]))
    statuses = {c: [rag(c, v) for v in exact_values(c)] for c in codes}

    # No value on a threshold boundary unless the published figure says so.
    allowed_boundary = {("PI11", Fraction("5.0"))}
    for c in codes:
        edges = bounds(rules[c]["green"]) | bounds(rules[c]["amber"]) | bounds(rules[c]["red"])
        for i, v in enumerate(exact_values(c)):
            if v in edges and (c, v) not in allowed_boundary:
                failures.append(f"{c} {mon(i)}: {float(v)} sits on a threshold boundary")

    def counts_are(c: str, green: int, amber: int, red: int) -> None:
        s = statuses[c]
        got = (s.count("green"), s.count("amber"), s.count("red"))
        check(got == (green, amber, red), f"{c}: RAG counts G/A/R {got}, want {(green, amber, red)}")

    def extreme(c: str, kind: str, value: str | None = None, month: str | None = None) -> None:
        vals = exact_values(c)
        target = min(vals) if kind == "min" else max(vals)
        idx = [i for i, v in enumerate(vals) if v == target]
        check(len(idx) == 1, f"{c}: {kind} {float(target)} is not unique ({[mon(i) for i in idx]})")
        if value is not None:
            check(target == Fraction(value), f"{c}: {kind} is {float(target)}, want {value}")
        if month is not None:
            check(mon(idx[0]) == month, f"{c}: {kind} in {mon(idx[0])}, want {month}")

    def status_at(c: str, month: str, status: str) -> None:
        got = statuses[c][MONTHS.index(month)]
        check(got == status, f"{c} {month}: {got}, want {status}")

    def value_at(c: str, month: str, value: str) -> None:
        got = exact_values(c)[MONTHS.index(month)]
        check(got == Fraction(value), f"{c} {month}: {float(got)}, want {value}")

    def max_consecutive(c: str, status: str) -> int:
        best = run = 0
        for s in statuses[c]:
            run = run + 1 if s == status else 0
            best = max(best, run)
        return best

    MAR = "2025-03"

    # PI1
    counts_are("PI1", 1, 10, 1)
    extreme("PI1", "min", "68.8", "2024-10")
    extreme("PI1", "max", "86.4", MAR)
    status_at("PI1", "2024-10", "red")
    status_at("PI1", MAR, "green")
    pi1_mean = sum(PERCENT_SERIES["PI1"]) / D(12)
    check(pi1_mean.quantize(D("0.1"), rounding=ROUND_HALF_UP) == D("78.1"), f"PI1 mean {pi1_mean}")
    check(abs(pi1_mean - D("78.10")) <= D("0.02"), f"PI1 mean {pi1_mean} not within 0.02 of 78.10")

    # PI2
    counts_are("PI2", 6, 6, 0)
    extreme("PI2", "min", "66.8")
    extreme("PI2", "max", "79.7")
    status_at("PI2", MAR, "amber")

    # PI3
    counts_are("PI3", 8, 3, 1)
    status_at("PI3", "2024-11", "red")
    status_at("PI3", MAR, "green")

    # PI4
    check(RATE_COUNTS["PI4"][-1] == 353, "PI4 Mar 2025 count must be 353")
    pi4_mar = rate(RATE_COUNTS["PI4"][-1])
    check(D(pi4_mar.numerator) / D(pi4_mar.denominator) > D("40.64"), "PI4 Mar rate")
    check(
        (D(pi4_mar.numerator) / D(pi4_mar.denominator)).quantize(D("0.1"), rounding=ROUND_HALF_UP) == D("40.7"),
        "PI4 Mar 2025 rate must display as 40.7",
    )
    for i, m in enumerate(MONTHS):
        status_at("PI4", m, "amber" if i < 6 else "green")
    pi4 = RATE_COUNTS["PI4"]
    check(all(pi4[i] > pi4[i + 1] for i in range(10)), "PI4 counts must fall every month Apr-Feb")
    check(pi4[10] < pi4[11] == 353, "PI4 must rise slightly in Mar 2025 (Feb < 353)")

    # PI5
    counts_are("PI5", 8, 4, 0)
    extreme("PI5", "min", "80.39", "2024-04")
    extreme("PI5", "max", "94.8", "2024-08")
    status_at("PI5", MAR, "green")

    # PI6
    counts_are("PI6", 7, 5, 0)
    extreme("PI6", "min", "93.2", "2024-04")
    extreme("PI6", "max", "98.1", MAR)
    status_at("PI6", MAR, "green")

    # PI7
    check(RATE_COUNTS["PI7"][-1] == 816, "PI7 Mar 2025 count must be 816")
    pi7_mar = rate(RATE_COUNTS["PI7"][-1])
    check(
        (D(pi7_mar.numerator) / D(pi7_mar.denominator)).quantize(D("0.01"), rounding=ROUND_HALF_UP) == D("93.97"),
        "PI7 Mar 2025 rate must be 93.97",
    )
    counts_are("PI7", 2, 10, 0)
    status_at("PI7", MAR, "green")

    # PI8
    counts_are("PI8", 0, 12, 0)
    extreme("PI8", "min", "9.3", "2024-11")
    extreme("PI8", "max", "11.7", "2024-06")
    value_at("PI8", MAR, "10.2")
    pi8 = PERCENT_SERIES["PI8"]
    check(pi8[-1] < pi8[0] and sum(pi8[6:]) < sum(pi8[:6]), "PI8 must trend downward")

    # PI9
    counts_are("PI9", 0, 9, 3)
    extreme("PI9", "min", "61.0", "2024-06")
    extreme("PI9", "max", "64.7", "2025-02")
    value_at("PI9", MAR, "63.8")
    pi9 = PERCENT_SERIES["PI9"]
    check(pi9[-1] > pi9[0] and sum(pi9[6:]) > sum(pi9[:6]), "PI9 must trend upward")
    check(max_consecutive("PI9", "red") <= 3, "PI9 red for more than 3 consecutive months")

    # PI10
    counts_are("PI10", 12, 0, 0)
    extreme("PI10", "min", "96.3", "2024-09")
    extreme("PI10", "max", "99.0", "2024-11")

    # PI11
    counts_are("PI11", 3, 8, 1)
    extreme("PI11", "min", "2.4")
    extreme("PI11", "max", "5.0")
    value_at("PI11", MAR, "3.4")
    status_at("PI11", MAR, "amber")
    check(Fraction(12 * 100, RATE_COUNTS["PI4"][-1]).__round__(1) == Fraction("3.4"), "PI11 Mar = 12/353")

    # PI13
    counts_are("PI13", 0, 7, 5)
    extreme("PI13", "min", "65.46")
    extreme("PI13", "max", "75.46")
    status_at("PI13", MAR, "amber")

    # PI14
    counts_are("PI14", 5, 5, 2)
    extreme("PI14", "min", "32.7", "2024-04")
    extreme("PI14", "max", "87.5", "2024-09")
    status_at("PI14", MAR, "green")

    # PI15
    counts_are("PI15", 10, 2, 0)
    status_at("PI15", MAR, "green")

    # March 2025 overall (PI12 derived from workforce: 23.9% permanent vacancy rate).
    pi12_mar = Fraction("23.9")
    mar_status = {c: statuses[c][-1] for c in codes}
    mar_status["PI12"] = rag("PI12", pi12_mar)
    check(mar_status["PI12"] == "green", "PI12 Mar 2025 must be green")
    mar_counts = {s: sum(1 for v in mar_status.values() if v == s) for s in ("green", "amber", "red")}
    check(mar_counts == {"green": 10, "amber": 5, "red": 0}, f"Mar 2025 overall {mar_counts}")
    check(
        {c for c, s in mar_status.items() if s == "amber"} == {"PI2", "PI8", "PI9", "PI11", "PI13"},
        "Mar 2025 amber set",
    )
    # Published PI12 range 21.1..27.73 is all green.
    for v in ("21.1", "27.73"):
        check(rag("PI12", Fraction(v)) == "green", f"PI12 {v} must be green")

    # ---- summary -------------------------------------------------------------
    def fmt(v: Fraction, code: str) -> str:
        if code in RATE_COUNTS:
            return f"{float(v):.2f}"
        # Show the Decimal as written (keeps trailing zeros, e.g. 61.0, 99.0).
        return str(next(x for x in PERCENT_SERIES[code] if Fraction(x) == v))

    for c in codes:
        vals = exact_values(c)
        s = statuses[c]
        lo, hi = min(vals), max(vals)
        line = (
            f"{c:<5} G{s.count('green'):>2} A{s.count('amber'):>2} R{s.count('red'):>2} | "
            f"min {fmt(lo, c)} ({mon(vals.index(lo))}) max {fmt(hi, c)} ({mon(vals.index(hi))})"
        )
        if c == "PI1":
            line += f" | mean {pi1_mean.quantize(D('0.001'))} -> {pi1_mean.quantize(D('0.1'), rounding=ROUND_HALF_UP)}"
        if c in RATE_COUNTS:
            line += f" | Mar count {RATE_COUNTS[c][-1]}"
        line += f" | Mar-25 {fmt(vals[-1], c)} {s[-1]}"
        print(line)
    print(f"PI12  (workforce) | Mar-25 23.9 {mar_status['PI12']}")
    print(f"Mar-25 overall: green {mar_counts['green']}, amber {mar_counts['amber']}, red {mar_counts['red']}")

    if failures:
        print("\nSELF-CHECK FAILED:")
        for f in failures:
            print("  -", f)
        sys.exit(1)
    print("\nself-check passed")
