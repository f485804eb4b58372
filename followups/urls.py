"""Follow-up pages: public (/loften/<slug>/uppfoljningar/...) and staff (/personal/...)."""

from django.urls import path
from django.views.decorators.http import condition

from commitments.cache import etag, last_modified

from . import views
from .feeds import FollowUpFeed

app_name = "followups"
_TERTIAL = "loften/<slug:slug>/uppfoljningar/<str:tertial>/"
_STAFF = "personal/uppfoljningar/"
urlpatterns = [
    path(_TERTIAL, views.detail, name="detail"),
    path(f"{_TERTIAL}rapport.pdf", views.report_pdf, name="pdf"),
    path(f"{_TERTIAL}v<int:version>/", views.detail, name="version"),
    path(f"{_TERTIAL}v<int:version>/rapport.pdf", views.report_pdf, name="version_pdf"),
    path(_STAFF, views.staff_calendar, name="staff_calendar"),
    path(f"{_STAFF}<slug:slug>/<str:tertial>/ny/", views.staff_start, name="staff_start"),
    path(f"{_STAFF}<int:pk>/", views.staff_detail, name="staff_detail"),
    path(f"{_STAFF}<int:pk>/redigera/", views.staff_edit, name="staff_edit"),
    path(f"{_STAFF}<int:pk>/korrigera/", views.staff_correct, name="staff_correct"),
    path(f"{_STAFF}<int:pk>/utkast.pdf", views.staff_draft_pdf, name="staff_draft_pdf"),
    path(f"{_STAFF}<int:pk>/rapport/forsok-igen/", views.staff_retry, name="staff_retry"),
    path(f"{_STAFF}<int:pk>/<str:action>/", views.staff_transition, name="staff_transition"),
    path("personal/loften/<slug:slug>/kopiera/", views.staff_copy_promise, name="staff_copy"),
    path(
        "loften/<slug:slug>/flode/",
        condition(etag_func=etag, last_modified_func=last_modified)(FollowUpFeed()),
        name="feed",
    ),
]
