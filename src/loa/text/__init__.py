"""Vietnamese text core: everything Loa matches, searches or counts passes through here.

Plain Python, no Django import. The main entry points:

- `normalize(text)`: one canonical form (NFC, canonical tone placement, entities decoded,
  mojibake and legacy encodings repaired, odd spaces and invisible characters removed).
- `fold(text)`: the key for diacritic-insensitive matching; same length as `normalize(text)`.
- `find_references(text)`: party and state document numbers with type, issuer and date.
- `find_dates(text)`, `parse_news_datetime(text, now)`: Vietnamese dates and news times.
- `sentences(text)`, `syllables(text)`: spans for highlighting and counting.
"""

from loa.text.dates import DateMatch, find_dates, parse_news_datetime
from loa.text.docrefs import DocumentReference, find_references, parse_symbol
from loa.text.folding import fold
from loa.text.normalization import normalize
from loa.text.tokens import Span, sentences, syllables

__all__ = [
    "DateMatch",
    "DocumentReference",
    "Span",
    "find_dates",
    "find_references",
    "fold",
    "normalize",
    "parse_news_datetime",
    "parse_symbol",
    "sentences",
    "syllables",
]
