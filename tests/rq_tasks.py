"""A task with a visible effect, for the RQ backend test."""

from django_tasks import task


@task()
def deactivate_account_task(user_id: int) -> str:
    from loa.accounts.models import User

    user = User.objects.get(pk=user_id)
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user.username
