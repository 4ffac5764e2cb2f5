"""Background tasks through the django-tasks API on Redis (RQ), over a real connection."""

from __future__ import annotations

import pytest
from django.test import override_settings

from loa.accounts.models import User


@pytest.mark.redis
@pytest.mark.real_clock(
    "RQ weighs Python's clock (job and registry timestamps) against Redis's (key expiry, locks); "
    "with Python years ahead of the server the worker's teardown can hang"
)
@pytest.mark.django_db(transaction=True)
def test_rq_backend_runs_a_task_in_a_worker(redis_url: str, users: dict[str, User]) -> None:
    import django_rq
    from django_tasks.base import TaskResultStatus
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    from tests.rq_tasks import deactivate_account_task

    with override_settings(
        RQ_QUEUES={"default": {"URL": redis_url}},
        TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
    ):
        result = deactivate_account_task.enqueue(users["pvn_staff"].pk)
        assert result.status == TaskResultStatus.READY
        queue = django_rq.get_queue("default", job_class=Job)
        assert queue.count == 1
        # A real RQ worker over the real connection, in this process so it shares the test database.
        worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
        assert worker.work(burst=True)
        finished = deactivate_account_task.get_result(result.id)
        assert finished.status == TaskResultStatus.SUCCESSFUL
        assert finished.return_value == "pvn.staff"
    users["pvn_staff"].refresh_from_db()
    assert users["pvn_staff"].is_active is False
