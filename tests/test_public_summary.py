"""The public summary (commitments.figures.cells.public_cells) agrees with the definition.

Every figure a public page shows comes from the summary; these tests compare it with
`activity_cells(Activity.objects.public() …)` — the definition — across internal activities,
sensitive types, unpublished promises, the publication delay as days pass, a longer delay, and
changes of data (the promise's version). No lag and no live part: a summary is used only while
it is exactly what the definition gives.
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
    Promise,
    PublicSummary,
    SummaryState,
)

from .factories import ActivityFactory, ActivityValueFactory, PromiseFactory

pytestmark = pytest.mark.django_db

TODAY = datetime(2018, 6, 20, 12, tzinfo=timezone.get_default_timezone())


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


def _direct(promise):
    return figures.activity_cells(Activity.objects.public().filter(commitment__promise=promise))


def _cells(promise):
    """What a page reads: the promise as pages load it (its state with it), then its cells."""
    return figures.public_cells(
        [Promise.objects.select_related("summary_state").get(pk=promise.pk)]
    )


def _assert_agree(promise):
    assert _cells(promise) == _direct(promise)


def _built_through(promise):
    return SummaryState.objects.get(promise=promise).built_through


def test_the_summary_agrees_with_the_direct_computation(eskilstuna):
    with time_machine.travel(TODAY, tick=False):
        _fill(eskilstuna)
        eskilstuna.touch()
        cells = _cells(eskilstuna)
        assert cells  # something to compare
        _assert_agree(eskilstuna)
        # Internal activities are in no figure: their measure value (100) is nowhere.
        assert all(Decimal(100) not in c.values.values() for c in cells.values())


def test_an_unpublished_promise_has_no_public_figures(eskilstuna):
    _fill(eskilstuna)
    eskilstuna.is_published = False
    eskilstuna.save()
    eskilstuna.touch()
    assert _cells(eskilstuna) == {}


def test_each_new_day_of_an_ongoing_promise_is_counted_through_its_cut_off(eskilstuna):
    with time_machine.travel(TODAY, tick=False):
        _fill(eskilstuna)
        eskilstuna.touch()
        _assert_agree(eskilstuna)
        assert _built_through(eskilstuna) == date(2018, 6, 13)  # 20 June less the 7-day delay
    for days in (1, 5, 7):
        with time_machine.travel(TODAY + timedelta(days=days), tick=False):
            _assert_agree(eskilstuna)
            assert _built_through(eskilstuna) == date(2018, 6, 13) + timedelta(days=days)


def test_an_ended_promise_is_not_built_again_as_days_pass(eskilstuna):
    """Built through a day after its end, a promise's summary holds every activity it will
    ever have: no later day changes it, so no reader of its pages rebuilds it."""
    with time_machine.travel(datetime(2019, 3, 1, 12, tzinfo=TODAY.tzinfo), tick=False):
        _fill(eskilstuna)
        eskilstuna.touch()
        _assert_agree(eskilstuna)
        state = SummaryState.objects.get(promise=eskilstuna)
    with time_machine.travel(datetime(2019, 9, 1, 12, tzinfo=TODAY.tzinfo), tick=False):
        _assert_agree(eskilstuna)
        assert SummaryState.objects.get(promise=eskilstuna).built_at == state.built_at


def test_a_longer_publication_delay_rebuilds_the_summary(eskilstuna, settings):
    with time_machine.travel(TODAY, tick=False):
        _fill(eskilstuna)
        eskilstuna.touch()
        _assert_agree(eskilstuna)
        settings.PUBLICATION_DELAY = timedelta(days=30)
        # The summary counts activities that are not public any more: it must not be used.
        _assert_agree(eskilstuna)
        assert _built_through(eskilstuna) == date(2018, 5, 21)


def test_a_change_of_data_is_in_the_figures_once_the_promise_is_touched(eskilstuna):
    with time_machine.travel(TODAY, tick=False):
        _fill(eskilstuna)
        eskilstuna.touch()
        _assert_agree(eskilstuna)
        activity = _log(eskilstuna, "trafikkontroll", "skiftinge", date(2018, 2, 1), values=[9])
        Activity.objects.filter(is_public=False).update(is_public=True)
        Activity.objects.filter(date=date(2018, 5, 2)).delete()
        # Not touched (as no code path that changes activities leaves it): the summary stands.
        assert _cells(eskilstuna) != _direct(eskilstuna)
        eskilstuna.touch()
        _assert_agree(eskilstuna)
        activity.delete()
        eskilstuna.touch()
        _assert_agree(eskilstuna)


def test_another_promise_s_change_leaves_this_summary_alone(eskilstuna):
    with time_machine.travel(TODAY, tick=False):
        _fill(eskilstuna)
        eskilstuna.touch()
        _assert_agree(eskilstuna)
        built = SummaryState.objects.get(promise=eskilstuna).built_at
        PromiseFactory().touch()
        _assert_agree(eskilstuna)
        assert SummaryState.objects.get(promise=eskilstuna).built_at == built


def test_the_pages_mask_small_sensitive_counts_read_from_the_summary(client, eskilstuna):
    with time_machine.travel(TODAY, tick=False):
        _fill(eskilstuna)
        eskilstuna.touch()
        cells = _cells(eskilstuna)
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


def test_two_renderers_of_a_stale_summary_build_it_once(eskilstuna, django_assert_num_queries):
    with time_machine.travel(TODAY, tick=False):
        _fill(eskilstuna)
        eskilstuna.touch()
        first = figures.rebuild_public_summary(eskilstuna)
        rows = PublicSummary.objects.filter(promise=eskilstuna).count()
        # The second finds it usable once it holds the lock: one locking read, nothing built.
        with django_assert_num_queries(1 + 2):  # the read, and the savepoint around it
            second = figures.rebuild_public_summary(eskilstuna)
        assert second.pk == first.pk
        assert PublicSummary.objects.filter(promise=eskilstuna).count() == rows
