"""Who may do what in SIKUAT: one function per action, called by pages and API alike.

- Village officers (core roles VILLAGE_TREASURER and VILLAGE_HEAD held *at the desa adat's
  own agency*) see and work on their own desa adat only. The treasurer (Patengen) records
  and corrects transactions and submits the monthly report; the head (Bendesa) approves it.
- Regency and provincial staff: AGENCY_ADMIN held at an agency whose region covers the desa
  adat (a regency government covers its regency, a provincial office the whole province).
  They see, verify entries and record grants. Provincial staff edit the chart of accounts.
- The public sees only published summaries.
"""

from __future__ import annotations

from django.db.models import Q

from onedata.core import scope
from onedata.core.roles import Role

TREASURER = Role.VILLAGE_TREASURER
HEAD = Role.VILLAGE_HEAD
OFFICER_ROLES = frozenset({TREASURER, HEAD})
STAFF_ROLES = frozenset({Role.AGENCY_ADMIN})
PROVINCE_CODE = "51"


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def officer_roles(user, desa) -> set[str]:
    """The village roles the user holds at this desa adat's own agency."""
    if not _active(user):
        return set()
    return {
        m.role
        for m in scope.memberships_of(user)
        if m.agency_id == desa.agency_id and m.role in OFFICER_ROLES
    }


def is_staff_over(user, desa) -> bool:
    """Regency or provincial staff whose reach covers the desa adat (or a platform admin)."""
    return _active(user) and scope.covers(user, STAFF_ROLES, desa.agency.region)


def _secretary_posts(user):
    """The current Penyarikan posts of the user (the secretary holds no core role)."""
    from onedata.villagefinance.models import Officer

    return Officer.objects.filter(
        user=user, position=Officer.Position.PENYARIKAN, ended_on__isnull=True
    )


def is_current_secretary(user, desa) -> bool:
    return _active(user) and _secretary_posts(user).filter(desa_adat=desa).exists()


def villages_filter(user) -> Q:
    """A filter on DesaAdat for the villages the user may see."""
    if not _active(user):
        return Q(pk__in=[])
    if scope.is_platform_admin(user):
        return Q()
    own = [m.agency_id for m in scope.memberships_of(user) if m.role in OFFICER_ROLES]
    return (
        Q(agency_id__in=own)
        | Q(pk__in=_secretary_posts(user).values("desa_adat_id"))
        | scope.region_filter(user, STAFF_ROLES, field="agency__region__code")
    )


def can_view_village(user, desa) -> bool:
    return (
        bool(officer_roles(user, desa))
        or is_staff_over(user, desa)
        or is_current_secretary(user, desa)
    )


def can_record_entry(user, desa) -> bool:
    """The treasurer of an active desa adat (a deactivated one keeps its books, read-only)."""
    if not getattr(desa, "is_active", True):
        return False
    return TREASURER in officer_roles(user, desa) or scope.is_platform_admin(user)


def can_reverse_entry(user, entry) -> bool:
    return can_record_entry(user, entry.desa_adat)


def can_verify_entry(user, entry) -> bool:
    return is_staff_over(user, entry.desa_adat)


def can_view_receipt(user, receipt) -> bool:
    return can_view_village(user, receipt.desa_adat)


def can_manage_budget(user, desa) -> bool:
    return bool(officer_roles(user, desa)) or scope.is_platform_admin(user)


def can_submit_month(user, desa) -> bool:
    return can_record_entry(user, desa)


def can_approve_month(user, desa) -> bool:
    return HEAD in officer_roles(user, desa) or scope.is_platform_admin(user)


def can_manage_grants(user, desa) -> bool:
    """Record a grant and send its stages: the grantor's staff (regency or province)."""
    return is_staff_over(user, desa)


def can_receive_grant(user, desa) -> bool:
    """Confirm a stage arrived and report its use: the village's treasurer."""
    return can_record_entry(user, desa)


def can_view_province_dashboard(user) -> bool:
    return _active(user) and (
        scope.is_platform_admin(user) or bool(scope.region_codes(user, STAFF_ROLES))
    )


def can_edit_chart(user) -> bool:
    """Provincial staff: an agency admin at a provincial agency, or a platform admin."""
    if not _active(user):
        return False
    return scope.is_platform_admin(user) or PROVINCE_CODE in scope.region_codes(user, STAFF_ROLES)


def can_reconcile_bank(user, desa) -> bool:
    """Record the bank statement's balance: the treasurer, who holds the statements."""
    return can_record_entry(user, desa)


def can_view_chart(user) -> bool:
    """The chart of accounts is no secret: every logged-in user may read it."""
    return _active(user)


def can_view_reports(user, desa) -> bool:
    """Cash book, bank book, realisation and grant accountability (page, XLSX, PDF)."""
    return can_view_village(user, desa)


def can_view_public_summary(user, desa) -> bool:
    return desa.is_published or can_view_village(user, desa)


# --- registry of desa adat and officers ---------------------------------------------------


def can_view_registry(user) -> bool:
    """The registry pages: regency and provincial staff."""
    return can_view_province_dashboard(user)


def can_register_village(user, regency) -> bool:
    """Register a desa adat in a regency: staff whose reach covers it (the province's staff
    everywhere, a regency's staff their own regency)."""
    return _active(user) and regency is not None and scope.covers(user, STAFF_ROLES, regency)


def can_edit_village(user, desa) -> bool:
    """Edit, mark as sample, deactivate: staff over the desa adat."""
    return is_staff_over(user, desa)


def can_manage_officers(user, desa) -> bool:
    """Appoint officers and end their terms: staff over the desa adat."""
    return is_staff_over(user, desa)


def registry_filter(user) -> Q:
    """A filter on DesaAdat for the villages the user may edit in the registry."""
    if not _active(user):
        return Q(pk__in=[])
    if scope.is_platform_admin(user):
        return Q()
    return scope.region_filter(user, STAFF_ROLES, field="agency__region__code")


# --- tax book and line-by-line bank reconciliation ------------------------------------------


def can_view_tax_book(user, desa) -> bool:
    """The tax book (page, XLSX, PDF, API): whoever sees the village's reports."""
    return can_view_reports(user, desa)


def can_record_tax_deposit(user, desa) -> bool:
    """Deposit withheld tax (setoran pajak): the treasurer, who pays it."""
    return can_record_entry(user, desa)


def can_edit_tax_rates(user) -> bool:
    """Tax rates and their years: provincial staff, like the chart of accounts."""
    return can_edit_chart(user)


def can_view_statements(user, desa) -> bool:
    """Uploaded bank statement lines and their matches."""
    return can_view_village(user, desa)


def can_match_statement(user, desa) -> bool:
    """Upload a statement, match and unmatch lines, complete a month: the treasurer."""
    return can_reconcile_bank(user, desa)
