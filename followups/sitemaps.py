"""Published follow-ups in the sitemap."""

from django.contrib.sitemaps import Sitemap

from .models import FollowUp


class FollowUpSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        # Versions of one tertial share a page: the newest published one.
        followups = FollowUp.objects.public().select_related("promise").order_by("version")
        return list({(f.promise_id, f.year, f.tertial): f for f in followups}.values())

    def lastmod(self, followup):
        return followup.published_at
