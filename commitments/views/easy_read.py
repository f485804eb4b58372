"""The promise in easy Swedish (lättläst): a page of its own, linked from the promise's page.

Written by the coordinators in the workspace (Promise.easy_read); the follow-ups' own easy
versions are served by followups/easy_read.py with the same template.
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..cache import cached_public_page
from .public import public_promise


@require_safe
@cached_public_page
def promise_easy_read(request, slug):
    promise, _earlier, _successors = public_promise(slug)
    if not promise.easy_read.strip():
        raise Http404
    context = {
        "promise": promise,
        "title": promise.title,
        "text": promise.easy_read,
        "full_url": promise.get_absolute_url(),
    }
    return render(request, "easy_read.html", context)
