"""A task for scheduler tests, kept on the database queue so that enqueues are counted as rows."""

from django_tasks import task


@task(backend="database")
def record_task() -> str:
    return "ok"
