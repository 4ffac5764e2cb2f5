"""The names of an article's tone, as stored, trained and charted: the one list every layer
uses (the classifier's labels, `analysis.models.Sentiment`, report charts), most serious first."""

from __future__ import annotations

TONE_NAMES = ("negative", "neutral", "positive")
