"""Targets that real promises make (issue 16, items 1, 6, 7 and 9).

At least or at most N over the period, a rate judged week by week or month by month, a
milestone done on a date, a count with no target, targets per year; an indicator's choices
of its own promise, withdrawn with a public note; batch entries counted by their measure;
wording and charts. Each judged as a citizen reads it: on the page, in the JSON, in the PDF.
"""

import itertools
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from commitments import charts, figures
from commitments.figures import rates
from commitments.models import Indicator, Promise

from .factories import (
    ActivityFactory,
    ActivityTypeFactory,
    ActivityValueFactory,
    CommitmentFactory,
    DistrictFactory,
    IndicatorFactory,
    MeasureFactory,
    PromiseFactory,
)

pytestmark = pytest.mark.django_db

Target = Indicator.Target


@pytest.fixture
def two_years():
    """Köping 2019–2020, published, with a district, a commitment and two activity types."""
    promise = PromiseFactory(
        title="Medborgarlöfte Köping 2019–2020",
        slug="koping-2019-2020",
        start_date=date(2019, 1, 1),
        end_date=date(2020, 12, 31),
    )
    district = DistrictFactory(promise=promise, name="Centrum", slug="centrum")
    commitment = CommitmentFactory(promise=promise, number=1, title="Trafiken")
    control = ActivityTypeFactory(commitment=commitment, name="Trafikkontroll", slug="kontroll")
    lecture = ActivityTypeFactory(commitment=commitment, name="Föreläsning", slug="forelasning")
    promise.district, promise.control, promise.lecture = district, control, lecture
    return promise


def derived(promise, activity_type, **fields):
    indicator = IndicatorFactory(
        promise=promise,
        commitment=activity_type.commitment,
        kind=Indicator.Kind.DERIVED,
        direction=fields.pop("direction", Indicator.Direction.HIGHER),
        aggregation=fields.pop("aggregation", Indicator.Aggregation.COUNT),
        source="Aktiviteter i portalen",
        **fields,
    )
    indicator.activity_types.set([activity_type])
    return indicator


def log(promise, activity_type, *days):
    for day in days:
        ActivityFactory(activity_type=activity_type, district=promise.district, date=day)
    promise.touch()  # as saving an activity does


def page(path):
    """A public page as a citizen gets it, rendered now (no client state)."""
    from django.test import Client

    response = Client().get(path)
    assert response.status_code == 200, path
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def json_of(promise):
    from django.test import Client

    return Client().get(f"/loften/{promise.slug}/data/sammanstallning.json").json()


def shown(promise, indicator, through=None):
    promise = Promise.objects.get(pk=promise.pk)
    result = figures.for_promise(promise, through=through)
    return next(i for i in result.indicators if i.indicator.pk == indicator.pk)


# Rates: which weeks and months are judged.


@pytest.mark.parametrize(
    ("period", "start", "end", "through", "judged", "first", "last"),
    [
        # 2018 begins on a Monday: 52 whole weeks; 31 December alone is too little of a week.
        ("week", date(2018, 1, 1), date(2018, 12, 31), date(2018, 12, 31), 52,
         (date(2018, 1, 1), date(2018, 1, 7)), (date(2018, 12, 24), date(2018, 12, 30))),
        # 2019 begins on a Tuesday (six days of its first week), 2020 ends on a Thursday (four).
        ("week", date(2019, 1, 1), date(2020, 12, 31), date(2020, 12, 31), 105,
         (date(2019, 1, 1), date(2019, 1, 6)), (date(2020, 12, 28), date(2020, 12, 31))),
        # A week is judged once it has ended: through a Wednesday, that week is not.
        ("week", date(2019, 1, 1), date(2020, 12, 31), date(2019, 1, 16), 2,
         (date(2019, 1, 1), date(2019, 1, 6)), (date(2019, 1, 7), date(2019, 1, 13))),
        ("week", date(2019, 1, 1), date(2020, 12, 31), date(2018, 12, 31), 0, None, None),
        ("month", date(2019, 1, 1), date(2020, 12, 31), date(2020, 12, 31), 24,
         (date(2019, 1, 1), date(2019, 1, 31)), (date(2020, 12, 1), date(2020, 12, 31))),
        # A promise from 20 March: ten days of March are too little of it; April is the first.
        ("month", date(2019, 3, 20), date(2019, 12, 31), date(2019, 12, 31), 9,
         (date(2019, 4, 1), date(2019, 4, 30)), (date(2019, 12, 1), date(2019, 12, 31))),
        # From 10 March, 22 days of March are judged.
        ("month", date(2019, 3, 10), date(2019, 6, 30), date(2019, 6, 30), 4,
         (date(2019, 3, 10), date(2019, 3, 31)), (date(2019, 6, 1), date(2019, 6, 30))),
    ],
)  # fmt: skip
def test_the_weeks_and_months_a_rate_is_judged_over(
    period, start, end, through, judged, first, last
):
    periods = rates.periods(period, start, end, through=through)
    assert len(periods) == judged
    if judged:
        assert periods[0] == first and periods[-1] == last
    # Judged periods never overlap and never leave the promise.
    for (_a, b), (c, _d) in itertools.pairwise(periods):
        assert c == b + timedelta(days=1)
    assert all(start <= a <= b <= end for a, b in periods)


