"""Back office for the clinic queue: clinics with their hours, services with sessions,
closures; bookings read-only (they change only through services, under the day lock)."""

from django.contrib import admin

from onedata.clinics.models import (
    Booking,
    Clinic,
    Closure,
    OpeningHours,
    Service,
    Session,
    VisitEvent,
)


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["agency", "kind", "booking_days_ahead", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["agency__name"]
    raw_id_fields = ["agency"]
    inlines = [OpeningHoursInline]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["clinic", "kind", "prefix", "default_minutes", "counters", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["clinic__agency__name"]
    inlines = [SessionInline]


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["date", "clinic", "service", "reason"]
    date_hierarchy = "date"


class VisitEventInline(admin.TabularInline):
    model = VisitEvent
    extra = 0
    can_delete = False
    readonly_fields = ["task", "status", "at", "actor"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["code", "clinic", "service", "date", "queue_number", "status", "channel"]
    list_filter = ["status", "channel", "date"]
    search_fields = ["code"]
    inlines = [VisitEventInline]
    exclude = ["nik", "phone", "idempotency_key", "request_hash"]
    readonly_fields = [
        "code",
        "clinic",
        "service",
        "session",
        "date",
        "queue_number",
        "channel",
        "jkn",
        "name",
        "phone_masked",
        "email",
        "bpjs_number",
        "user",
        "status",
        "estimated_service_at",
        "desk",
        "reminder_sent_at",
        "checked_in_at",
        "called_at",
        "started_at",
        "finished_at",
        "cancelled_at",
        "nik_masked",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
