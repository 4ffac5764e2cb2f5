"""A task for real worker processes (the default backend of `loa worker`, not the test settings)."""

from pathlib import Path

from django_tasks import task


@task(queue_name="default")
def slow_first_run_task(marker: str) -> str:
    """Hang on its first run, so that the test can kill the worker mid-task; later runs finish."""
    path = Path(marker)
    if not path.exists():
        path.write_text("started", encoding="utf-8")
        import time

        time.sleep(300)
    return "done"
