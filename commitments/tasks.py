"""Background tasks (django-tasks) of the public side: rendering pages after a change."""

from django_tasks import task


@task()
def render_public_pages(slug=None):
    """Thin wrapper: the work is rendering.render_promise_pages, which tests call directly.

    `slug` None renders the home page only. A promise unpublished or gone meanwhile is
    skipped (its pages answer 404 to readers).
    """
    from .cache import HOME, rendering_started
    from .models import Promise
    from .rendering import render_home, render_promise_pages

    rendering_started(slug or HOME)
    if slug is None:
        return render_home()
    promise = Promise.objects.public().filter(slug=slug).first()
    return render_home() if promise is None else render_promise_pages(promise)
