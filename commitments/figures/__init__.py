"""Every number a reader sees, from one entry point: `for_promise`.

The promise page, a commitment's and a district's page, the JSON, the follow-up page and its
PDF all call `for_promise` and show what it returns, so that they agree to the digit by
construction. Inside, by concern:

- `cells`: activities summed per activity type, district and tertial, in the database (a
  promise's public ones read from its precomputed summary);
- `tables`: the activity tables made of the cells, sensitive counts masked;
- `indicators`: each indicator's values, counting rule and progress, and its earlier years;
  `rates`: how a rate target ("one control a week") is judged, week by week;
- `display`: how a figure is written on a page, in the CSV and in the JSON.

Everything is public: `Activity.objects.public()` of the promise and of the promises it
continues, published promises only.
"""

from dataclasses import dataclass

from django.db.models import Q

from ..models import Promise
from ..models.activity import publication_cutoff
from ..models.continuity import continued_by
from ..outline import load_outline
from .cells import Cell, Cells, activity_cells, public_cells, rebuild_public_summary
from .display import Masked, Withheld, as_json, display, is_hidden, machine
from .earlier import add_earlier_years
from .indicators import (
    IndicatorFigures,
    Point,
    counting_rule,
    earlier_promises,
    indicator_figures,
    load_indicators,
)
from .tables import (
    ActivityTable,
    CommitmentFigures,
    Row,
    activity_tables,
    commitment_overview,
    district_overview,
    key_indicator,
    promise_tertials,
)

__all__ = [
    "ActivityTable",
    "Cell",
    "Cells",
    "CommitmentFigures",
    "IndicatorFigures",
    "Masked",
    "Point",
    "PromiseFigures",
    "Row",
    "Withheld",
    "activity_cells",
    "activity_tables",
    "as_json",
    "counting_rule",
    "display",
    "earlier_promises",
    "for_promise",
    "is_hidden",
    "key_indicator",
    "machine",
    "promise_tertials",
    "public_cells",
    "public_promise",
    "rebuild_public_summary",
]


def public_promise(slug):
    """(the published promise, those it continues, those continuing it), or None.

    One query: they are rows of the same table, found by the promise's slug, each with its
    organisations and its summary state (which `for_promise` reads).
    """
    promises = list(
        Promise.objects.public()
        .select_related("municipality", "police_area", "summary_state")
        .filter(
            Q(slug=slug)
            | Q(pk__in=Promise.objects.filter(continued_by(slug)).values("pk"))
            | Q(previous__slug=slug)
        )
    )
    promise = next((p for p in promises if p.slug == slug), None)
    if promise is None:
        return None
    successors = [p for p in promises if p.previous_id == promise.pk]
    earlier = [p for p in promises if p is not promise and p not in successors]
    return promise, sorted(earlier, key=lambda p: p.start_date), successors


@dataclass
class PromiseFigures:
    """What is shown of a promise from its start through `through` (a follow-up's tertial)."""

    promise: object
    through: object  # Tertial, or None: the whole period
    tertials: list  # the tertials counted, from the promise's first
    outline: object  # commitments.outline.Outline
    commitments: list  # CommitmentFigures, by number
    indicators: list  # IndicatorFigures of every indicator, each with its earlier years
    cells: dict  # the activity cells every figure above is made of

    @property
    def goal_indicators(self):
        return [i for i in self.indicators if i.indicator.commitment_id is None]

    def commitment(self, number):
        return next((c for c in self.commitments if c.commitment.number == number), None)

    @property
    def first_tertial(self):
        return self.tertials[0] if self.tertials else None

    def in_district(self, district):
        """What a district's page shows: per commitment, per tertial, no sensitive type."""
        return district_overview(
            self.outline.commitments, self.cells, district=district, tertials=self.tertials
        )


def for_promise(promise, *, through=None, earlier=None):
    """The figures of a published promise, the same for every page and file that shows them.

    `through`: a Tertial: the promise from its start up to that tertial's end, its measured
    values as far as known then (a follow-up's page and report); None: the whole promise.
    `earlier`: the promises it continues, if the caller loaded them with the promise
    (each with `select_related("summary_state")`); else they are read here.
    """
    if earlier is None:
        earlier = list(earlier_promises(promise).select_related("summary_state"))
    tertials = promise_tertials(promise)
    if through is not None:
        tertials = [t for t in tertials if t <= through]
    outline = load_outline(promise)
    cells = public_cells([promise, *earlier])
    until = min(through.end if through else promise.end_date, publication_cutoff())
    indicators = indicator_figures(
        load_indicators(promise, measured_until=through.end if through else None),
        cells,
        tertials=tertials,
        until=until,
    )
    add_earlier_years(indicators, cells)
    commitments = commitment_overview(
        outline.commitments, cells, indicators, districts=outline.districts, tertials=tertials
    )
    return PromiseFigures(promise, through, tertials, outline, commitments, indicators, cells)