def test_one_control_a_week_is_judged_by_the_weeks_that_had_one(two_years, settings):
    """62 controls in 104 weeks once read "62 kontroller per vecka – Målet är nått"."""
    rate = derived(
        two_years,
        two_years.control,
        name="Trafikkontroll varje vecka",
        unit="kontroller",
        unit_singular="kontroll",
        target_kind=Target.RATE,
        target_value=Decimal(1),
        rate_period=Indicator.RatePeriod.WEEK,
    )
    # Two controls in the first week, one in each of the next 30 Mondays; none after.
    mondays = [date(2019, 1, 7) + timedelta(weeks=n) for n in range(30)]
    log(two_years, two_years.control, date(2019, 1, 2), date(2019, 1, 3), *mondays)
    item = shown(two_years, rate)
    assert item.total == 32
    assert (item.coverage.met, item.coverage.judged) == (31, 105)
    assert item.progress == "31 av 105 veckor nådde målet (30 %)."
    # Per tertial, the weeks that met it; the first tertial's 17 weeks (to Sunday 28 April)
    # include Monday 29 April's week by its start.
    assert [(p.met, p.judged) for p in item.points][:3] == [(18, 18), (13, 17), (0, 18)]
    # The follow-up of T1 2019 judges the weeks ended by then.
    from commitments.tertials import Tertial

    early = shown(two_years, rate, through=Tertial(2019, 1))
    assert (early.coverage.met, early.coverage.judged) == (17, 17)


def test_a_rate_per_month_sums_a_measure(two_years):
    vehicles = MeasureFactory(activity_type=two_years.control, name="Fordon", unit="fordon")
    rate = derived(
        two_years,
        two_years.control,
        name="Kontrollerade fordon i månaden",
        unit="fordon",
        aggregation=Indicator.Aggregation.SUM_MEASURE,
        measure=vehicles,
        target_kind=Target.RATE,
        target_value=Decimal(50),
        rate_period=Indicator.RatePeriod.MONTH,
    )
    for day, value in [(date(2019, 1, 5), 30), (date(2019, 1, 20), 25), (date(2019, 2, 3), 49)]:
        activity = ActivityFactory(
            activity_type=two_years.control, district=two_years.district, date=day
        )
        ActivityValueFactory(activity=activity, measure=vehicles, value=Decimal(value))
    item = shown(two_years, rate)
    assert (item.coverage.met, item.coverage.judged) == (1, 24)
    assert item.total == 104


