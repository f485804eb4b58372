"""Background tasks (django-tasks): rendering a published follow-up's PDF off the request path."""

from django_tasks import task


@task()
def render_report(followup_pk):
    """Thin wrapper: the work is reports.render_and_store, which tests call directly."""
    from .models import FollowUp
    from .reports import render_and_store

    render_and_store(FollowUp.objects.get(pk=followup_pk))
