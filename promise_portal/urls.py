"""The URL map: public pages in Swedish (English under /en/), the staff area, admin, health."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.http import condition

from commitments.cache import etag, last_modified
from commitments.sitemaps import SITEMAPS
from followups.sitemaps import FollowUpSitemap

from . import views

urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    # Answers a conditional GET by the published promises' versions (commitments/cache.py).
    path(
        "sitemap.xml",
        condition(etag_func=etag, last_modified_func=last_modified)(sitemap),
        {"sitemaps": {**SITEMAPS, "followups": FollowUpSitemap}},
        name="sitemap",
    ),
    path("admin/", admin.site.urls),
]
urlpatterns += i18n_patterns(
    path("", include("commitments.urls")),
    path("", include("followups.urls")),
    path("", include("feedback.urls")),
    path("", include("subscriptions.urls")),
    path("personal/", include("commitments.staff_urls")),
    path("personal/uppfoljningar/", include("followups.staff_urls")),
    path("personal/", include("feedback.staff_urls")),
    prefix_default_language=False,
)

# A database outage raised outside a view answers 503, not 500 (promise_portal/outage.py).
handler500 = "promise_portal.outage.server_error"