@pytest.mark.parametrize(
    ("kind", "direction", "target", "days", "expected"),
    [
        (Target.AT_LEAST, "higher", 3, 3, "Målet är nått."),
        (Target.AT_LEAST, "higher", 4, 3, "75 % av målet hittills."),
        (Target.AT_MOST, "lower", 3, 3, "Inom det mesta målet tillåter hittills."),
        (Target.AT_MOST, "lower", 2, 3, "Över det mesta målet tillåter: målet är inte nått."),
        (Target.NONE, "higher", None, 3, "Ett antal utan mål."),
    ],
)
def test_each_target_over_the_period_is_judged_its_own_way(
    two_years, kind, direction, target, days, expected
):
    indicator = derived(
        two_years,
        two_years.control,
        unit="kontroller",
        direction=direction,
        target_kind=kind,
        target_value=None if target is None else Decimal(target),
    )
    log(two_years, two_years.control, *[date(2019, 2, d) for d in range(1, days + 1)])
    item = shown(two_years, indicator)
    assert item.progress == expected


def test_targets_per_year_are_judged_year_by_year(two_years):
    indicator = derived(
        two_years,
        two_years.lecture,
        name="Föreläsningar",
        unit="föreläsningar",
        unit_singular="föreläsning",
        target_kind=Target.AT_LEAST,
        target_value=Decimal(5),
        year_targets={"2019": "2", "2020": "3"},
    )
    indicator.full_clean()
    log(two_years, two_years.lecture, date(2019, 3, 12), date(2019, 11, 5), date(2020, 2, 4))
    item = shown(two_years, indicator)
    assert [(y.year, y.value, y.reached) for y in item.years] == [
        (2019, 2, True),
        (2020, 1, False),
    ]
    assert item.progress == (
        "60 % av målet hittills. 2019: 2 av minst 2: nått. 2020: 1 av minst 3: inte nått ännu."
    )
    text = page(two_years.get_absolute_url())
    assert "Mål 2020" in text and "3 föreläsningar" in text


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"year_targets": {"2021": "3"}}, "year_outside_promise"),
        ({"year_targets": {"år 1": "3"}}, "year_targets_not_numbers"),
        ({"year_targets": {"2019": "tre"}}, "year_targets_not_numbers"),
        ({"year_targets": {"2019": "-1"}}, "year_target_negative"),
        ({"year_targets": ["2019", "3"]}, "year_targets_not_years"),
        ({"year_targets": {"2019": "3"}, "target_kind": Target.NONE, "target_value": None},
         "year_target_kind"),
    ],
)  # fmt: skip
def test_targets_per_year_are_refused_with_a_clear_reason(two_years, fields, code):
    indicator = derived(
        two_years,
        two_years.lecture,
        unit="föreläsningar",
        **{"target_kind": Target.AT_LEAST, "target_value": Decimal(5), **fields},
    )
    with pytest.raises(ValidationError) as error:
        indicator.full_clean()
    assert [e.code for e in error.value.error_dict["year_targets"]] == [code]


def test_a_milestone_is_done_on_the_day_of_its_first_activity(two_years):
    walk = ActivityTypeFactory(commitment=two_years.lecture.commitment, name="Medborgarforum")
    milestone = derived(
        two_years, walk, name="Medborgarforum i Centrum", unit="forum", target_kind=Target.MILESTONE
    )
    item = shown(two_years, milestone)
    assert item.reached_on is None and item.progress == "Inte klart ännu."
    chart = charts.indicator_chart(item)["figure"]
    assert chart["data"][0]["y"] == [0, 0]
    log(two_years, walk, date(2019, 9, 18), date(2020, 3, 1))
    item = shown(two_years, milestone)
    assert item.reached_on == date(2019, 9, 18)
    assert item.progress == "Klart den 18 september 2019."
    chart = charts.indicator_chart(item)["figure"]
    # A dated step, not a bar chart: "not done" until the day, "done" after it.
    (line,) = chart["data"]
    assert line["type"] == "scatter" and line["line"]["shape"] == "hv"
    assert line["y"] == [0, 1, 1]
    assert line["x"] == [0, (date(2019, 9, 18) - date(2019, 1, 1)).days, 730]
    assert chart["layout"]["yaxis"]["tickvals"] == [0, 1]
    assert chart["layout"]["yaxis"]["ticktext"] == ["inte klart", "klart"]
    assert chart["layout"]["xaxis"]["ticktext"][1] == "18 september 2019"
    # The follow-up of T1 2019 was written before it was done.
    from commitments.tertials import Tertial

    assert shown(two_years, milestone, through=Tertial(2019, 1)).reached_on is None


