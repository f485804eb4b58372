"""Template helpers shared by every page."""

from django import template
from django.urls import translate_url

from commitments import figures

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context, language_code):
    """The current page in another language (Swedish without prefix, English under /en/)."""
    return translate_url(context["request"].get_full_path(), language_code)


@register.filter
def figure(value):
    """A figure from commitments.figures as a reader sees it: 1 234,5 or "färre än 3"."""
    return figures.display(value)
