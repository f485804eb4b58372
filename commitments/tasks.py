"""Background tasks (django-tasks) of the public side: rendering a page a reader found stale."""

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