def test_a_measured_milestone_shows_its_date_and_what_shows_it(two_years):
    council = IndicatorFactory(
        promise=two_years,
        name="Trafiksäkerhetsråd inrättat",
        unit="råd",
        direction=Indicator.Direction.HIGHER,
        target_kind=Target.MILESTONE,
        milestone_reached_on=date(2019, 5, 1),
        milestone_note="Beslut i kommunfullmäktige.",
    )
    council.full_clean()
    text = page(two_years.get_absolute_url())
    assert "Klart den 1 maj 2019." in text and "Beslut i kommunfullmäktige." in text
    # No bar chart with ticks at "0,2 råd".
    assert "0,2" not in text


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"target_kind": Target.AT_LEAST}, "target_value", "target_value_required"),
        ({"target_kind": Target.NONE, "target_value": 3},
         "target_value", "target_value_without_target"),
        ({"target_kind": Target.RATE, "target_value": 1}, "rate_period", "rate_period_required"),
        ({"target_kind": Target.AT_LEAST, "target_value": 1, "rate_period": "week"},
         "rate_period", "rate_period_without_rate"),
        ({"target_kind": Target.MILESTONE, "target_value": 1},
         "target_value", "milestone_has_no_value"),
        ({"target_kind": Target.AT_LEAST, "target_value": 5,
          "milestone_reached_on": date(2019, 1, 2)},
         "milestone_reached_on", "not_a_milestone"),
        ({"target_kind": Target.AT_MOST, "target_value": 5},
         "direction", "direction_contradicts_target"),
    ],
)  # fmt: skip
def test_a_target_is_refused_with_a_clear_reason(two_years, fields, field, code):
    indicator = Indicator(
        promise=two_years,
        name="Kontroller",
        unit="kontroller",
        kind=Indicator.Kind.DERIVED,
        aggregation=Indicator.Aggregation.COUNT,
        direction=Indicator.Direction.HIGHER,
        source="Portalen",
        **fields,
    )
    with pytest.raises(ValidationError) as error:
        indicator.full_clean()
    assert code in [e.code for e in error.value.error_dict[field]]


def test_a_rate_is_derived_from_activities(two_years):
    indicator = IndicatorFactory(
        promise=two_years,
        direction=Indicator.Direction.HIGHER,
        target_kind=Target.RATE,
        target_value=Decimal(1),
        rate_period="week",
    )
    with pytest.raises(ValidationError) as error:
        indicator.full_clean()
    assert error.value.error_dict["target_kind"][0].code == "rate_needs_derived"


# Wording and charts.


def test_one_is_singular_and_whole_numbers_have_no_decimals(two_years):
    lectures = derived(
        two_years,
        two_years.lecture,
        name="Föreläsningar",
        unit="föreläsningar",
        unit_singular="föreläsning",
        target_kind=Target.AT_LEAST,
        target_value=Decimal(1),
    )
    log(two_years, two_years.lecture, date(2019, 5, 1))
    text = " ".join(page(two_years.get_absolute_url()).split())
    assert "1 föreläsning " in text or "1 föreläsning<" in text
    assert "1 föreläsningar" not in text
    assert "Minst 1 föreläsning" in text
    assert "1,00" not in text
    item = shown(two_years, lectures)
    assert charts.summary(item).endswith("hittills 1 föreläsning totalt.")


SWEDISH_MONTHS = (
    "Januari|Februari|Mars|April|Maj|Juni|Juli|Augusti|September|Oktober|November|December"
)


def test_dates_read_with_swedish_months_in_lower_case(two_years):
    IndicatorFactory(
        promise=two_years,
        name="Råd inrättat",
        unit="råd",
        direction=Indicator.Direction.HIGHER,
        target_kind=Target.MILESTONE,
        milestone_reached_on=date(2019, 5, 1),
    )
    log(two_years, two_years.lecture, date(2019, 5, 1))
    for path in [
        two_years.get_absolute_url(),
        f"/loften/{two_years.slug}/data/sammanstallning.json",
    ]:
        text = page(path)
        assert not re.search(rf"\d\.? ({SWEDISH_MONTHS}) \d", text), path
    assert "1 maj 2019" in page(two_years.get_absolute_url())


