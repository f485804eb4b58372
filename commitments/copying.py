"""A promise continued into its next period: a draft copy of its structure, linked to it.

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
        goal=promise.goal,
        follow_up_plan=promise.follow_up_plan,
        is_published=False,
        previous=promise,
    )
    copy.full_clean()
    copy.save()
    for signatory in promise.signatories.all():
        Signatory.objects.create(
            promise=copy,
            name=signatory.name,
            role=signatory.role,
            organisation_id=signatory.organisation_id,
            order=signatory.order,
        )
    districts = {}
    for district in promise.districts.all():
        districts[district.pk] = District.objects.create(
            promise=copy,
            name=district.name,
            slug=district.slug,
            kind=district.kind,
            boundary=district.boundary,
            order=district.order,
        )
    commitments, types, measures = {}, {}, {}
    for commitment in promise.commitments.prefetch_related(
        "responsible_organisations", "districts", "activity_types__measures"
    ):
        new = Commitment.objects.create(
            promise=copy, number=commitment.number, title=commitment.title, text=commitment.text
        )
        new.responsible_organisations.set(commitment.responsible_organisations.all())
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
                    order=measure.order,
                )
    for indicator in promise.indicators.prefetch_related("activity_types", "districts"):
        new = Indicator.objects.create(
            promise=copy,
            commitment=commitments.get(indicator.commitment_id),
            name=indicator.name,
            unit=indicator.unit,
            direction=indicator.direction,
            kind=indicator.kind,
            baseline_value=indicator.baseline_value,
            baseline_date=indicator.baseline_date,
            target_value=indicator.target_value,
            source=indicator.source,
            aggregation=indicator.aggregation,
            measure=measures.get(indicator.measure_id),
            order=indicator.order,
        )
        new.activity_types.set(types[t.pk] for t in indicator.activity_types.all())
        new.districts.set(districts[d.pk] for d in indicator.districts.all())
    return copy
