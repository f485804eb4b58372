"""Every figure a reader sees, aggregated in the database: pages, charts, CSV, JSON and PDF.

Counts of activity types marked sensitive are masked below settings.SENSITIVE_THRESHOLD
("färre än 3"), here and nowhere else, so that no page or report can show them unmasked.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Avg, Count, Q, Sum
from django.utils import formats
from django.utils.translation import gettext

from .models import Activity, ActivityValue, Indicator, Measurement


@dataclass(frozen=True)
class Figure:
    """A number as a reader gets it: its value, or masked when it is a small sensitive count."""

    value: Decimal | int | None
    masked: bool = False

    @classmethod
    def count(cls, value, *, sensitive):
        masked = sensitive and 0 < value < settings.SENSITIVE_THRESHOLD
        return cls(None if masked else value, masked)

    def __str__(self):
        """In the reader's language: 1 234,5 in Swedish; a masked count as "färre än 3"."""
        if self.masked:
            return gettext("fewer than %(threshold)s") % {"threshold": settings.SENSITIVE_THRESHOLD}
        if self.value is None:
            return "–"
        value = Decimal(self.value)
        places = max(0, min(2, -value.normalize().as_tuple().exponent))
        return formats.number_format(value, places, use_l10n=True, force_grouping=True)


@dataclass
class ActivityRow:
    """One activity type in one district (or one tertial): how many, how long, what counted."""

    label: str
    activity_type: str
    count: Figure
    hours: Figure
    measures: list = field(default_factory=list)  # (name, unit, Figure)


def _public_activities(commitments, start, end):
    return Activity.objects.public().filter(
        commitment__in=commitments, date__gte=start, date__lte=end
    )


def activities_by_district(commitments, start, end):
    """{commitment id: [ActivityRow per district and activity type]} for public activities.

    Two queries whatever the number of activities: one for counts and hours, one for measures.
    """
    activities = _public_activities(commitments, start, end)
    rows = (
        activities.values(
            "commitment_id",
            "district__name",
            "district__order",
            "activity_type_id",
            "activity_type__name",
            "activity_type__order",
            "activity_type__is_sensitive",
        )
        .annotate(count=Count("id"), hours=Sum("hours"))
        .order_by("commitment_id", "district__order", "district__name", "activity_type__order")
    )
    measures = (
        ActivityValue.objects.filter(activity__in=activities)
        .values(
            "activity__district__name",
            "activity__activity_type_id",
            "measure__name",
            "measure__unit",
            "measure__order",
        )
        .annotate(total=Sum("value"))
        .order_by("measure__order", "measure__name")
    )
    sums = {}
    for m in measures:
        key = (m["activity__district__name"], m["activity__activity_type_id"])
        sums.setdefault(key, []).append((m["measure__name"], m["measure__unit"], m["total"]))
    table = {}
    for row in rows:
        sensitive = row["activity_type__is_sensitive"]
        masked = Figure.count(row["count"], sensitive=sensitive)
        table.setdefault(row["commitment_id"], []).append(
            ActivityRow(
                label=row["district__name"],
                activity_type=row["activity_type__name"],
                count=masked,
                # Hours and measures of a masked count would reveal it: mask them too.
                hours=Figure(None, True) if masked.masked else Figure(row["hours"]),
                measures=[
                    (name, unit, Figure(None, True) if masked.masked else Figure(total))
                    for name, unit, total in sums.get(
                        (row["district__name"], row["activity_type_id"]), []
                    )
                ],
            )
        )
    return table


def activities_by_tertial(commitments, tertials):
    """{commitment id: [ActivityRow per tertial]}: public activities counted per tertial."""
    if not tertials:
        return {}
    aggregates = {}
    for index, tertial in enumerate(tertials):
        in_tertial = Q(date__gte=tertial.start, date__lte=tertial.end)
        aggregates[f"count_{index}"] = Count("id", filter=in_tertial)
        aggregates[f"hours_{index}"] = Sum("hours", filter=in_tertial)
        aggregates[f"sensitive_{index}"] = Count(
            "id", filter=in_tertial & Q(activity_type__is_sensitive=True)
        )
    rows = (
        _public_activities(commitments, tertials[0].start, tertials[-1].end)
        .values("commitment_id")
        .annotate(**aggregates)
        .order_by("commitment_id")
    )
    table = {}
    for row in rows:
        for index, tertial in enumerate(tertials):
            count = row[f"count_{index}"]
            # A small count in a tertial that is all sensitive work identifies people.
            sensitive = count and row[f"sensitive_{index}"] == count
            figure = Figure.count(count, sensitive=bool(sensitive))
            table.setdefault(row["commitment_id"], []).append(
                ActivityRow(
                    label=str(tertial),
                    activity_type="",
                    count=figure,
                    hours=Figure(None, True)
                    if figure.masked
                    else Figure(row[f"hours_{index}"] or 0),
                )
            )
    return table


@dataclass
class IndicatorRow:
    """An indicator's value in a period against its baseline and target."""

    indicator: Indicator
    value: Figure
    baseline: Figure
    target: Figure
    direction: str


def indicator_values(indicators, start, end):
    """[IndicatorRow]: derived indicators counted from public activities in the period,
    measured ones as the mean of the values entered for the period (all districts)."""
    rows = []
    for indicator in indicators:
        if indicator.kind == Indicator.Kind.DERIVED:
            activities = Activity.objects.public().filter(
                commitment__promise_id=indicator.promise_id, date__gte=start, date__lte=end
            )
            if indicator.commitment_id:
                activities = activities.filter(commitment_id=indicator.commitment_id)
            types = [t.pk for t in indicator.activity_types.all()]
            districts = [d.pk for d in indicator.districts.all()]
            if types:
                activities = activities.filter(activity_type__in=types)
            if districts:
                activities = activities.filter(district__in=districts)
            if indicator.aggregation == Indicator.Aggregation.COUNT:
                value = activities.count()
            elif indicator.aggregation == Indicator.Aggregation.SUM_HOURS:
                value = activities.aggregate(total=Sum("hours"))["total"] or Decimal(0)
            else:
                value = ActivityValue.objects.filter(
                    activity__in=activities, measure_id=indicator.measure_id
                ).aggregate(total=Sum("value"))["total"] or Decimal(0)
        else:
            value = Measurement.objects.filter(
                indicator=indicator, period_start__gte=start, period_end__lte=end
            ).aggregate(mean=Avg("value"))["mean"]
            value = None if value is None else Decimal(value).quantize(Decimal("0.1"))
        rows.append(
            IndicatorRow(
                indicator=indicator,
                value=Figure(value),
                baseline=Figure(indicator.baseline_value),
                target=Figure(indicator.target_value),
                direction=indicator.get_direction_display(),
            )
        )
    return rows