def _chart_items(promise):
    result = figures.for_promise(Promise.objects.get(pk=promise.pk))
    charts.attach(result.indicators)
    return [i for i in result.indicators if i.chart]


def _check_ticks(item):
    """A count's ticks are whole numbers; labels stand apart (the test of item 9)."""
    figure = item.chart["figure"]
    layout = figure["layout"]
    counted = item.indicator.kind == Indicator.Kind.DERIVED or (
        item.indicator.target_kind == Target.MILESTONE
    )
    yaxis = layout["yaxis"]
    if counted:
        assert "tickvals" in yaxis, item.indicator.name
    if "tickvals" in yaxis:
        values = yaxis["tickvals"]
        assert values == sorted(values) and len(set(values)) == len(values)
        if counted:
            assert all(float(v).is_integer() for v in values), (item.indicator.name, values)
        assert len(yaxis["ticktext"]) == len(values)
        drawn = [y for trace in figure["data"] for y in trace["y"] if y is not None]
        assert max(drawn, default=0) <= yaxis["range"][1]
    xaxis = layout["xaxis"]
    if "tickvals" in xaxis:
        span = xaxis["tickvals"][-1] or 1
        gaps = [b - a for a, b in zip(xaxis["tickvals"], xaxis["tickvals"][1:], strict=False)]
        assert all(gap >= span * 0.2 for gap in gaps), xaxis
    # Baseline and target labels: one at each end of its line, never on one another.
    sides = [(a["x"], a["xanchor"]) for a in layout.get("annotations", [])]
    assert len(sides) == len(set(sides))
    assert all(a.get("bgcolor") == "#ffffff" for a in layout.get("annotations", []))


def test_every_chart_of_a_promise_with_each_kind_of_target_has_whole_ticks(two_years):
    kinds = [
        {"target_kind": Target.AT_LEAST, "target_value": Decimal(1)},
        {"target_kind": Target.AT_MOST, "target_value": Decimal(9), "direction": "lower"},
        {"target_kind": Target.RATE, "target_value": Decimal(1), "rate_period": "week"},
        {"target_kind": Target.MILESTONE},
        {"target_kind": Target.NONE},
    ]
    for n, fields in enumerate(kinds):
        derived(two_years, two_years.control, name=f"Indikator {n}", unit="kontroller", **fields)
    IndicatorFactory(
        promise=two_years,
        name="Otrygghet",
        unit="procent",
        baseline_value=Decimal("38.5"),
        target_kind=Target.AT_MOST,
        target_value=Decimal("37.0"),
    ).measurements.create(
        period_start=date(2019, 1, 1), period_end=date(2019, 4, 30), value=Decimal("37.5")
    )
    log(two_years, two_years.control, date(2019, 1, 8))
    items = _chart_items(two_years)
    assert len(items) == len(kinds) + 1
    for item in items:
        _check_ticks(item)
    # A single control is drawn on ticks 0 and 1, not 0, 0,2, 0,4…
    (at_least,) = [i for i in items if i.indicator.name == "Indikator 0"]
    assert at_least.chart["figure"]["layout"]["yaxis"]["tickvals"] == [0, 1]


def test_every_chart_of_the_demo_has_whole_ticks(eskilstuna):
    from followups.demo import seed_indicators

    seed_indicators(eskilstuna)
    eskilstuna.touch()
    items = _chart_items(eskilstuna)
    kinds = {i.indicator.target_kind for i in items}
    assert kinds == set(Target.values), kinds
    for item in items:
        _check_ticks(item)


@pytest.mark.parametrize(
    ("values", "ticks"),
    [
        ([0, 1], [0, 1]),
        ([0], [0, 1]),
        ([3, 4], [0, 1, 2, 3, 4]),
        ([62], [0, 20, 40, 60, 80]),
        ([1478], [0, 500, 1000, 1500]),
        ([2.5, 1], None),
    ],
)
def test_count_ticks(values, ticks):
    assert charts.count_ticks(values) == ticks


