"""Back-office screens: holidays, schedules, offices and locations, leave types.
Biometric templates and check-ins are not shown here (their pages audit every access)."""

from django.contrib import admin

from onedata.attendance.models import (
    Holiday,
    LeaveType,
    Office,
    OfficeLocation,
    RamadanPeriod,
    Schedule,
    ShiftAssignment,
)


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "start",
        "end",
        "end_friday",
        "workdays",
        "late_grace",
        "early_grace",
        "works_on_holidays",
        "ramadan_start",
        "ramadan_end",
    ]


@admin.register(RamadanPeriod)
class RamadanPeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "start", "end"]


@admin.register(ShiftAssignment)
class ShiftAssignmentAdmin(admin.ModelAdmin):
    list_display = ["date", "employee", "schedule"]
    list_filter = ["schedule"]
    date_hierarchy = "date"
    raw_id_fields = ["employee", "created_by"]


class LocationInline(admin.TabularInline):
    model = OfficeLocation
    extra = 0

    def get_queryset(self, request):
        # The default manager hides locations no longer in use; the admin shows them all.
        return OfficeLocation.all_objects.all()


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "schedule"]
    search_fields = ["name"]
    autocomplete_fields = ["agency"]
    inlines = [LocationInline]


@admin.register(LeaveType)
class LeaveTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "days_per_year", "needs_balance", "half_days"]
