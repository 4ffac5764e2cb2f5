"""The roster of the information work: speakers (báo cáo viên), propagandists, collaborators and
press contacts, and their training courses.

Personal data kept to what the work needs (Nghị định 13/2023, Law 91/2025): a name, a position,
a way to reach the person and what they speak or write on — no birth date, identity number,
address or opinion. Each person's consent and the date until which the record may be kept are
recorded; past that date the record is erased (its training stays counted, nameless). Every
change is audited and every look at a person is logged (`auditlog` ACCESS entries).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonKind(models.TextChoices):
    SPEAKER = "speaker", _("speaker (báo cáo viên)")
    PROPAGANDIST = "propagandist", _("propagandist (tuyên truyền viên)")
    COLLABORATOR = "collaborator", _("collaborator (cộng tác viên)")
    PRESS = "press", _("press contact")


class Person(models.Model):
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="people")
    kind = models.CharField(_("role"), max_length=12, choices=PersonKind.choices)
    full_name = models.CharField(_("full name"), max_length=120)
    position = models.CharField(
        _("position"), max_length=200, blank=True, help_text=_("Post held, or the outlet and desk of a journalist.")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    expertise = models.CharField(_("fields"), max_length=300, blank=True, help_text=_("What they speak or write on."))
    consent_on = models.DateField(_("consent given on"))
    consent_note = models.CharField(
        _("consent"), max_length=300, help_text=_("How consent was given and for what use (e.g. signed form, e-mail).")
    )
    retain_until = models.DateField(_("keep until"), help_text=_("The record is erased after this day."))
    active = models.BooleanField(_("active"), default=True)
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["unit__path", "full_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(retain_until__gt=models.F("consent_on")), name="person_retention_after_consent"
            )
        ]

    def __str__(self) -> str:
        return self.full_name


class Course(models.Model):
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("organised by"), on_delete=models.PROTECT, related_name="courses"
    )
    title = models.CharField(_("title"), max_length=300)
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    hours = models.PositiveSmallIntegerField(_("hours"), default=8)
    place = models.CharField(_("venue"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="course_dates")
        ]

    def __str__(self) -> str:
        return self.title


class Enrolment(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="enrolments")
    attended = models.BooleanField(_("attended"), null=True, help_text=_("Empty until attendance is recorded."))
    certificate_no = models.CharField(_("certificate"), max_length=60, blank=True)
    certified_on = models.DateField(_("certified on"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["course", "person"], name="enrolment_once"),
            models.UniqueConstraint(
                fields=["certificate_no"], condition=~models.Q(certificate_no=""), name="certificate_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.course}"
