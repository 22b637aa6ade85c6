"""Pages of the clinic queue: choose a clinic, book, the ticket; the staff console; the
display board; statistics for the health office.

Views parse, authorise (``permissions``), call one service and render. A form with
errors comes back with what was typed and status 400.
"""

from __future__ import annotations

from datetime import date, timedelta

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, F, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from onedata.clinics import calendar, permissions, selectors, services, timetable
from onedata.clinics.forms import (
    BookingForm,
    ClosureForm,
    CodeForm,
    HoursForm,
    SearchForm,
    SessionAddForm,
    SessionForm,
    SettingsForm,
)
from onedata.clinics.models import Booking, Clinic, Closure, Session
from onedata.core.errors import DomainError, NotFound
from onedata.core.forms import apply_error

STATUS_BADGE = {
    Booking.Status.BOOKED: "badge-neutral",
    Booking.Status.CHECKED_IN: "badge-neutral",
    Booking.Status.CALLED: "badge-warn",
    Booking.Status.SERVING: "badge-warn",
    Booking.Status.DONE: "badge-ok",
    Booking.Status.NO_SHOW: "badge-danger",
    Booking.Status.CANCELLED: "badge-danger",
}


def _booking_or_404(code: str) -> Booking:
    try:
        return services.booking_find(code)
    except NotFound:
        raise Http404 from None


# --- citizens ------------------------------------------------------------------------------


def home(request):
    """Choose a clinic: search by service and place, or near me; find a booking by code."""
    form = SearchForm(request.GET or None, regencies=selectors.regencies())
    service = region = ""
    near = None
    near_error = ""
    if form.is_valid():
        service = form.cleaned_data["service"]
        region = form.cleaned_data["regency"]
        try:
            near = selectors.parse_near(form.cleaned_data["near"])
        except ValueError:
            near_error = _("Your location could not be read; the list is not sorted by distance.")
    clinics = list(selectors.clinics_queryset(service=service, region_code=region)[:60])
    summaries = selectors.summarise(clinics, service=service, near=near)
    return render(
        request,
        "clinics/home.html",
        {
            "form": form,
            "code_form": CodeForm(),
            "summaries": summaries,
            "near": near,
            "near_error": near_error,
            "service": service,
        },
    )


