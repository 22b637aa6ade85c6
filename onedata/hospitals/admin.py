from django.contrib import admin

from onedata.hospitals import models


class TankInline(admin.TabularInline):
    model = models.LiquidTank
    extra = 0


class GeneratorInline(admin.TabularInline):
    model = models.Generator
    extra = 0


@admin.register(models.Hospital)
class HospitalAdmin(admin.ModelAdmin):
    list_display = ("agency", "type", "latitude", "longitude")
    list_filter = ("type",)
    inlines = [TankInline, GeneratorInline]


@admin.register(models.CylinderType)
class CylinderTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "volume_m3")


@admin.register(models.Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("hospital", "reported_at", "stock_m3", "delivered_m3")
    list_select_related = ("hospital__agency",)
    date_hierarchy = "reported_at"


@admin.register(models.AllocationPlan)
class AllocationPlanAdmin(admin.ModelAdmin):
    list_display = ("pk", "created_at", "supply_m3", "status", "min_cover_hours")
    list_filter = ("status",)
