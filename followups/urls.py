"""Follow-up pages: public (/loften/<slug>/uppfoljningar/...) and staff (/personal/...)."""

from django.urls import path
from django.views.decorators.http import condition

from commitments.cache import etag, last_modified

from . import views
from .feeds import FollowUpFeed

app_name = "followups"
urlpatterns = [
    path("loften/<slug:slug>/uppfoljningar/<str:tertial>/", views.detail, name="detail"),
    path(
        "loften/<slug:slug>/flode/",
        condition(etag_func=etag, last_modified_func=last_modified)(FollowUpFeed()),
        name="feed",
    ),
]
