"""
The three default report layouts, which production needs and the administrator adjusts.

The Scrutiny Board performance update follows the council's report of 24 March 2025
section by section, in its words, with its figures replaced by facts (`{finance.contract_sum}`:
see `opb_portal.reports.facts` and the key list in docs/data-dictionary.md). The Budget
Scrutiny summary and the Cabinet report are skeletons in the same council layout (the
Cabinet report's front matter as the report to Cabinet of 19 September 2018 has it).

Layout language (`reports.language`): paragraphs separated by a blank line; "- " starts a
bullet; "| a | b |" is a table row (a table's first row is its headings); `{key}` a fact; a table fact alone on its line is written as a table; front
matter is one "Label: text" a line. Nothing here is edited once landed: a change of wording
is the administrator's, in the portal.
"""

from django.db import migrations

SCRUTINY = "Scrutiny Board performance update"
BUDGET = "Budget Scrutiny summary"
CABINET = "Report to Cabinet"

GOVERNANCE = (
    "4.1 The contract with SCT is underpinned by comprehensive governance arrangements. The "
    "contract requires that the Director of Children and Education, together with council senior "
    "officers from finance and legal services, and the Chief Executive of the Trust meet on at "
    "least a monthly basis to consider performance and operational matters, this occurs at the "
    "Operational Partnership Board meeting. In addition, each quarter, the Lead Member for "
    "Children’s Services and the Chief Executive meet with the Chair of the SCT Board and the "
    "Chief Executive of SCT and DCS, at a Strategic Partnership Board."
)