def find_booking(request):
    form = CodeForm(request.GET or None)
    if form.is_valid():
        try:
            booking = services.booking_find(form.cleaned_data["code"])
        except NotFound as error:
            form.add_error("code", error.message)
        else:
            return redirect("clinics:ticket", code=booking.code)
    return render(
        request, "clinics/find.html", {"code_form": form}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def clinic(request, clinic_id: int):
    """One clinic: quota on the next days, then the booking form."""
    clinic = get_object_or_404(
        Clinic.objects.select_related("agency", "agency__region").prefetch_related(
            "services__sessions", "hours"
        ),
        pk=clinic_id,
        is_active=True,
    )
    chosen = request.POST.get("service") or request.GET.get("service") or ""
    if request.method == "POST":
        form = BookingForm(request.POST, clinic=clinic)
        if form.is_valid():
            booking = _book(request, clinic, form)
            if booking is not None:
                return redirect("clinics:ticket", code=booking.code)
    else:
        initial = {"service": chosen} if chosen else {}
        form = BookingForm(initial=initial, clinic=clinic)
    summary = selectors.clinic_summary(clinic)
    return render(
        request,
        "clinics/clinic.html",
        {"clinic": clinic, "summary": summary, "form": form, "chosen": chosen},
        status=400 if form.errors else 200,
    )


def _book(request, clinic: Clinic, form: BookingForm) -> Booking | None:
    data = form.cleaned_data
    day = date.fromisoformat(data["date"])
    session_id = None
    if data["session"]:
        session = (
            clinic.services.filter(kind=data["service"])
            .values_list("sessions__pk", "sessions__starts_at", "sessions__ends_at")
            .filter(sessions__weekday=day.weekday())
        )
        matches = [
            pk for pk, starts, ends in session if f"{starts:%H:%M}–{ends:%H:%M}" == data["session"]
        ]
        if not matches:
            form.add_error("session", _("That session does not run on the chosen day."))
            return None
        session_id = matches[0]
    permissions.can_book(request.user)
    try:
        booking, _created = services.booking_create(
            actor=request.user,
            clinic=clinic,
            service=data["service"],
            day=day,
            session_id=session_id,
            nik=data["nik"],
            name=data["name"],
            phone=data["phone"],
            email=data["email"],
            bpjs_number=data["bpjs_number"],
            idempotency_key=data["idempotency_key"],
            ip=getattr(request, "client_ip", None),
        )
    except DomainError as error:
        apply_error(form, error)
        return None
    return booking


def _ticket_context(booking: Booking) -> dict:
    waiting = booking.status in Booking.WAITING
    ahead = services.people_ahead(booking) if waiting else 0
    estimate = services.estimate_for(booking) if waiting else booking.estimated_service_at
    return {
        "booking": booking,
        "ahead": ahead,
        "estimate": estimate,
        "badge": STATUS_BADGE.get(booking.status, "badge-neutral"),
        "can_cancel": booking.status == Booking.Status.BOOKED
        and timezone.now() < services.at_wita(booking.date, booking.session.starts_at),
        "is_today": booking.date == services.today_wita(),
    }


def ticket(request, code: str):
    booking = _booking_or_404(code)
    permissions.can_view_booking(request.user, booking)
    qr = segno.make_qr(booking.code, error="m")  # a full QR code: every scanner reads it
    context = _ticket_context(booking)
    context["qr_svg"] = qr.svg_inline(scale=7, dark="#111", light="#fff", border=3)
    return render(request, "clinics/ticket.html", context)


def ticket_status(request, code: str):
    """The live part of the ticket (htmx polling): status, people ahead, time."""
    booking = _booking_or_404(code)
    permissions.can_view_booking(request.user, booking)
    return render(request, "clinics/_ticket_status.html", _ticket_context(booking))


@require_POST
def ticket_cancel(request, code: str):
    booking = _booking_or_404(code)
    permissions.can_cancel_booking(request.user, booking)
    try:
        services.booking_cancel(actor=request.user, booking=booking)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Booking cancelled. The number is free again for someone else.")
        )
    return redirect("clinics:ticket", code=booking.code)