# Item 6: an indicator's choices belong to its own promise; withdrawing one.


def test_the_choices_of_another_promise_are_refused(two_years, eskilstuna):
    other_type = ActivityTypeFactory(
        commitment=CommitmentFactory(promise=eskilstuna), name="Trafikkontroll"
    )
    other_district = DistrictFactory(promise=eskilstuna, name="Fröslunda")
    batched = ActivityTypeFactory(commitment=two_years.lecture.commitment, name="Kontroller")
    MeasureFactory(activity_type=batched, name="Kontroller", unit="st", counts_the_work=True)
    sensitive = ActivityTypeFactory(
        commitment=two_years.lecture.commitment, name="SSPF", is_sensitive=True
    )
    errors = Indicator.choice_errors(
        two_years,
        activity_types=[two_years.control, other_type],
        districts=[other_district],
        measure=MeasureFactory(activity_type=other_type),
        aggregation=Indicator.Aggregation.SUM_MEASURE,
        target_kind=Target.AT_LEAST,
    )
    assert {f: e.code for f, e in errors.items()} == {
        "activity_types": "activity_type_of_other_promise",
        "districts": "district_of_other_promise",
    }
    # The message names the type and its promise, so that two "Trafikkontroll" are told apart.
    assert str(eskilstuna) in errors["activity_types"].message
    errors = Indicator.choice_errors(
        two_years,
        activity_types=[batched, sensitive],
        districts=[],
        measure=None,
        aggregation=Indicator.Aggregation.COUNT,
        target_kind=Target.RATE,
    )
    assert {f: e.code for f, e in errors.items()} == {
        "aggregation": "count_of_batched_type",
        "target_kind": "rate_of_sensitive_type",
    }
    errors = Indicator.choice_errors(
        two_years,
        activity_types=[two_years.control],
        districts=[],
        measure=MeasureFactory(activity_type=two_years.lecture),
        aggregation=Indicator.Aggregation.SUM_MEASURE,
        target_kind=Target.AT_LEAST,
    )
    assert {f: e.code for f, e in errors.items()} == {"measure": "measure_of_other_type"}


