"""Set up Django once for the scenarios that need the ORM, on a freshly migrated database."""

from __future__ import annotations

_ready = False


def setup() -> None:
    global _ready
    if _ready:
        return
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    _ready = True