def ticket_ics(request, code: str):
    booking = _booking_or_404(code)
    permissions.can_view_booking(request.user, booking)
    body = calendar.booking_ics(
        uid=f"{booking.code}@onedata.baliprov.go.id",
        starts=services.at_wita(booking.date, booking.session.starts_at),
        ends=services.at_wita(booking.date, booking.session.ends_at),
        summary=_("Queue %(ticket)s at %(clinic)s")
        % {"ticket": booking.ticket, "clinic": booking.clinic.name},
        location=booking.clinic.address or booking.clinic.name,
        description=_("Booking code %(code)s") % {"code": booking.code},
        stamp=booking.created_at,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="antrean-{booking.code}.ics"'
    return response


# --- clinic staff --------------------------------------------------------------------------


@login_required
def console_index(request):
    clinics = list(permissions.staff_clinics(request.user).select_related("agency"))
    if not clinics:
        raise PermissionDenied
    if len(clinics) == 1:
        return redirect("clinics:console", clinic_id=clinics[0].pk)
    return render(request, "clinics/console_index.html", {"clinics": clinics})


def _staff_clinic(request, clinic_id: int) -> Clinic:
    clinic = get_object_or_404(Clinic.objects.select_related("agency"), pk=clinic_id)
    if not permissions.can_manage_queue(request.user, clinic):
        raise PermissionDenied
    return clinic


@login_required
def console(request, clinic_id: int):
    """Today's queue per service: call next, check in by code, walk-ins, each visit's step."""
    clinic = _staff_clinic(request, clinic_id)
    rows = selectors.queue_now(clinic)
    bookings = list(selectors.today_bookings(clinic))
    for booking in bookings:
        booking.badge = STATUS_BADGE.get(booking.status, "badge-neutral")
    return render(
        request,
        "clinics/console.html",
        {
            "clinic": clinic,
            "rows": rows,
            "bookings": bookings,
            "desk": request.session.get("clinics_desk", "1"),
            "can_edit_timetable": permissions.can_edit_timetable(request.user, clinic),
            "today": services.today_wita(),
        },
    )


ACTIONS = {
    "check_in",
    "call",
    "start",
    "finish",
    "no_show",
    "pharmacy",
    "medicine_ready",
    "call_next",
    "walkin",
}


@login_required
@require_POST
def console_action(request, clinic_id: int):
    clinic = _staff_clinic(request, clinic_id)
    action = request.POST.get("action", "")
    desk = (request.POST.get("desk") or request.session.get("clinics_desk") or "1").strip()[:20]
    request.session["clinics_desk"] = desk
    if action not in ACTIONS:
        messages.error(request, _("Unknown action."))
        return redirect("clinics:console", clinic_id=clinic.pk)
    try:
        if action in ("call_next", "walkin"):
            service = clinic.services.filter(pk=request.POST.get("service") or 0).first()
            if service is None:
                raise DomainError(_("Choose a service."))
            if action == "call_next":
                booking = services.queue_call_next(actor=request.user, service=service, desk=desk)
                if booking is None:
                    messages.warning(
                        request,
                        _("Nobody is waiting for %(service)s.")
                        % {"service": service.get_kind_display()},
                    )
                else:
                    messages.success(
                        request,
                        _("Calling %(ticket)s to counter %(desk)s.")
                        % {"ticket": booking.ticket, "desk": booking.desk},
                    )
            else:
                booking = services.walkin_issue(
                    actor=request.user, service=service, name=request.POST.get("name", "")
                )
                messages.success(
                    request, _("Walk-in number %(ticket)s issued.") % {"ticket": booking.ticket}
                )
        else:
            booking = services.booking_find(request.POST.get("code", ""))
            if booking.clinic_id != clinic.pk:
                raise NotFound(_("That booking is for another clinic."))
            if booking.date != services.today_wita() and action == "check_in":
                raise DomainError(
                    _("That booking is for %(date)s, not today.")
                    % {"date": booking.date.strftime("%d-%m-%Y")}
                )
            booking = services.booking_step(
                actor=request.user, booking=booking, step=action, desk=desk
            )
            messages.success(
                request,
                _("%(ticket)s (%(name)s): %(status)s.")
                % {
                    "ticket": booking.ticket,
                    "name": booking.name or _("walk-in"),
                    "status": booking.get_status_display(),
                },
            )
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("clinics:console", clinic_id=clinic.pk)


# --- display board -------------------------------------------------------------------------


def board(request, clinic_id: int):
    clinic = get_object_or_404(Clinic.objects.select_related("agency"), pk=clinic_id)
    return render(
        request, "clinics/board.html", {"clinic": clinic, "rows": selectors.queue_now(clinic)}
    )


def board_panel(request, clinic_id: int):
    clinic = get_object_or_404(Clinic, pk=clinic_id)
    return render(
        request,
        "clinics/_board_panel.html",
        {"clinic": clinic, "rows": selectors.queue_now(clinic)},
    )


# --- statistics ----------------------------------------------------------------------------


@login_required
def statistics(request):
    if not permissions.can_view_statistics(request.user):
        raise PermissionDenied
    try:
        days = max(1, min(90, int(request.GET.get("days", 14))))
    except ValueError:
        days = 14
    today = services.today_wita()
    since = today - timedelta(days=days - 1)
    visible = Clinic.objects.filter(permissions.statistics_filter(request.user))
    rows = (
        Booking.objects.filter(clinic__in=visible, date__gte=since, date__lte=today)
        .values("clinic__agency__name", "date")
        .annotate(
            bookings=Count("pk", filter=~Q(status=Booking.Status.CANCELLED)),
            online=Count("pk", filter=Q(channel="online") & ~Q(status="cancelled")),
            done=Count("pk", filter=Q(status=Booking.Status.DONE)),
            no_shows=Count("pk", filter=Q(status=Booking.Status.NO_SHOW)),
            cancelled=Count("pk", filter=Q(status=Booking.Status.CANCELLED)),
            wait=Avg(F("called_at") - F("checked_in_at"), filter=Q(called_at__isnull=False)),
            service_time=Avg(
                F("finished_at") - F("started_at"), filter=Q(status=Booking.Status.DONE)
            ),
        )
        .order_by("-date", "clinic__agency__name")
    )
    table = []
    for row in rows:
        row["wait_minutes"] = _minutes(row["wait"])
        row["service_minutes"] = _minutes(row["service_time"])
        table.append(row)
    per_day: dict[date, dict] = {}
    for row in table:
        day = per_day.setdefault(row["date"], {"date": row["date"], "bookings": 0, "no_shows": 0})
        day["bookings"] += row["bookings"]
        day["no_shows"] += row["no_shows"]
    chart = sorted(per_day.values(), key=lambda d: d["date"])
    peak = max([d["bookings"] for d in chart] or [1]) or 1
    for index, day in enumerate(chart):
        day["x"] = index * 28 + 4
        day["height"] = round(day["bookings"] / peak * 120)
        day["y"] = 130 - day["height"]
        day["no_show_height"] = round(day["no_shows"] / peak * 120)
        day["no_show_y"] = 130 - day["no_show_height"]
    totals = {
        "bookings": sum(r["bookings"] for r in table),
        "done": sum(r["done"] for r in table),
        "no_shows": sum(r["no_shows"] for r in table),
        "cancelled": sum(r["cancelled"] for r in table),
    }
    totals["no_show_rate"] = (
        round(100 * totals["no_shows"] / totals["bookings"]) if totals["bookings"] else 0
    )
    return render(
        request,
        "clinics/statistics.html",
        {
            "table": table,
            "chart": chart,
            "chart_width": max(1, len(chart)) * 28 + 8,
            "totals": totals,
            "days": days,
            "since": since,
            "today": today,
        },
    )


def _minutes(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, timedelta):
        return round(value.total_seconds() / 60, 1)
    return round(float(value) / 60_000_000, 1)  # SQLite gives microseconds


# --- the timetable (clinic staff) ----------------------------------------------------------


def _editable_clinic(request, clinic_id: int) -> Clinic:
    clinic = get_object_or_404(Clinic.objects.select_related("agency"), pk=clinic_id)
    if not permissions.can_edit_timetable(request.user, clinic):
        raise PermissionDenied
    return clinic


def _timetable_forms(clinic: Clinic, data=None, which: str = "") -> dict:
    """Every form of the page, unbound with today's values, except the one posted."""
    hours_initial = {}
    for h in clinic.hours.all():
        hours_initial[f"opens_{h.weekday}"] = h.opens_at
        hours_initial[f"closes_{h.weekday}"] = h.closes_at
    settings_initial = {
        "booking_days_ahead": clinic.booking_days_ahead,
        "booking_cutoff_minutes": clinic.booking_cutoff_minutes,
        "is_active": clinic.is_active,
    }
    return {
        "settings_form": SettingsForm(
            data if which == "settings" else None, initial=settings_initial
        ),
        "hours_form": HoursForm(data if which == "hours" else None, initial=hours_initial),
        "session_add_form": SessionAddForm(
            data if which == "session_add" else None,
            clinic=clinic,
            prefix="new",
            initial={"weekdays": [0, 1, 2, 3, 4, 5]},
        ),
        "closure_form": ClosureForm(data if which == "closure" else None, clinic=clinic),
    }


@login_required
@require_http_methods(["GET", "POST"])
def timetable_edit(request, clinic_id: int):
    """Booking settings, opening hours, sessions and quotas, closures: one page, one form
    per part; a form with mistakes comes back with what was typed, errors beside fields."""
    clinic = _editable_clinic(request, clinic_id)
    which = request.POST.get("form", "") if request.method == "POST" else ""
    forms_ = _timetable_forms(clinic, request.POST, which)
    edited_session, edited_form = None, None
    if request.method == "POST":
        done, edited_session, edited_form = _timetable_post(request, clinic, which, forms_)
        if done:
            return redirect(reverse("clinics:timetable", args=[clinic.pk]) + done)
    data = selectors.timetable(clinic)
    services_rows = []
    for service, sessions in data.services:
        rows = []
        for session in sessions:
            if edited_session is not None and session.pk == edited_session:
                form = edited_form
            else:
                form = SessionForm(
                    prefix=f"s{session.pk}",
                    initial={name: getattr(session, name) for name in timetable.SESSION_FIELDS},
                )
            rows.append((session, form))
        services_rows.append((service, rows))
    errors = any(f.errors for f in [*forms_.values(), edited_form] if f is not None and f.is_bound)
    return render(
        request,
        "clinics/timetable.html",
        {
            "clinic": clinic,
            "services_rows": services_rows,
            "closures": data.closures,
            **forms_,
        },
        status=400 if errors else 200,
    )


def _timetable_post(request, clinic: Clinic, which: str, forms_: dict):
    """Returns (anchor to redirect to, or "" when the page is shown again; the session
    being edited; its bound form)."""
    actor = request.user
    try:
        if which == "settings":
            form = forms_["settings_form"]
            if form.is_valid():
                timetable.clinic_update(actor=actor, clinic=clinic, **form.cleaned_data)
                messages.success(request, _("Booking settings saved."))
                return "#settings", None, None
        elif which == "hours":
            form = forms_["hours_form"]
            if form.is_valid():
                try:
                    timetable.clinic_hours_set(actor=actor, clinic=clinic, hours=form.hours())
                except DomainError as error:
                    for name, problems in error.fields.items():
                        day = name.removeprefix("hours_")
                        for problem in problems:
                            form.add_error(f"opens_{day}" if day.isdigit() else None, problem)
                else:
                    messages.success(request, _("Opening hours saved."))
                    return "#hours", None, None
        elif which == "session_add":
            form = forms_["session_add_form"]
            if form.is_valid():
                service = clinic.services.get(pk=form.cleaned_data["service"])
                try:
                    created = timetable.session_create(
                        actor=actor,
                        service=service,
                        weekdays=form.cleaned_data["weekdays"],
                        data=form.session_input(),
                    )
                except DomainError as error:
                    apply_error(form, error)
                else:
                    messages.success(
                        request,
                        ngettext("%(n)d session added.", "%(n)d sessions added.", len(created))
                        % {"n": len(created)},
                    )
                    return f"#service-{service.pk}", None, None
        elif which == "session":
            session = get_object_or_404(
                Session, pk=request.POST.get("session") or 0, service__clinic=clinic
            )
            if request.POST.get("delete"):
                timetable.session_delete(actor=actor, session=session)
                messages.success(request, _("Session removed."))
                return f"#service-{session.service_id}", None, None
            form = SessionForm(request.POST, prefix=f"s{session.pk}")
            if form.is_valid():
                try:
                    timetable.session_update(
                        actor=actor, session=session, data=form.session_input()
                    )
                except DomainError as error:
                    apply_error(form, error)
                else:
                    messages.success(request, _("Session saved."))
                    return f"#session-{session.pk}", None, None
            messages.error(request, _("The session was not saved; see the marked fields."))
            return "", session.pk, form
        elif which == "closure":
            form = forms_["closure_form"]
            if form.is_valid():
                data = form.cleaned_data
                service = (
                    clinic.services.filter(pk=data["service"]).first() if data["service"] else None
                )
                try:
                    closure, touched = timetable.closure_create(
                        actor=actor,
                        clinic=clinic,
                        service=service,
                        day=data["date"],
                        reason=data["reason"],
                        today=services.today_wita(),
                    )
                except DomainError as error:
                    apply_error(form, error)
                else:
                    messages.success(
                        request,
                        _("Closed on %(date)s.") % {"date": closure.date.strftime("%d-%m-%Y")},
                    )
                    if touched:
                        messages.warning(
                            request,
                            ngettext(
                                "%(n)d person booked that day: tell them the clinic is closed.",
                                "%(n)d people booked that day: tell them the clinic is closed.",
                                touched,
                            )
                            % {"n": touched},
                        )
                    return "#closures", None, None
        elif which == "closure_delete":
            closure = get_object_or_404(Closure, pk=request.POST.get("closure") or 0, clinic=clinic)
            timetable.closure_delete(actor=actor, closure=closure)
            messages.success(request, _("The day is open again."))
            return "#closures", None, None
        else:
            messages.error(request, _("Unknown action."))
            return "#", None, None
    except DomainError as error:
        messages.error(request, error.message)
        return "#", None, None
    return "", None, None
