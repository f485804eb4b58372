"""The public summary (commitments.figures.public_cells) agrees with the direct computation.

Every figure a public page shows comes from the summary; these tests compare it with
`activity_cells(Activity.objects.public() …)` — the definition — across internal activities,
sensitive types, unpublished promises, the publication delay as days pass, a longer delay, and
changes of data (the data version).
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from commitments import figures
from commitments.models import (
    Activity,
    ActivityType,
    District,
    PublicSummary,
    SummaryState,
)

from .factories import ActivityFactory, ActivityValueFactory

pytestmark = pytest.mark.django_db

TODAY = datetime(2018, 6, 20, 12, tzinfo=timezone.get_default_timezone())


def _version(promise):
    promise.refresh_from_db(fields=["public_version", "public_changed_at"])
    return promise.public_version


def _log(promise, slug, district, day, *, public=True, values=(), hours="2.5"):
    activity_type = ActivityType.objects.get(commitment__promise=promise, slug=slug)
    activity = ActivityFactory(
        activity_type=activity_type,
        district=District.objects.get(promise=promise, slug=district),
        date=day,
        is_public=public,
        hours=Decimal(hours),
    )
    for measure, value in zip(activity_type.measures.all(), values, strict=False):
        ActivityValueFactory(activity=activity, measure=measure, value=Decimal(value))
    return activity


def _fill(promise):
    """Public and internal activities, sensitive ones, some too recent to be public yet."""
    days = [date(2018, 1, 15), date(2018, 5, 2), date(2018, 6, 9), date(2018, 6, 12)]
    days += [date(2018, 6, 14), date(2018, 6, 18), date(2018, 6, 20)]
    for i, day in enumerate(days):
        _log(promise, "trafikkontroll", "skiftinge", day, values=[i + 1, 2 * i])
        _log(promise, "trafikkontroll", "centrum", day, values=[3], hours="1.25")
        _log(promise, "social-insatsgrupp", "skiftinge", day)
        _log(promise, "trafikkontroll", "centrum", day, public=False, values=[100])


def _direct(promise, **filters):
    activities = Activity.objects.public().filter(commitment__promise=promise, **filters)
    return figures.activity_cells(activities)


def _assert_agree(promise):
    assert figures.public_cells(promise) == _direct(promise)
    commitment = promise.commitments.get(number=3)
    assert figures.public_cells(promise, commitment=commitment) == _direct(
        promise, commitment=commitment
    )
    district = District.objects.get(promise=promise, slug="skiftinge")
    assert figures.public_cells(promise, district=district) == _direct(promise, district=district)


def test_the_summary_agrees_with_the_direct_computation(eskilstuna):
    with time_machine.travel(TODAY, tick=False):
        _fill(eskilstuna)
        eskilstuna.touch()
        cells = figures.public_cells(eskilstuna)
        assert cells  # something to compare
        _assert_agree(eskilstuna)
        # Internal activities are in no figure: their measure value (100) is nowhere.
        assert all(Decimal(100) not in c.values.values() for c in cells.values())


def test_an_unpublished_promise_has_no_public_figures(eskilstuna):
    _fill(eskilstuna)
    eskilstuna.is_published = False
    eskilstuna.save()
    eskilstuna.touch()
    assert figures.public_cells(eskilstuna) == {}


def test_activities_become_public_as_days_pass_without_a_rebuild(eskilstuna):
    with time_machine.travel(TODAY, tick=False):
        _fill(eskilstuna)
        eskilstuna.touch()
        _assert_agree(eskilstuna)
        state = SummaryState.objects.get(promise=eskilstuna)
        assert state.built_through == date(2018, 6, 13)  # 20 June less the 7-day delay
        before = sum(c.count for c in figures.public_cells(eskilstuna).values())
    for days in (1, 5, 7):
        with time_machine.travel(TODAY + timedelta(days=days), tick=False):
            # Read live: the rows dated after built_through, up to today's cut-off.
            _assert_agree(eskilstuna)
            assert SummaryState.objects.get(promise=eskilstuna).built_through == state.built_through
    with time_machine.travel(TODAY + timedelta(days=7), tick=False):
        after = sum(c.count for c in figures.public_cells(eskilstuna).values())
        assert after == before + 3 * 3  # 14, 18 and 20 June are public now (3 a day)
    with time_machine.travel(TODAY + timedelta(days=8), tick=False):
        # More than SUMMARY_MAX_LAG behind: rebuilt through the new cut-off.
        _assert_agree(eskilstuna)
        assert SummaryState.objects.get(promise=eskilstuna).built_through == date(2018, 6, 21)


def test_a_longer_publication_delay_rebuilds_the_summary(eskilstuna, settings):
    with time_machine.travel(TODAY, tick=False):
        _fill(eskilstuna)
        eskilstuna.touch()
        _assert_agree(eskilstuna)
        settings.PUBLICATION_DELAY = timedelta(days=30)
        # The summary counts activities that are not public any more: it must not be used.
        _assert_agree(eskilstuna)
        assert SummaryState.objects.get(promise=eskilstuna).built_through == date(2018, 5, 21)


def test_a_change_of_data_is_in_the_figures_once_the_version_is_bumped(eskilstuna):
    with time_machine.travel(TODAY, tick=False):
        _fill(eskilstuna)
        eskilstuna.touch()
        _assert_agree(eskilstuna)
        activity = _log(eskilstuna, "trafikkontroll", "skiftinge", date(2018, 2, 1), values=[9])
        Activity.objects.filter(is_public=False).update(is_public=True)
        Activity.objects.filter(date=date(2018, 5, 2)).delete()
        eskilstuna.touch()
        _assert_agree(eskilstuna)
        activity.delete()
        eskilstuna.touch()
        _assert_agree(eskilstuna)


def test_the_pages_mask_small_sensitive_counts_read_from_the_summary(client, eskilstuna):
    with time_machine.travel(TODAY, tick=False):
        _fill(eskilstuna)
        eskilstuna.touch()
        cells = figures.public_cells(eskilstuna)
        commitment = eskilstuna.commitments.get(number=3)
        kwargs = {
            "activity_types": commitment.activity_types.filter(slug="social-insatsgrupp"),
            "districts": list(eskilstuna.districts.all()),
            "tertials": figures.promise_tertials(eskilstuna),
        }
        (table,) = figures.activity_tables(cells, **kwargs)
        (direct,) = figures.activity_tables(_direct(eskilstuna), **kwargs)
        assert table.rows == direct.rows and table.total == direct.total
        # T1 has one sensitive activity: masked, and the total that would reveal it withheld.
        assert isinstance(table.rows[0].count, figures.Masked)
        assert isinstance(table.total.count, figures.Withheld)
        page = client.get("/loften/eskilstuna-2018/atagande/3/").text
        assert "färre än 3" in page


def test_two_readers_of_a_stale_summary_build_it_once(eskilstuna):
    with time_machine.travel(TODAY, tick=False):
        _fill(eskilstuna)
        eskilstuna.touch()
        first = figures.rebuild_public_summary(eskilstuna, _version(eskilstuna))
        rows = PublicSummary.objects.filter(promise=eskilstuna).count()
        second = figures.rebuild_public_summary(eskilstuna, _version(eskilstuna))
        assert second.pk == first.pk  # found fresh under the lock: not built again
        assert PublicSummary.objects.filter(promise=eskilstuna).count() == rows
