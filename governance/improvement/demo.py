"""
The demonstration's Improvement Plan of 2024-25: the Trust's Transformation Programme as the
2024-25 annual review (seed 001, section (a)) publishes it: its five priorities and their
ambition statements, word for word. The review says the members of the Executive Management
Team are the Priority Sponsors but names none, and publishes no actions or sign-off dates: the
sponsors (posts), the actions, their milestones and progress, and the sign-off dates are
illustrative, and the plan says so.
"""

from __future__ import annotations

import datetime

from opb_portal.accounts.models import User

from ..models import ImprovementPlan
from . import services

D = datetime.date
YEAR = 2024
TITLE = "Transformation Programme"
SUMMARY = (
    "The Trust's Transformation Programme, refreshed 18 months ago, sets five priorities, "
    "each overseen by a member of the Executive Management Team as its Priority Sponsor. "
    "The former Prevention and Partnership priorities are consolidated into a single, "
    "unified focus: Partnerships – Families First."
)
NOTE = (
    "The priorities and their ambition statements are as the 2024-25 annual review publishes "
    "them; the sponsors (by post), the actions, their milestones and progress, and the "
    "sign-off dates are illustrative."
)

# (number, title, ambition exactly as seed 001 writes it, sponsor, actions)
# An action: (title, lead, milestone, due, [(as at, status, reason), ...]).
PRIORITIES = [
    (
        1,
        "People",
        "A place where our people are proud to be part of a skilled Sandwell family by being "
        "respected, supported, nurtured and empowered to thrive",
        "Director of People and Organisational Development",
        [
            (
                "Recruit permanent social workers to reduce reliance on agency staff",
                "Head of Human Resources",
                "Agency social workers below 15% of the workforce",
                D(2025, 3, 31),
                [
                    (D(2024, 6, 30), "green", "Recruitment campaign launched; 12 offers made."),
                    (
                        D(2024, 9, 30),
                        "amber",
                        "Agency share rose over the summer as two teams lost staff.",
                    ),
                    (
                        D(2024, 12, 31),
                        "amber",
                        "Agency share still above 16%; overseas recruits start in the spring.",
                    ),
                    (
                        D(2025, 3, 31),
                        "amber",
                        "Agency share falling but not yet below 15%; "
                        "carried into next year's plan.",
                    ),
                ],
            ),
            (
                "Launch the career pathway for social workers and managers",
                "Principal Social Worker",
                "Pathway published and the first cohort enrolled",
                D(2024, 12, 31),
                [
                    (D(2024, 6, 30), "green", "Pathway drafted with staff groups."),
                    (
                        D(2024, 11, 30),
                        "done",
                        "Pathway published; 24 staff enrolled in the first cohort.",
                    ),
                ],
            ),
            (
                "Run the staff temperature check twice a year and act on its results",
                "Head of Organisational Development",
                "Two temperature checks reported to the Workforce Committee",
                D(2025, 3, 31),
                [
                    (D(2024, 10, 31), "green", "First check done; results shared with teams."),
                    (
                        D(2025, 3, 31),
                        "done",
                        "Second check done and reported to the Workforce Committee.",
                    ),
                ],
            ),
        ],
    ),
    (
        2,
        "Practice",
        "To improve the lives of children and young people through caring, compassionate "
        "support and proportionate high-quality interventions based on each child’s needs",
        "Director of Practice",
        [
            (
                "Embed the ST*R practice model in every team",
                "Principal Social Worker",
                "Every team trained and practice audits showing the model in use",
                D(2025, 3, 31),
                [
                    (D(2024, 9, 30), "green", "Training delivered to 80% of teams."),
                    (
                        D(2025, 3, 31),
                        "done",
                        "All teams trained; audits show the model in use in most cases.",
                    ),
                ],
            ),
            (
                "Improve the timeliness of Public Law Outline decisions",
                "Head of Service, Court and Permanence",
                "PLO cases reviewed within 16 weeks",
                D(2025, 1, 31),
                [
                    (D(2024, 9, 30), "green", "PLO tracker in place; weekly panel."),
                    (
                        D(2025, 1, 31),
                        "red",
                        "Court delays pushed reviews past 16 weeks in a third of cases.",
                    ),
                    (
                        D(2025, 3, 31),
                        "amber",
                        "Delays easing after the court listing review; still behind the milestone.",
                    ),
                ],
            ),
        ],
    ),
    (
        3,
        "Partnerships – Families First",
        "To develop integrated services for children and transform the way we help families in "
        "their communities at the earliest opportunity. With bespoke, community driven "
        "multi-agency services, we want to empower families, enabling them to improve their "
        "own lives",
        "Director of Early Help and Partnerships",
        [
            (
                "Open the Family Help teams in each of the six towns",
                "Head of Family Help",
                "Six multi-agency Family Help teams working in their communities",
                D(2025, 3, 31),
                [
                    (D(2024, 9, 30), "green", "Three teams open."),
                    (D(2025, 3, 31), "green", "Five teams open; the sixth opens in May 2025."),
                ],
            ),
            (
                "Agree the Families First Pathfinder delivery plan with partners",
                "Head of Partnerships",
                "Delivery plan agreed by the Strategic Partnership Board",
                D(2024, 10, 31),
                [
                    (
                        D(2024, 10, 31),
                        "done",
                        "Plan agreed with the council, health and the police.",
                    ),
                ],
            ),
        ],
    ),
    (
        4,
        "Integrated Approach to Care",
        "To recognise and understand the needs of the children and young people we support by "
        "ensuring services are designed to best meet those needs, enabling children and young "
        "people to fulfil their potential",
        "Director of Children in Care and Care Leavers",
        [
            (
                "Recruit more in-house foster carers",
                "Head of Fostering",
                "20 new fostering households approved",
                D(2025, 3, 31),
                [
                    (D(2024, 9, 30), "amber", "Six households approved; enquiries below plan."),
                    (
                        D(2025, 3, 31),
                        "amber",
                        "14 households approved; the regional campaign continues.",
                    ),
                ],
            ),
            (
                "Open a second Trust children's home",
                "Head of Residential Services",
                "Home registered with Ofsted and taking children",
                D(2025, 2, 28),
                [
                    (D(2024, 9, 30), "green", "Property bought; refurbishment under way."),
                    (D(2025, 2, 28), "green", "Registration visit booked for April 2025."),
                ],
            ),
            (
                "Review every care leaver's pathway plan for suitable accommodation",
                "Head of Care Leavers Service",
                "Every pathway plan reviewed",
                D(2024, 12, 31),
                [
                    (D(2024, 12, 31), "done", "All pathway plans reviewed."),
                ],
            ),
        ],
    ),
    (
        5,
        "Striving for Excellence",
        "To create the environment that transforms the Trust into an intelligence led, "
        "innovative, aspirational and confident organisation",
        "Director of Quality and Performance",
        [
            (
                "Refresh the quality assurance framework",
                "Head of Quality Assurance",
                "Refreshed framework adopted, with moderated audits",
                D(2024, 12, 31),
                [
                    (D(2024, 9, 30), "green", "Framework drafted."),
                    (D(2024, 12, 31), "done", "Framework adopted; audits moderated monthly."),
                ],
            ),
            (
                "Give managers live performance dashboards",
                "Head of Performance and Intelligence",
                "Dashboards in use by every team manager",
                D(2025, 3, 31),
                [
                    (
                        D(2024, 12, 31),
                        "green",
                        "Dashboards live for children in need and child protection.",
                    ),
                    (D(2025, 3, 31), "done", "Dashboards in use by every team manager."),
                ],
            ),
        ],
    ),
]


def load_demo_improvement() -> int:
    """Safe to run again: the plan is found by its year. Returns how many actions it holds."""
    admin = User.objects.get(username="admin")
    plan = ImprovementPlan.objects.filter(start_year=YEAR).first()
    if plan is None:
        plan = services.plan_create(
            user=admin,
            start_year=YEAR,
            title=TITLE,
            summary=SUMMARY,
            trust_board_signed_off=D(2024, 3, 28),
            spb_signed_off=D(2024, 4, 18),
            illustrative=True,
            notes=NOTE,
        )
        for number, title, ambition, sponsor, actions in PRIORITIES:
            priority = services.priority_create(
                plan=plan,
                user=admin,
                number=number,
                title=title,
                ambition=ambition,
                sponsor=sponsor,
            )
            for n, (action_title, lead, milestone, due, progress) in enumerate(actions, 1):
                action = services.action_create(
                    priority=priority,
                    user=admin,
                    number=n,
                    title=action_title,
                    lead=lead,
                    milestone=milestone,
                    due=due,
                )
                for as_at, status, reason in progress:
                    services.progress_record(
                        action=action, user=admin, as_at=as_at, status=status, reason=reason
                    )
    return sum(p.actions.count() for p in plan.priorities.all())
