from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    """
    Meetings and governance: what the board does with the figures.

    Exception reports and rectification plans on the figures off track, the actions and
    decisions of the Operational and Strategic Partnership Boards, their agendas and
    minutes, the change control log and the risk register. It reads the other domains
    only through the machinery's registries (`core.subjects`, `core.off_track`,
    `core.rule_versions`) and adds to the pack and the annual review through
    `boardpack.sections`.
    """

    name = "governance"
    verbose_name = "Meetings and governance"

    def ready(self):
        from opb_portal.accounts.permissions import Action
        from opb_portal.boardpack import meeting_links
        from opb_portal.core import domains

        from . import home, pack
        from .actions import followups as actions_followups
        from .actions import reminders as actions_reminders
        from .audits import annual as audits_annual
        from .audits import subjects as audit_subjects
        from .changes import annual as changes_annual
        from .demo import load_demo_governance
        from .exception_reports import pack as exception_reports
        from .improvement import annual as improvement_annual
        from .improvement import subjects as improvement_subjects

        domains.register(
            domains.Domain(
                name="governance",
                label="governance",
                pages=domains.Pages("governance.urls", prefix="governance/"),
                navigation=(
                    domains.Link(
                        "Exception reports",
                        "governance:exceptions",
                        # The last of the domains' pages: it reads them all.
                        order=90,
                        action=Action.VIEW_ACCOUNTABILITY,
                    ),
                    # The meetings' business; "Board packs" (/meetings/) is their packs.
                    domains.Link(
                        "Meetings",
                        "governance:meetings",
                        order=92,
                        action=Action.VIEW_ACCOUNTABILITY,
                    ),
                    domains.Link(
                        "Actions", "governance:actions", order=94, action=Action.VIEW_ACCOUNTABILITY
                    ),
                    domains.Link(
                        "Decisions",
                        "governance:decisions",
                        order=96,
                        action=Action.VIEW_ACCOUNTABILITY,
                    ),
                    # The change control log and the risk register, read by everyone too.
                    domains.Link(
                        "Changes", "governance:changes", order=97, action=Action.VIEW_ACCOUNTABILITY
                    ),
                    domains.Link(
                        "Risks", "governance:risks", order=98, action=Action.VIEW_ACCOUNTABILITY
                    ),
                    # The Trust's Improvement Plan (the annual review's section (a)).
                    domains.Link(
                        "Improvement Plan",
                        "governance:improvement",
                        order=99,
                        action=Action.VIEW_ACCOUNTABILITY,
                    ),
                    domains.Link(
                        "Audits", "governance:audits", order=99, action=Action.VIEW_ACCOUNTABILITY
                    ),
                ),
                demo=domains.DemoLoader(
                    # After every domain's figures (its records are about them) and the board
                    # pack's meetings (1000): a meeting's business hangs from its meeting.
                    order=1100,
                    load=load_demo_governance,
                    says="Recorded the board's business: {}.",
                ),
            )
        )
        # The pack's exception reports and plans, its check before issue, a KPI page's panel.
        exception_reports.register()
        # The pack's actions and decisions, and the annual review's section (j).
        pack.register()
        meeting_links.register(
            meeting_links.MeetingLink(
                "Agenda, attendance, minutes, actions and decisions",
                "governance:meeting",
                action=Action.VIEW_ACCOUNTABILITY,
            )
        )
        # Sections (h) and (i) of the annual review, drafted from the change control log.
        changes_annual.register()
        # Section (a) of the annual review, and its actions as subjects of the actions log.
        improvement_annual.register()
        improvement_subjects.register()
        # The board's overdue actions and the reports waiting on someone, on their home pages.
        home.register()
        # The actions log answers "what was done about this record?" for every app.
        actions_followups.register()
        # Audits: subjects of actions, and the annual review's section (c).
        audit_subjects.register()
        audits_annual.register()
        # Owners are reminded of their actions, daily, by the worker's scheduler.
        actions_reminders.register()
