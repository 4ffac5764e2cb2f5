"""English formats keep the Vietnamese date order (dd/mm/yyyy): both languages read alike."""

from loa.formats.vi.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
