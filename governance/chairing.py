"""
Who acts for a meeting: its chair (`Meeting.is_chaired_by`) or an administrator.

The chair sets the agenda, records who attended, drafts the minutes and records the
board's decisions; the chair of the board's next meeting has the minutes approved there.
"""

from opb_portal.accounts.models import Role
from opb_portal.accounts.permissions import Action, can


def may_chair(user, meeting, action: Action = Action.MANAGE_MEETINGS) -> bool:
    """May `user` act as `meeting`'s chair for `action` (the matrix first, then the chair)?"""
    if not can(user, action):
        return False
    return user.role == Role.ADMINISTRATOR or meeting.is_chaired_by(user)
