"""The sitemap of public pages, in Swedish and English, from `.public()` only."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Commitment, District, Promise


class _Public(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class StaticSitemap(_Public):
    def items(self):
        return ["public:index", "public:accessibility"]

    def location(self, item):
        return reverse(item)


class PromiseSitemap(_Public):
    def items(self):
        return Promise.objects.public().order_by("pk")


class CommitmentSitemap(_Public):
    def items(self):
        return (
            Commitment.objects.filter(promise__in=Promise.objects.public())
            .select_related("promise")
            .order_by("pk")
        )


class DistrictSitemap(_Public):
    def items(self):
        return (
            District.objects.filter(promise__in=Promise.objects.public())
            .select_related("promise")
            .order_by("pk")
        )


SITEMAPS = {
    "pages": StaticSitemap,
    "promises": PromiseSitemap,
    "commitments": CommitmentSitemap,
    "districts": DistrictSitemap,
}
