"""Background tasks (django-tasks): rendering a published follow-up's PDF and its share image
off the request path."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def render_report(followup_pk):
    """Thin wrapper: the work is reports.render_and_store and sharing.render_and_store_image,
    which tests call directly. The image is drawn after the report, and a failure to draw it
    never costs the report."""
    from .models import FollowUp
    from .reports import render_and_store
    from .sharing import render_and_store_image

    followup = render_and_store(FollowUp.objects.get(pk=followup_pk))
    try:
        render_and_store_image(followup)
    except Exception:
        logger.exception("The share image of follow-up %s could not be drawn.", followup_pk)