SCRUTINY_SECTIONS = [
    (
        "1 Recommendations",
        "- 1.1 Scrutiny Board considers and comments on Sandwell Children's Trust performance "
        "update.",
    ),
    (
        "2 Reasons for Recommendations",
        "- 2.1 Sandwell Children's Trust is required to report to the Scrutiny Board twice each "
        "year as part of the obligations set out in the contract between the Council and the "
        "Trust.\n"
        "- 2.2 The purpose of the item is to provide an update for consideration and discussion "
        "regarding Sandwell Children's Trust.",
    ),
    (
        "3 How does this deliver objectives of the Council Plan?",
        "| Council Plan objective | How the Trust delivers it |\n"
        "| Growing Up in Sandwell | Best start in life for children and young people |\n"
        "| | Ensuring that children have the Best Start in Life is a key driver for Sandwell "
        "Children’s Trust; ensuring that children are safeguarded, protected and, when unable to "
        "live with their parents, are effectively cared for. |\n"
        "| | SCT works with families, foster carers, schools, statutory and voluntary providers to "
        "support the achievements of vulnerable children and those in the care of the council. |\n"
        "| | SCT works to ensure that children in the care of the Council receive the support and "
        "opportunities that any parent would give their child. |",
    ),
    (
        "4 Context and Key Issues",
        f"{GOVERNANCE}\n\n"
        "4.2 The contract with the Trust specifies that representatives of the Trust should attend "
        "Council meetings when reasonably requested, specifically referencing attendance twice a "
        "year at the Children's Services and Education Scrutiny Board and at the Budget and "
        "Corporate Scrutiny Management Board if requested.\n\n"
        "4.3 The contract requires SCT to provide regular performance updates for consideration "
        "by the Operational Partnership Board, the Strategic Partnership Board and then by the "
        "Cabinet.\n\n"
        "4.4 Since April 2018, the Trust has undergone several key Ofsted inspections and visits, "
        "with notable progress across all services. {inspections.monitoring_visits} monitoring "
        "visits and {inspections.focused_visits} focused visits have taken place. In "
        "{inspections.ilacs_date}, a full inspection under Ofsted's ILACS framework was conducted "
        "resulting in a judgement of '{inspections.ilacs_judgement}'.\n\n"
        "4.5 The current Ofsted judgements:\n\n"
        "{inspections.current_judgements}\n\n"
        "4.6 The 'requires improvement to be good' judgement from May 2022, along with 'good' "
        "ratings for the fostering service in October 2024 and the adoption service in December "
        "2022, indicates a positive trajectory of service improvement.\n\n"
        "4.7 In January 2024, SCT was subject to a LGA Peer Review. The purpose of the review is "
        "to provide an external view on the effectiveness of the strategic response and quality "
        "of practice, jointly identify strengths and areas for consideration and provide feedback "
        "from engagement with the partners.\n\n"
        "4.8 The Contract between the Council and Sandwell Children’s Trust includes a suite of "
        "{kpis.count} Key Performance Indicators against which SCT are required to report monthly. "
        "In {kpis.month}, {kpis.green} met their target, {kpis.amber} were within tolerance and "
        "{kpis.red} were in the performance failure zone.\n\n"
        "4.9 At {kpis.month}, {kpis.failure_zone_over_3_months}.\n\n"
        "4.10 The {finance.year} financial performance is being measured against the agreed "
        "{finance.year} Contract Sum. Cabinet approved the contract sum, {finance.contract_sum} "
        "for {finance.year} which was an increase of {finance.contract_sum_rise} or approximately "
        "{finance.contract_sum_rise_percent} compared with {finance.previous_year}.\n\n"
        "4.11 As of {kpis.month}, the Trust forecasts expenditure of {finance.forecast_outturn} "
        "against income of {finance.forecast_income}, an in-year deficit of {finance.deficit} and "
        "a cumulative deficit of {finance.cumulative_deficit} at the year end.\n\n"
        "4.12 Savings of {finance.savings_delivered} are forecast to be delivered against a target "
        "of {finance.savings_target}.\n\n"
        "4.13 The average weekly cost of a residential placement "
        "{finance.residential_weekly_cost_movement}. Based on {finance.residential_children} "
        "currently in residential this will be a cost of {finance.residential_annual_cost} a "
        "year.\n\n"
        "4.14 Sandwell cares for {demand.children_in_care} children. Sandwell's statistical "
        "neighbours care for {demand.children_in_care_rate_neighbours} children per 10,000 on "
        "average.\n\n"
        "4.15 For 2023/24 the total expenditure on children's social care per head of population "
        "(0-17), as per the Council's Revenue Outturn reported to Government, was the lowest "
        "across Sandwell's statistical neighbours.\n\n"
        "4.16 As of {workforce.month}, permanent social workers are {workforce.permanent_share} "
        "and agency social workers {workforce.agency_share} of the workforce. The vacancy rate "
        "has {workforce.vacancy_rate_movement}. The permanent vacancy rate has "
        "{workforce.permanent_vacancy_rate_movement}.",
    ),
    (
        "5 Alternative Options",
        "5.1 At its meeting on 19 October 2016, Cabinet was advised of the Government's Statutory "
        "Direction (under Section 479A of the Education Act 1996) to set up a new arrangement in "
        "the form of a children's trust to deliver children's social care services. As a result, "
        "Sandwell Children's Trust started operating on 1st April 2018. The Service Delivery "
        "Agreement includes a contractual requirement to attend Children and Education scrutiny "
        "twice per year. Any alternative to the current arrangement must be agreed by both the "
        "Council and the Trust and go through a formal contract variation process.",
    ),
    (
        "6 Implications",
        "| Implication | For this report |\n"
        "| Resources | The Council agreed a contract sum for {finance.year} of "
        "{finance.contract_sum} to deliver the Council's statutory responsibilities for "
        "children's social care and to provide targeted early help services. In addition to "
        "this, SMBC has commissioned an emotional wellbeing service for children we care for and "
        "care experienced young people at a cost of approximately £250K. The Contract Sum amount "
        "that SCT receives is agreed annually in line with mechanisms set out in the Service "
        "Delivery Contract. |\n"
        "| Legal and Governance | The Service Delivery Contract between the Council and SCT is "
        "performance managed via a monthly Operational Partnership Board, a quarterly Strategic "
        "Partnership Board, and SCT is required to attend up to two Children's Scrutiny Board "
        "meetings and a Budget Scrutiny meeting each year. There is a partnership Improvement "
        "Board independently chaired by a DfE appointed consultant. Additionally, the Trust is "
        "required to submit its Annual Review to the Council. |\n"
        "| Risk | The Council's strategic risk register identifies no red risks relevant to this "
        "report. Following the inspection in May 2022 and the improved Ofsted judgement the "
        "previous red risk was moved to amber. This risk is regularly monitored and reported to "
        "the Council's Audit and Risk Assurance Committee. |\n"
        "| Equality | An Equality Impact Assessment screening is not required for this report. "
        "However, the improvement in children's services will have a positive effect on the lives "
        "of vulnerable children, young people and families in Sandwell, including those with "
        "protected characteristics. |\n"
        "| Health and Wellbeing | SCT continues to support children and families in Sandwell and as "
        "the quality of service that they deliver improves so does the impact they have on "
        "improving the health and wellbeing of children and families. |\n"
        "| Social Value | SCT supports children to achieve, feel safe, be supported and access "
        "opportunities. SCT supports care leavers to access education, employment and training. "
        "Having strong governance and oversight supports SCT to achieve service improvement and "
        "better support children and families in Sandwell. |\n"
        "| Climate change | There is no direct climate change impact associated with this report. |\n"
        "| Corporate Parenting | SCT continues to support the Council in delivering its corporate "
        "parenting responsibilities. |",
    ),
    ("7 Appendices", "None"),
    ("8 Background Papers", "None"),
]

