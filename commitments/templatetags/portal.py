"""Template helpers shared by every page."""

from django import template
from django.conf import settings
from django.urls import translate_url

from commitments import figures

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context, language_code):
    """The current page in another language (Swedish without prefix, English under /en/)."""
    return translate_url(context["request"].get_full_path(), language_code)


@register.simple_tag
def absolute_url(path):
    """`path` at the site's public address (PORTAL_URL), for Open Graph tags: the same
    whether a reader's request or the background worker renders the page."""
    return settings.PORTAL_URL + path


@register.filter
def figure(value):
    """A figure from commitments.figures as a reader sees it: 1 234,5 or "färre än 3"."""
    return figures.display(value)


@register.filter
def is_number(value):
    """Whether a figure is a number (not masked or withheld): a plural form needs one."""
    return not figures.is_hidden(value)


@register.filter
def figures_of(table, row):
    """A row of an activity table as [(column heading, figure)] (figures.ActivityTable)."""
    return table.figures_of(row)


@register.filter
def unit_for(indicator_or_measure, value):
    """The unit after a figure, singular for one: "1 föreläsning", "2 föreläsningar"."""
    return indicator_or_measure.unit_for(value)


@register.filter
def coordinates(user):
    """Whether the user is a coordinator: the staff menu links them to the promise workspace."""
    from ..permissions import is_coordinator

    return is_coordinator(user)
