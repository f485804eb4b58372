"""What citizens said during a tertial, for the follow-up's edit page (staff only)."""

from django import template
from django.db.models import Count

from ..models import Feedback

register = template.Library()


@register.inclusion_tag("feedback/includes/in_tertial.html")
def feedback_in_tertial(promise, tertial):
    """The tertial's feedback of the promise: counts per how safe people feel, and the texts."""
    items = Feedback.objects.of_promise(promise).filter(year=tertial.year, tertial=tertial.number)
    counts = {row["safety"]: row["n"] for row in items.values("safety").annotate(n=Count("pk"))}
    return {
        "tertial": tertial,
        "counts": [(label, counts.get(value, 0)) for value, label in Feedback.Safety.choices],
        "items": items.select_related("district")[:100],
        "total": sum(counts.values()),
        "promise": promise,
    }
