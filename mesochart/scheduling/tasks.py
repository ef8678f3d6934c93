"""The background work of the calendar, through Django's task API (django-tasks)."""

from django_tasks import task

from mesochart.scheduling import reminders


@task()
def send_reminder(reminder_id: int) -> str:
    return reminders.deliver(reminder_id)


@task()
def sweep_reminders() -> int:
    return len(reminders.sweep())


@task()
def send_offer(entry_id: int) -> str:
    from mesochart.scheduling import waitlist

    return waitlist.send(entry_id)
