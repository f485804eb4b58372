"""Background tasks (django-tasks): rendering a public page a reader found stale; staff exports."""

from django_tasks import task


@task()
def render_public_page(path, language):
    """Thin wrapper: the work is rendering.render_page, which tests call directly.

    Returns the status: a page gone meanwhile (its promise unpublished) answers 404 and stores
    nothing.
    """
    from .cache import rendering_started
    from .rendering import render_page

    rendering_started(path, language)
    return render_page(path, language).status_code


@task()
def prepare_export(export_pk):
    """Thin wrapper: the work is export_files.prepare, which tests call directly."""
    from .export_files import prepare
    from .models import ActivityExport

    prepare(ActivityExport.objects.select_related("requested_by").get(pk=export_pk))
