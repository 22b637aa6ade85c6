"""Who may do what in fact check: one function per action, called by pages and API alike.

Reading checked claims, articles and the feeds, searching and reporting are public.
The desk (the queue of reported claims, assignment, notes, reviews, publication, articles)
belongs to fact-checkers: the communication officers who hold the fact-checker role.

Scope follows the region of the agency where the role is held:

- at a provincial agency (Diskominfos) or as a platform admin: every claim and report;
- at a regency's agency (Diskominfo Badung, Pemkab Gianyar): the claims reported from
  that regency, only that regency's reports (and screenshots) on them, and the weekly
  report of that regency. A claim nobody reported from a regency (typed in by the desk,
  or reported without a regency) belongs to the province.

A rumour crosses regency lines: a claim reported from Badung and Gianyar is on both
regencies' desks, and either may check and publish it; each sees only its own reports.
"""

from __future__ import annotations

from onedata.core import scope
from onedata.core.roles import Role

DESK_ROLES = {Role.FACT_CHECKER}


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def desk_sees_all(user) -> bool:
    """Province-wide desk: a platform admin or a fact-checker at a provincial agency."""
    if scope.is_platform_admin(user):
        return True
    return any("." not in code for code in scope.region_codes(user, DESK_ROLES))


def desk_region_codes(user) -> set[str]:
    """The regency codes (or wider) the user's desk covers; empty without the role."""
    if not _active(user):
        return set()
    return scope.region_codes(user, DESK_ROLES)


def covers_regency(user, regency_code: str | None) -> bool:
    if desk_sees_all(user):
        return True
    if not regency_code:
        return False
    return any(scope.code_covers(code, regency_code) for code in desk_region_codes(user))


def claim_in_scope(user, claim) -> bool:
    if desk_sees_all(user):
        return True
    codes = desk_region_codes(user)
    return bool(codes) and bool(_covered(codes, claim))


def _covered(codes: set[str], claim) -> set[str]:
    from onedata.factcheck import selectors

    return {
        regency
        for regency in selectors.claim_regency_codes(claim)
        if any(scope.code_covers(code, regency) for code in codes)
    }


def can_search(user) -> bool:
    return True


def can_submit_report(user) -> bool:
    return True


def can_view_desk(user) -> bool:
    return _active(user) and scope.has_role(user, DESK_ROLES)


def can_view_claim_internal(user, claim) -> bool:
    return can_view_desk(user) and claim_in_scope(user, claim)


def can_assign_claim(user, claim) -> bool:
    return can_view_claim_internal(user, claim)


def can_add_note(user, claim) -> bool:
    return can_view_claim_internal(user, claim)


def can_review_claim(user, claim) -> bool:
    return can_view_claim_internal(user, claim)


def can_publish_review(user, claim) -> bool:
    return can_view_claim_internal(user, claim)


def can_dismiss_claim(user, claim) -> bool:
    return can_view_claim_internal(user, claim)


def can_merge_claims(user, claim, duplicate=None) -> bool:
    """Both claims must be on the user's desk."""
    if not can_view_claim_internal(user, claim):
        return False
    return duplicate is None or claim_in_scope(user, duplicate)


def can_edit_article(user, article=None) -> bool:
    return can_view_desk(user)


def can_view_weekly_report(user) -> bool:
    """Every desk sees the weekly report of its own reach (a regency: its regency)."""
    return can_view_desk(user)


def can_view_screenshot(user, report) -> bool:
    if not can_view_desk(user):
        return False
    return covers_regency(user, report.regency.code if report.regency_id else None)
