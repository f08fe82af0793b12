"""Third-party apps shown in the admin, named in the user's language.

django-axes, django-celery-beat, django-celery-results and django-otp ship no Vietnamese
catalogue, and some of their names are not marked for translation at all. Their strings are
translated in our own catalogue (``locale/``, which Django reads first); the list below keeps
them there when ``make messages`` refreshes it. Names that the apps do not mark for
translation are replaced here.
"""

from __future__ import annotations

from typing import Any

from axes.apps import AppConfig as AxesAppConfig
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_celery_beat.apps import BeatConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Log-in lockouts")

    def ready(self) -> None:
        super().ready()
        from axes.admin import AccessAttemptAdmin

        # A list column named after its method, which has no translatable description upstream.
        admin.display(description=_("Status"))(AccessAttemptAdmin.status)


class CeleryBeatConfig(BeatConfig):
    def ready(self) -> None:
        super().ready()
        from django_celery_beat.models import CrontabSchedule, PeriodicTask

        # List columns named after properties, with no translatable description upstream.
        admin.display(description=_("Human readable"))(CrontabSchedule.human_readable.fget)
        admin.display(description=_("Scheduler"))(PeriodicTask.scheduler.fget)


class TOTPConfig(TOTPAppConfig):
    verbose_name = _("Two-step verification")

    def ready(self) -> None:
        super().ready()
        from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
        from django_otp.plugins.otp_totp.models import TOTPDevice

        class TranslatedTOTPDeviceAdmin(TOTPDeviceAdmin):
            list_display = [
                "device_user",
                "device_name",
                "device_created_at",
                "device_last_used_at",
                "device_confirmed",
            ]

            @admin.display(description=_("user"), ordering="user")
            def device_user(self, obj: Any) -> Any:
                return obj.user

            @admin.display(description=_("name"), ordering="name")
            def device_name(self, obj: Any) -> str:
                return obj.name

            @admin.display(description=_("created"), ordering="created_at")
            def device_created_at(self, obj: Any) -> Any:
                return obj.created_at

            @admin.display(description=_("last used"), ordering="last_used_at")
            def device_last_used_at(self, obj: Any) -> Any:
                return obj.last_used_at

            @admin.display(description=_("confirmed"), boolean=True, ordering="confirmed")
            def device_confirmed(self, obj: Any) -> bool:
                return obj.confirmed

        # The model's names are plain strings upstream; the admin index shows these instead.
        TOTPDevice._meta.verbose_name = _("TOTP device")
        TOTPDevice._meta.verbose_name_plural = _("TOTP devices")
        if admin.site.is_registered(TOTPDevice):
            admin.site.unregister(TOTPDevice)
        admin.site.register(TOTPDevice, TranslatedTOTPDeviceAdmin)


# Strings of the third-party apps' admin pages (names, list columns, actions), translated in
# locale/vi; listed so that makemessages keeps them.
THIRD_PARTY_MESSAGES = [
    # django-celery-beat
    gettext_noop("Periodic Tasks"),
    gettext_noop("periodic task"),
    gettext_noop("periodic tasks"),
    gettext_noop("Enabled"),
    gettext_noop("Scheduler"),
    gettext_noop("Interval Schedule"),
    gettext_noop("Start Datetime"),
    gettext_noop("Last Run Datetime"),
    gettext_noop("One-off Task"),
    gettext_noop("Enable selected tasks"),
    gettext_noop("Disable selected tasks"),
    gettext_noop("Toggle activity of selected tasks"),
    gettext_noop("Run selected tasks"),
    gettext_noop("clocked"),
    gettext_noop("Clock Time"),
    gettext_noop("crontab"),
    gettext_noop("crontabs"),
    gettext_noop("Human readable"),
    gettext_noop("solar event"),
    gettext_noop("solar events"),
    gettext_noop("interval"),
    gettext_noop("intervals"),
    # django-celery-results
    gettext_noop("Celery Results"),
    gettext_noop("task result"),
    gettext_noop("task results"),
    gettext_noop("Task ID"),
    gettext_noop("Periodic Task Name"),
    gettext_noop("Task Name"),
    gettext_noop("Completed DateTime"),
    gettext_noop("Task State"),
    gettext_noop("Worker"),
    gettext_noop("group result"),
    gettext_noop("group results"),
    gettext_noop("Group ID"),
    # django-axes
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("Attempt Time"),
    gettext_noop("IP Address"),
    gettext_noop("User Agent"),
    gettext_noop("Path"),
    gettext_noop("Failed Logins"),
    gettext_noop("Logout Time"),
    gettext_noop("Access lock out"),
    gettext_noop("Clean up expired attempts"),
    # django-simple-history's pages in the admin
    gettext_noop('The %(name)s "%(obj)s" was changed successfully.'),
    gettext_noop("You may edit it again below"),
    gettext_noop("Revert %s"),
    gettext_noop("Deleted"),
    gettext_noop("Choose a date from the list below to revert to a previous version of this object."),
    gettext_noop("This object doesn't have a change history."),
    gettext_noop("Revert %(verbose_name)s"),
    gettext_noop("Press the 'Revert' button below to revert to this version of the object."),
    gettext_noop("Or press the 'Change History' button to edit the history."),
    gettext_noop("Object"),
    gettext_noop("Changed by"),
    gettext_noop("Change reason"),
    gettext_noop("Revert"),
    gettext_noop("Change History"),
    # Django's admin, where its Vietnamese catalogue is incomplete
    gettext_noop("Models in the %(name)s application"),
    gettext_noop("History"),  # Django's own Vietnamese reads "Bản ghi nhớ" (a memo)
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Breadcrumbs"),
    gettext_noop("Skip to main content"),
    gettext_noop("Toggle navigation"),
    gettext_noop("Sidebar"),
    gettext_noop("Filter navigation items"),
    gettext_noop("Hide counts"),
    gettext_noop("Show counts"),
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop("Added:"),
    gettext_noop("Changed:"),
    gettext_noop("Deleted:"),
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("View selected %(model)s"),
    gettext_noop("Error:"),
]
