"""Follow-up pages for citizens (/loften/<slug>/uppfoljningar/…) and the Atom feed."""

from django.urls import path
from django.views.decorators.http import condition

from commitments.cache import etag, last_modified

from . import views
from .easy_read import followup_easy_read
from .feeds import FollowUpFeed

app_name = "followups"
_TERTIAL = "loften/<slug:slug>/uppfoljningar/<str:tertial>/"
urlpatterns = [
    path(_TERTIAL, views.detail, name="detail"),
    path(f"{_TERTIAL}rapport.pdf", views.report_pdf, name="pdf"),
    path(f"{_TERTIAL}lattlast/", followup_easy_read, name="easy_read"),
    path(f"{_TERTIAL}sammanstallning.json", views.summary_json, name="json"),
    path(f"{_TERTIAL}v<int:version>/", views.detail, name="version"),
    path(f"{_TERTIAL}v<int:version>/rapport.pdf", views.report_pdf, name="version_pdf"),
    path(f"{_TERTIAL}v<int:version>/delning.png", views.share_image, name="share_image"),
    path(
        "loften/<slug:slug>/flode/",
        condition(etag_func=etag, last_modified_func=last_modified)(FollowUpFeed()),
        name="feed",
    ),
]
