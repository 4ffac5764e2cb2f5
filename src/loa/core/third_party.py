"""Vietnamese names for the sections the Django admin shows for the libraries Loa uses.

The app names come from these AppConfig subclasses, listed in INSTALLED_APPS in place of the
libraries' own. The model names are the libraries' own msgids, translated in Loa's catalogue
(LOCALE_PATHS come before the libraries' catalogues); they are named below so that
`make messages` keeps them. Model options are not changed here: that would ask for migrations
in the libraries' apps."""

from __future__ import annotations

from auditlog.apps import AuditlogConfig
from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_rq.apps import DjangoRqAdminConfig
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Login protection")


class TasksDatabaseConfig(TasksAppConfig):
    # The library annotates a plain str; Django reads any string-like name, lazy ones too.
    verbose_name = _("Background tasks")  # type: ignore[assignment]


class RQConfig(DjangoRqAdminConfig):
    verbose_name = _("Task queues (RQ)")


class AuditConfig(AuditlogConfig):
    verbose_name = _("Audit log")


# The libraries' model names, as their models spell them (translated in Loa's catalogue).
LIBRARY_MSGIDS = (
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("log entry"),
    gettext_noop("log entries"),
    # The change log's actions, as django-auditlog names them.
    gettext_noop("create"),
    gettext_noop("update"),
    gettext_noop("delete"),
    gettext_noop("access"),
    # django.contrib.sessions has no Vietnamese name in Django's own catalogue.
    gettext_noop("Sessions"),
)
