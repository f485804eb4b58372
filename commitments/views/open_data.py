"""Open data: every public activity as CSV, and the page figures as JSON (docs/open-data.md).

Both start from `.public()` and take their figures from `commitments.figures`, so a figure
on a page can be found in (or summed from) the files. Both answer conditional GETs by data
version. Activities of sensitive types are not listed one by one: their counts appear only
as the masked totals of the JSON. Internal notes and who entered an activity never leave
the database: the CSV selects only the public columns.
"""

import csv
import json
from itertools import chain, groupby
from operator import itemgetter

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import condition, require_safe

from .. import figures
from ..cache import etag, last_modified
from ..exports import neutralise
from ..models import Activity, Measure, Promise
from ..tertials import Tertial

CHUNK = 2000


class _Echo:
    """csv.writer writes each row here and gets it back, so rows can be streamed."""

    def write(self, value):
        return value


def _csv_measures(promise):
    return list(
        Measure.objects.filter(
            activity_type__commitment__promise=promise, activity_type__is_sensitive=False
        )
        .select_related("activity_type__commitment")
        .order_by("activity_type__commitment__number", "activity_type__order", "order", "pk")
    )


def _csv_rows(promise, measures):
    yield [
        gettext("id"),
        gettext("date"),
        gettext("tertial"),
        gettext("commitment number"),
        gettext("commitment"),
        gettext("activity type"),
        gettext("district"),
        gettext("organisation"),
        gettext("hours"),
        gettext("number of staff"),
        *(f"{m.activity_type.name}: {m.name} ({m.unit})" for m in measures),
        gettext("public summary"),
    ]
    # One query, streamed: each activity joined to its measure values (a row per value, or one
    # row without), in (date, id) order, so that an activity's rows come one after another.
    rows = (
        Activity.objects.public()
        .filter(commitment__promise=promise, activity_type__is_sensitive=False)
        .order_by("date", "id")
        .values_list(
            "id",
            "date",
            "hours",
            "staff_count",
            "summary",
            "commitment__number",
            "commitment__title",
            "activity_type__name",
            "district__name",
            "organisation__name",
            "values__measure_id",
            "values__value",
        )
    )
    for _pk, group in groupby(rows.iterator(chunk_size=CHUNK), key=itemgetter(0)):
        group = list(group)
        pk, day, hours, staff, summary, number, title, type_name, district, organisation = group[0][
            :10
        ]
        values = {row[10]: row[11] for row in group if row[10] is not None}
        yield [
            pk,
            day.isoformat(),
            str(Tertial.of(day)),
            number,
            neutralise(title),
            neutralise(type_name),
            neutralise(district),
            neutralise(organisation),
            figures.machine(hours),
            staff,
            *(figures.machine(values.get(m.pk)) for m in measures),
            neutralise(summary),
        ]


@require_safe
@condition(etag_func=etag, last_modified_func=last_modified)
def activities_csv(request, slug):
    promise = get_object_or_404(Promise.objects.public(), slug=slug)
    writer = csv.writer(_Echo(), delimiter=";")
    # A byte-order mark, so that Excel opens the UTF-8 file with å, ä and ö intact.
    lines = chain(
        ["\ufeff"], (writer.writerow(r) for r in _csv_rows(promise, _csv_measures(promise)))
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{promise.slug}-aktiviteter.csv"'
    return response


def _row_json(r):
    return {
        "tertial": str(r.tertial) if r.tertial else None,
        "district": r.district.slug if r.district else None,
        "count": figures.as_json(r.count),
        "hours": figures.as_json(r.hours),
        "measures": [figures.as_json(v) for v in r.values],
    }


def _table_json(table):
    row = _row_json
    return {
        "activity_type": table.activity_type.name,
        "sensitive": table.activity_type.is_sensitive,
        "by_district": table.by_district,
        "measures": [
            {"name": m.name, "unit": m.unit, "counts_the_work": m.counts_the_work}
            for m in table.measures
        ],
        "rows": [row(r) for r in table.rows],
        "total": row(table.total),
    }


def _optional(value):
    return figures.as_json(value) if value is not None else None


def _indicator_json(item):
    indicator = item.indicator
    if item.is_withdrawn:
        return {
            "name": indicator.name,
            "withdrawn_on": timezone.localdate(indicator.withdrawn_at),
            "withdrawal_reason": indicator.withdrawal_reason,
        }
    coverage = item.coverage
    return {
        "name": indicator.name,
        "unit": indicator.unit,
        "kind": indicator.kind,
        "direction": indicator.direction,
        "baseline": _optional(indicator.baseline_value),
        "baseline_date": indicator.baseline_date,
        "target_kind": indicator.target_kind,
        "target": _optional(indicator.target_value),
        "rate_period": indicator.rate_period or None,
        "target_text": item.target_text,
        "year_targets": [
            {
                "year": y.year,
                "target": figures.as_json(y.target),
                "value": _optional(y.value),
                "reached": y.reached,
            }
            for y in item.years
        ],
        "coverage": {"met": coverage.met, "judged": coverage.judged} if coverage else None,
        "reached_on": item.reached_on,
        "source": indicator.source,
        "counting_rule": item.counting_rule,
        "total": _optional(item.total),
        "progress": item.progress,
        "values": [
            {
                "period": p.label,
                "start": p.start,
                "end": p.end,
                "district": p.district.slug if p.district else None,
                "area": p.area,
                "value": figures.as_json(p.value),
                **({"met": p.met, "judged": p.judged} if p.judged is not None else {}),
            }
            for p in item.points
        ],
    }


def summary_data(promise, request, *, through=None):
    """The figures of the promise's pages (`figures.for_promise`), as JSON-ready data.

    With `through` (a tertial), those of its follow-up: the promise from its start to the
    tertial's end, each activity table with the tertial's own figures beside them.
    """
    shown = figures.for_promise(promise, through=through)
    items, overview, outline = shown.indicators, shown.commitments, shown.outline
    data = {
        "promise": {
            "title": promise.title,
            "slug": promise.slug,
            "url": request.build_absolute_uri(promise.get_absolute_url()),
            "start_date": promise.start_date,
            "end_date": promise.end_date,
        },
        "as_of": timezone.localdate(),
        "tertials": [str(t) for t in shown.tertials],
        "districts": [{"slug": d.slug, "name": d.name} for d in outline.districts],
        "goal_indicators": [_indicator_json(i) for i in items if i.indicator.commitment_id is None],
        "commitments": [
            {
                "number": c.commitment.number,
                "title": c.commitment.title,
                "text": c.commitment.text,
                "url": request.build_absolute_uri(c.commitment.get_absolute_url()),
                "activities": [_table_json(t) for t in c.tables],
                "indicators": [_indicator_json(i) for i in c.indicators],
            }
            for c in overview
        ],
    }
    if through is not None:
        data["through"] = str(through)
        for part, item in zip(overview, data["commitments"], strict=True):
            for table, activities in zip(part.tables, item["activities"], strict=True):
                row = table.in_tertial(through)
                activities["in_tertial"] = None if row is None else _row_json(row)
    return data


@require_safe
@condition(etag_func=etag, last_modified_func=last_modified)
def summary_json(request, slug):
    promise = get_object_or_404(Promise.objects.public().select_related("summary_state"), slug=slug)
    body = json.dumps(summary_data(promise, request), cls=DjangoJSONEncoder, ensure_ascii=False)
    return HttpResponse(body, content_type="application/json; charset=utf-8")
