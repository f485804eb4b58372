"""The Atom feed of a promise's published follow-ups (/loften/<slug>/flode/)."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import gettext

from commitments.models import Promise

FEED_LENGTH = 50


class FollowUpFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(Promise.objects.public(), slug=slug)

    def title(self, promise):
        return gettext("Follow-ups of %(promise)s") % {"promise": promise.title}

    def subtitle(self, promise):
        return gettext("Published tertial follow-ups of the citizen promise.")

    def link(self, promise):
        return promise.get_absolute_url()

    def items(self, promise):
        return (
            promise.followups.public()
            .select_related("promise")
            .order_by("-published_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, followup):
        title = gettext("Follow-up %(period)s") % {"period": followup.period}
        if followup.version > 1:
            title += " " + gettext("(version %(version)s)") % {"version": followup.version}
        if followup.registered_afterwards:
            # Published outside the portal on its real date; the feed's date is its entry here.
            title += " " + gettext("(registered afterwards, published %(day)s)") % {
                "day": date_format(followup.published_on, "j F Y")
            }
        return title

    def item_description(self, followup):
        return followup.summary

    def item_pubdate(self, followup):
        return followup.published_at

    def item_updateddate(self, followup):
        return followup.published_at

    def item_guid(self, followup):
        return f"{followup.get_absolute_url()}#v{followup.version}"

    def item_guid_is_permalink(self, followup):
        return False
