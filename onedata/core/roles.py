"""The platform's roles. Plain enum so pure modules and tests can name them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("Platform admin")
    AGENCY_ADMIN = "agency_admin", _("Agency admin")
    DATA_STEWARD = "data_steward", _("Data steward")
    DATA_PRODUCER = "data_producer", _("Data producer")
    HOSPITAL_REPORTER = "hospital_reporter", _("Hospital reporter")
    HEALTH_ANALYST = "health_analyst", _("Health analyst")
    CLINIC_STAFF = "clinic_staff", _("Clinic staff")
    HR_ADMIN = "hr_admin", _("HR admin")
    SUPERVISOR = "supervisor", _("Supervisor")
    EMPLOYEE = "employee", _("Employee")
    VILLAGE_TREASURER = "village_treasurer", _("Village treasurer")
    VILLAGE_HEAD = "village_head", _("Village head")
    FACT_CHECKER = "fact_checker", _("Fact-checker")
    APP_DEVELOPER = "app_developer", _("Application developer")
    CITIZEN = "citizen", _("Citizen")