BUDGET_SECTIONS = [
    (
        "1 Recommendations",
        "- 1.1 Budget and Corporate Scrutiny Management Board considers and comments on Sandwell "
        "Children's Trust's financial position.",
    ),
    (
        "2 Reasons for Recommendations",
        "- 2.1 The contract between the Council and the Trust specifies that representatives of "
        "the Trust attend the Budget and Corporate Scrutiny Management Board each February.",
    ),
    (
        "3 The Financial Position",
        "3.1 Cabinet approved the contract sum, {finance.contract_sum} for {finance.year}, an "
        "increase of {finance.contract_sum_rise} or approximately "
        "{finance.contract_sum_rise_percent} compared with {finance.previous_year}.\n\n"
        "3.2 As of {kpis.month}, the Trust forecasts expenditure of {finance.forecast_outturn} "
        "against income of {finance.forecast_income}: an in-year deficit of {finance.deficit}. "
        "With the cumulative deficit of {finance.opening_cumulative_deficit} brought forward, the "
        "cumulative deficit is forecast to be {finance.cumulative_deficit} at 31 March.",
    ),
    (
        "4 Cost Drivers",
        "4.1 Residential placements: {finance.residential_children} children against the plan's "
        "{finance.residential_children_plan}. The average weekly cost of a residential placement "
        "{finance.residential_weekly_cost_movement}; at this rate a year of residential "
        "placements costs {finance.residential_annual_cost}.\n\n"
        "4.2 Agency social workers are {workforce.agency_share} of the social work workforce "
        "({workforce.month}). The vacancy rate has {workforce.vacancy_rate_movement}.\n\n"
        "4.3 Sandwell cares for {demand.children_in_care} children.",
    ),
    (
        "5 Savings",
        "5.1 Savings of {finance.savings_delivered} are forecast to be delivered against a target "
        "of {finance.savings_target}.",
    ),
    (
        "6 Next Year's Position",
        "6.1 The {finance.next_year} plan holds a contract sum of "
        "{finance.next_year_contract_sum} and a savings target of "
        "{finance.next_year_savings_target}; on its budgets, the in-year deficit would be "
        "{finance.next_year_planned_deficit}.",
    ),
    ("7 Appendices", "None"),
    ("8 Background Papers", "None"),
]

CABINET_SECTIONS = [
    (
        "1 Summary of Report",
        "1.1 This report updates Cabinet on the performance of Sandwell Children's Trust: the "
        "contract KPIs, Ofsted, the financial position and the workforce.",
    ),
    ("2 Recommendations", "That Cabinet:\n\n- 2.1 Notes the update on Sandwell Children's Trust."),
    (
        "3 Reasons for Recommendations",
        "3.1 The contract requires SCT to provide regular performance updates for consideration "
        "by the Operational Partnership Board, the Strategic Partnership Board and then by the "
        "Cabinet.",
    ),
    (
        "4 How does this deliver objectives of the Corporate Plan?",
        "| Corporate Plan objective | How the Trust delivers it |\n"
        "| Growing Up in Sandwell | Ensuring that children have the Best Start in Life is a key "
        "driver for Sandwell Children’s Trust; ensuring that children are safeguarded, protected "
        "and, when unable to live with their parents, are effectively cared for. |",
    ),
    (
        "5 Context and Key Issues",
        f"{GOVERNANCE.replace('4.1 ', '5.1 ', 1)}\n\n"
        "5.2 The current Ofsted judgements:\n\n"
        "{inspections.current_judgements}\n\n"
        "5.3 In {kpis.month}, {kpis.green} of the {kpis.count} contract KPIs met their target, "
        "{kpis.amber} were within tolerance and {kpis.red} were in the performance failure zone; "
        "{kpis.failure_zone_over_3_months}.\n\n"
        "5.4 Cabinet approved the contract sum, {finance.contract_sum} for {finance.year}. The "
        "Trust forecasts an in-year deficit of {finance.deficit} and a cumulative deficit of "
        "{finance.cumulative_deficit} at the year end.\n\n"
        "5.5 As of {workforce.month}, agency social workers are {workforce.agency_share} of the "
        "social work workforce; the vacancy rate is {workforce.vacancy_rate}.",
    ),
    (
        "6 Alternative Options",
        "6.1 The report provides an update on the Trust's performance. No alternative options "
        "were required.",
    ),
    (
        "7 Implications",
        "| Implication | For this report |\n"
        "| Resources | The Council agreed a contract sum for {finance.year} of "
        "{finance.contract_sum}. |\n"
        "| Legal and Governance | The Service Delivery Contract between the Council and SCT is "
        "performance managed via a monthly Operational Partnership Board and a quarterly "
        "Strategic Partnership Board. |\n"
        "| Risk | The Council's strategic risk register identifies no red risks relevant to this "
        "report. |\n"
        "| Equality | An Equality Impact Assessment screening is not required for this report. |\n"
        "| Health and Wellbeing | As the quality of the Trust's services improves so does their "
        "impact on the health and wellbeing of children and families. |\n"
        "| Social Value | SCT supports care leavers to access education, employment and "
        "training. |\n"
        "| Climate change | There is no direct climate change impact associated with this report. |\n"
        "| Corporate Parenting | SCT continues to support the Council in delivering its corporate "
        "parenting responsibilities. |",
    ),
    ("8 Appendices", "None"),
    ("9 Background Papers", "None"),
]

