"""`{{ value|tone_label }}`: every template names a tone through the one label of `Sentiment`."""

from __future__ import annotations

from django import template

from loa.analysis.models import tone_label as _tone_label

register = template.Library()


@register.filter
def tone_label(value: object) -> str:
    return _tone_label(str(value or ""))
