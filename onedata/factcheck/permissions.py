"""Who may do what in fact check: one function per action, called by pages and API alike.

Reading checked claims, articles and the feeds, searching and reporting are public.
The desk (the queue of reported claims, assignment, notes, reviews, publication, articles)
belongs to fact-checkers, wherever their agency sits: a rumour crosses regency lines.
The weekly hoax report is for fact-checkers and the province's communication officers.
"""

from __future__ import annotations

from onedata.core import scope
from onedata.core.roles import Role

DESK_ROLES = {Role.FACT_CHECKER}


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_search(user) -> bool:
    return True


def can_submit_report(user) -> bool:
    return True


def can_view_desk(user) -> bool:
    return _active(user) and scope.has_role(user, DESK_ROLES)


def can_view_claim_internal(user, claim) -> bool:
    return can_view_desk(user)


def can_assign_claim(user, claim) -> bool:
    return can_view_desk(user)


def can_add_note(user, claim) -> bool:
    return can_view_desk(user)


def can_review_claim(user, claim) -> bool:
    return can_view_desk(user)


def can_publish_review(user, claim) -> bool:
    return can_view_desk(user)


def can_merge_claims(user, claim) -> bool:
    return can_view_desk(user)


def can_edit_article(user, article=None) -> bool:
    return can_view_desk(user)


def can_view_weekly_report(user) -> bool:
    return can_view_desk(user)


def can_view_screenshot(user, report) -> bool:
    return can_view_desk(user)