LAYOUTS = [
    (
        "scrutiny",
        SCRUTINY,
        "Report to Children's Services and Education Scrutiny Board",
        "Subject: Sandwell Children's Trust Performance Update\n"
        "Director: Director of Children and Education, Sally Giles\n"
        "Contact Officer: Sally Giles, Interim Director of Children and Education "
        "Sally_giles@sandwell.gov.uk; Mandip S. Chahal, Interim Assistant Director "
        "Commissioning, Partnerships and Improvement Mandip1_chahal@sandwell.gov.uk",
        SCRUTINY_SECTIONS,
    ),
    (
        "budget_scrutiny",
        BUDGET,
        "Report to Budget and Corporate Scrutiny Management Board",
        "Subject: Sandwell Children's Trust Financial Position\n"
        "Director: Director of Children and Education\n"
        "Contact Officer: Director of Children and Education",
        BUDGET_SECTIONS,
    ),
    (
        "cabinet",
        CABINET,
        "Report to Cabinet",
        "Subject: Sandwell Children's Trust Update\n"
        "Cabinet Member: Cabinet Member for Children's Services\n"
        "Director: Director of Children and Education\n"
        "Key Decision: No\n"
        "Forward Plan (28 day notice) Reference: to be given\n"
        "Cabinet Member Approval and Date: to be given\n"
        "Director Approval: to be given\n"
        "Reason for Urgency: Urgency provisions do not apply\n"
        "Exempt Information Ref: Exemption provisions do not apply\n"
        "Ward Councillor (s) Consulted (if applicable): This is a boroughwide initiative\n"
        "Scrutiny consultation: Scrutiny have not been consulted\n"
        "Contact Officer(s): Director of Children and Education",
        CABINET_SECTIONS,
    ),
]


def add_layouts(apps, schema_editor):
    Layout = apps.get_model("reports", "Layout")
    LayoutSection = apps.get_model("reports", "LayoutSection")
    for kind, name, heading, front_matter, sections in LAYOUTS:
        layout, created = Layout.objects.get_or_create(
            name=name, defaults={"kind": kind, "heading": heading, "front_matter": front_matter}
        )
        if not created:
            continue  # the administrator's own, kept as it is
        LayoutSection.objects.bulk_create(
            LayoutSection(layout=layout, position=position, heading=section, body=body)
            for position, (section, body) in enumerate(sections, start=1)
        )


def remove_layouts(apps, schema_editor):
    Layout = apps.get_model("reports", "Layout")
    Report = apps.get_model("reports", "Report")
    names = [name for _kind, name, *_rest in LAYOUTS]
    # A layout a report was made from is kept (reports protect their layout).
    used = Report.objects.filter(layout__name__in=names).values("layout")
    Layout.objects.filter(name__in=names).exclude(pk__in=used).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_reports")]

    operations = [migrations.RunPython(add_layouts, remove_layouts)]