def test_the_admin_refuses_another_promise_s_type_and_names_each_with_its_promise(
    client, two_years, eskilstuna
):
    from django.contrib.auth import get_user_model

    other_type = ActivityTypeFactory(
        commitment=CommitmentFactory(promise=eskilstuna), name="Trafikkontroll"
    )
    operator = get_user_model().objects.create_superuser("operator", "", "x")
    client.force_login(operator)
    form = client.get("/admin/commitments/indicator/add/").text
    assert f"Trafikkontroll — {two_years}" in form and f"Trafikkontroll — {eskilstuna}" in form
    response = client.post(
        "/admin/commitments/indicator/add/",
        {
            "promise": two_years.pk,
            "name": "Kontroller",
            "unit": "kontroller",
            "kind": "derived",
            "aggregation": "count",
            "activity_types": [other_type.pk],
            "source": "Portalen",
            "direction": "higher",
            "target_kind": "at_least",
            "target_value": "10",
            "order": 0,
            "year_targets-TOTAL_FORMS": 0,
            "year_targets-INITIAL_FORMS": 0,
            "measurements-TOTAL_FORMS": 0,
            "measurements-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "Inte av indikatorns löfte" in response.text
    assert not Indicator.objects.filter(name="Kontroller").exists()


def test_a_withdrawn_indicator_leaves_the_pages_with_a_public_note(client, two_years):
    from django.contrib.auth import get_user_model

    mistaken = derived(
        two_years,
        two_years.control,
        name="Kontroller fel räknade",
        unit="kontroller",
        target_kind=Target.AT_LEAST,
        target_value=Decimal(10),
    )
    log(two_years, two_years.control, date(2019, 2, 1))
    assert "Kontroller fel räknade" in page(two_years.get_absolute_url())
    operator = get_user_model().objects.create_superuser("operator", "", "x")
    client.force_login(operator)
    url = f"/admin/commitments/indicator/{mistaken.pk}/change/"
    form = {
        "promise": two_years.pk,
        "commitment": mistaken.commitment_id,
        "name": mistaken.name,
        "unit": "kontroller",
        "kind": "derived",
        "aggregation": "count",
        "activity_types": [two_years.control.pk],
        "source": "Portalen",
        "direction": "higher",
        "target_kind": "at_least",
        "target_value": "10",
        "order": 0,
        "withdraw": "on",
        "withdrawal_reason": "",
        "year_targets-TOTAL_FORMS": 0,
        "year_targets-INITIAL_FORMS": 0,
        "measurements-TOTAL_FORMS": 0,
        "measurements-INITIAL_FORMS": 0,
    }
    response = client.post(url, form)
    assert response.status_code == 200 and "Ange varför" in response.text
    response = client.post(url, {**form, "withdrawal_reason": "Räknade en annan typ."})
    assert response.status_code == 302
    client.logout()
    mistaken.refresh_from_db()
    assert mistaken.withdrawn_at is not None
    text = " ".join(page(two_years.get_absolute_url()).split())
    today = timezone.localdate()
    from django.utils import formats

    assert f"Indikatorn togs bort den {formats.date_format(today)}: Räknade en annan typ." in text
    assert "Minst 10 kontroller" not in text
    data = json_of(two_years)
    (entry,) = [i for c in data["commitments"] for i in c["indicators"]]
    assert entry == {
        "name": "Kontroller fel räknade",
        "withdrawn_on": today.isoformat(),
        "withdrawal_reason": "Räknade en annan typ.",
    }
    # The history keeps it; a published promise's indicator is not deleted.
    assert mistaken.history.count() >= 1
    client.force_login(operator)
    response = client.post(f"/admin/commitments/indicator/{mistaken.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Indicator.objects.filter(pk=mistaken.pk).exists()


# Item 7: batch entries.


def test_a_type_whose_entries_log_many_leads_with_its_measure(client, two_years):
    controls = MeasureFactory(
        activity_type=two_years.control,
        name="Kontroller",
        unit="kontroller",
        counts_the_work=True,
        order=5,
    )
    vehicles = MeasureFactory(activity_type=two_years.control, name="Fordon", unit="fordon")
    for day, n in [(date(2019, 3, 31), 95), (date(2019, 4, 30), 110)]:
        activity = ActivityFactory(
            activity_type=two_years.control, district=two_years.district, date=day
        )
        ActivityValueFactory(activity=activity, measure=controls, value=Decimal(n))
        ActivityValueFactory(activity=activity, measure=vehicles, value=Decimal(n * 3))
    text = " ".join(page(two_years.get_absolute_url()).split())
    assert re.search(
        r'<th scope="row">Trafikkontroll</th> <td class="num" data-label="[^"]+">'
        r" 205 kontroller </td>",
        text,
    )
    commitment = two_years.commitments.get()
    tables = re.split(r'<table class="figures[^"]*"[^>]*>', page(commitment.get_absolute_url()))[1:]
    (table,) = [t for t in tables if re.match(r"\s*<caption>\s*Trafikkontroll\s*<", t)]
    table = table.split("</table>")[0]
    assert "Trafikkontroll" in table
    headers = re.findall(r'<th scope="col"[^>]*>\s*(.*?)\s*</th>', table, re.S)
    assert headers == [
        "Tertial",
        "Område",
        "Kontroller (kontroller)",
        "Registreringar",
        "Timmar",
        "Fordon (fordon)",
    ]
    assert "Aktiviteter" not in table
    assert re.search(r'<td [^>]*class="num"[^>]*>205</td>', table) and "205,00" not in table
    data = json_of(two_years)
    (activities,) = [
        t for t in data["commitments"][0]["activities"] if t["activity_type"] == "Trafikkontroll"
    ]
    assert activities["measures"][0] == {
        "name": "Kontroller",
        "unit": "kontroller",
        "counts_the_work": True,
    }
    # Only one measure of a type counts the work.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        MeasureFactory(activity_type=two_years.control, name="Annat", counts_the_work=True)
