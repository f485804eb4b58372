"""A published follow-up in easy Swedish (lättläst): FollowUp.easy_read on a page of its own,
linked from the follow-up's page; the template is the promise's (commitments/views/easy_read.py).
"""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from commitments.cache import cached_public_page

from .views import _public_versions


@require_safe
@cached_public_page
def followup_easy_read(request, slug, tertial):
    followup = _public_versions(slug, tertial)[0]
    if not followup.easy_read.strip():
        raise Http404
    context = {
        "promise": followup.promise,
        "title": _("Follow-up %(period)s of %(promise)s")
        % {"period": followup.period, "promise": followup.promise.title},
        "text": followup.easy_read,
        "full_url": followup.get_absolute_url(),
    }
    return render(request, "easy_read.html", context)
