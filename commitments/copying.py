"""A promise continued into its next period, or a new one started from another's structure.

`copy_to_year`: a draft copy of a promise, linked to it, for its next period. `copy_structure`:
the structure of any promise copied into a draft (the workspace's "start from an existing
promise").

The next period is as long as this one and starts in the year chosen (by default the year
after this one ends): a promise of 2019–2020 continues as 2021–2022. Each year of the period
named in its title and slug moves with it.
"""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import ActivityType, Commitment, District, Indicator, Measure, Promise, Signatory
from .permissions import is_coordinator_of


def _shift(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def renamed(text, first, last, years):
    """`text` with each year of first..last moved on by `years`; the new first year added to
    a text that names none ("Trygg stad" → "Trygg stad 2021")."""
    replaced = re.sub(
        r"(?<!\d)(\d{4})(?!\d)",
        lambda match: str(int(match[1]) + years) if first <= int(match[1]) <= last else match[1],
        text,
    )
    return replaced if replaced != text else f"{text} {first + years}"


@transaction.atomic
def copy_to_year(promise, *, year, by):
    """Copy a promise to `year` as an unpublished draft: texts, signatories, districts,
    commitments, activity types, measures and indicators; activities and follow-ups stay.
    """
    if not is_coordinator_of(by, promise):
        raise PermissionDenied
    first, last = promise.start_date.year, promise.end_date.year
    if year <= last:
        raise ValidationError(
            {
                "year": ValidationError(
                    _("Choose a year after the promise's period (%(last)s)."),
                    code="not_later",
                    params={"last": last},
                )
            }
        )
    years = year - first
    slug = renamed(promise.slug, first, last, years).replace(" ", "-")
    if Promise.objects.filter(slug=slug).exists():
        raise ValidationError(
            {"year": ValidationError(_("That year already has a promise."), code="exists")}
        )
    copy = Promise(
        municipality=promise.municipality,
        police_area=promise.police_area,
        title=renamed(promise.title, first, last, years),
        slug=slug,
        start_date=_shift(promise.start_date, years),
        end_date=_shift(promise.end_date, years),
        introduction=promise.introduction,
        problem_picture=promise.problem_picture,
        sources=promise.sources,
        source_links=promise.source_links,
        goal=promise.goal,
        follow_up_plan=promise.follow_up_plan,
        reporting_cadence=promise.reporting_cadence,
        is_published=False,
        previous=promise,
    )
    copy.full_clean()
    copy.save()
    copy_structure(promise, into=copy)
    return copy


@transaction.atomic
def copy_structure(source, *, into):
    """Copy the structure of `source` into the draft `into`: districts, commitments, activity
    types, measures and indicators; and its signatories when both promises are signed by the
    same two organisations (a continuation). Activities, measurements and follow-ups stay.

    The organisations move with the promise: what the source's municipality is responsible
    for, `into`'s municipality is, and likewise the police. An indicator's per-year targets
    move with the years, and a milestone starts again not reached.
    """
    organisations = {
        source.municipality_id: into.municipality_id,
        source.police_area_id: into.police_area_id,
    }
    years = into.start_date.year - source.start_date.year
    if organisations == {o: o for o in organisations}:
        for signatory in source.signatories.all():
            Signatory.objects.create(
                promise=into,
                name=signatory.name,
                role=signatory.role,
                organisation_id=signatory.organisation_id,
                order=signatory.order,
            )
    districts = {}
    for district in source.districts.all():
        districts[district.pk] = District.objects.create(
            promise=into,
            name=district.name,
            slug=district.slug,
            kind=district.kind,
            boundary=district.boundary,
            order=district.order,
        )
    commitments, types, measures = {}, {}, {}
    for commitment in source.commitments.prefetch_related(
        "responsible_organisations", "districts", "activity_types__measures"
    ):
        new = Commitment.objects.create(
            promise=into, number=commitment.number, title=commitment.title, text=commitment.text
        )
        new.responsible_organisations.set(
            organisations[o.pk]
            for o in commitment.responsible_organisations.all()
            if o.pk in organisations
        )
        new.districts.set(districts[d.pk] for d in commitment.districts.all())
        commitments[commitment.pk] = new
        for activity_type in commitment.activity_types.all():
            types[activity_type.pk] = ActivityType.objects.create(
                commitment=new,
                name=activity_type.name,
                slug=activity_type.slug,
                is_sensitive=activity_type.is_sensitive,
                order=activity_type.order,
            )
            for measure in activity_type.measures.all():
                measures[measure.pk] = Measure.objects.create(
                    activity_type=types[activity_type.pk],
                    name=measure.name,
                    unit=measure.unit,
                    unit_singular=measure.unit_singular,
                    counts_the_work=measure.counts_the_work,
                    order=measure.order,
                )
    for indicator in source.indicators.filter(withdrawn_at__isnull=True).prefetch_related(
        "activity_types", "districts"
    ):
        new = Indicator.objects.create(
            promise=into,
            commitment=commitments.get(indicator.commitment_id),
            name=indicator.name,
            unit=indicator.unit,
            unit_singular=indicator.unit_singular,
            direction=indicator.direction,
            kind=indicator.kind,
            baseline_value=indicator.baseline_value,
            baseline_date=indicator.baseline_date,
            target_kind=indicator.target_kind,
            target_value=indicator.target_value,
            year_targets={
                str(int(year) + years): target
                for year, target in (indicator.year_targets or {}).items()
            },
            rate_period=indicator.rate_period,
            source=indicator.source,
            aggregation=indicator.aggregation,
            measure=measures.get(indicator.measure_id),
            order=indicator.order,
        )
        new.activity_types.set(types[t.pk] for t in indicator.activity_types.all())
        new.districts.set(districts[d.pk] for d in indicator.districts.all())
