"""The home page at national scale: finding a promise among hundreds.

`PromiseFilter` reads the query string (?q=…&lan=…&ar=…&status=…&sida=…) and `find` gives the
published promises that match, newest first: a search by municipality, police area or words
in the promise and its commitments (PostgreSQL full-text search with the Swedish
configuration, so that "trygghet" finds "tryggheten"; a plain substring search on SQLite),
and filters by county, year and phase. The page shows `PER_PAGE` at a time; what follow-ups
say of each listed promise is added by the followups app (public_parts, "home").

Query count: the version stamp, the years, the count, the page, and the followups app's two,
whatever the number of promises (tests/test_home_page.py).
"""

from django import forms
from django.db import connection
from django.db.models import Exists, Max, Min, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .counties import County
from .models import Commitment, Promise

PER_PAGE = 20
SEARCH_FIELDS = ["title", "introduction", "problem_picture", "goal"]
NAME_FIELDS = ["municipality__name", "police_area__name"]


class Phase:
    ONGOING, UPCOMING, ENDED = "pagaende", "kommande", "avslutade"
    CHOICES = [(ONGOING, _("ongoing")), (UPCOMING, _("upcoming")), (ENDED, _("ended"))]


class PromiseFilter(forms.Form):
    """The home page's search and filters, as a GET form: bookmarkable, no session."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False, strip=True)
    lan = forms.ChoiceField(
        label=_("County"), choices=[("", _("All counties")), *County.choices], required=False
    )
    ar = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *Phase.CHOICES], required=False
    )

    def __init__(self, data, *, years):
        super().__init__(data)
        self.fields["ar"].choices = [("", _("All years")), *[(y, str(y)) for y in years]]

    @property
    def is_filtered(self):
        return self.is_valid() and any(self.cleaned_data[name] for name in self.fields)


def years():
    """The years any published promise covers, newest first: one query."""
    span = Promise.objects.public().aggregate(first=Min("start_date"), last=Max("end_date"))
    if span["first"] is None:
        return []
    return list(range(span["last"].year, span["first"].year - 1, -1))


def variant(request):
    """The home page's cache variant (commitments.cache): the filters and the page number,
    normalised; None for a free-text search or invalid input, which are not stored."""
    allowed = {"lan", "ar", "status", "sida"}
    if set(request.GET) - allowed or request.GET.get("q"):
        return None
    if any(len(values) > 1 for _name, values in request.GET.lists()):
        return None
    return "&".join(f"{name}={request.GET[name]}" for name in sorted(request.GET))


def find(cleaned, *, today=None):
    """The published promises matching the valid form data, newest first."""
    today = today or timezone.localdate()
    promises = Promise.objects.public().select_related("municipality", "police_area")
    if cleaned.get("lan"):
        promises = promises.filter(municipality__county=cleaned["lan"])
    if cleaned.get("ar"):
        year = cleaned["ar"]
        promises = promises.filter(start_date__year__lte=year, end_date__year__gte=year)
    phase = cleaned.get("status")
    if phase == Phase.ONGOING:
        promises = promises.filter(start_date__lte=today, end_date__gte=today)
    elif phase == Phase.UPCOMING:
        promises = promises.filter(start_date__gt=today)
    elif phase == Phase.ENDED:
        promises = promises.filter(end_date__lt=today)
    order = ["-start_date", "municipality__name", "pk"]
    if cleaned.get("q"):
        return _search(promises, cleaned["q"], order)
    return promises.order_by(*order)


def _search(promises, words, order):
    """Promises whose names or texts hold the words: ranked by PostgreSQL's full-text search
    (Swedish stemming) where it is there, a substring match elsewhere; a municipality or
    police area named in part ("Eskil") is found either way."""
    by_name = Q()
    for field in ["title", *NAME_FIELDS]:
        by_name |= Q(**{f"{field}__icontains": words})
    if connection.vendor != "postgresql":
        by_text = by_name
        for field in SEARCH_FIELDS:
            by_text |= Q(**{f"{field}__icontains": words})
        in_commitments = Commitment.objects.filter(promise=OuterRef("pk")).filter(
            Q(title__icontains=words) | Q(text__icontains=words)
        )
        return promises.filter(by_text | Exists(in_commitments)).order_by(*order)
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    query = SearchQuery(words, config="swedish", search_type="websearch")
    vector = SearchVector(*SEARCH_FIELDS, config="swedish", weight="A")
    vector += SearchVector(*NAME_FIELDS, config="simple", weight="A")
    commitment_vector = SearchVector("title", "text", config="swedish")
    in_commitments = Commitment.objects.annotate(words=commitment_vector).filter(
        promise=OuterRef("pk"), words=query
    )
    return (
        promises.annotate(found=vector, rank=SearchRank(vector, query))
        .filter(Q(found=query) | by_name | Exists(in_commitments))
        .order_by("-rank", *order)
    )
