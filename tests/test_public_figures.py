"""The figures on the public pages: bucketed by tertial in the database, masked when sensitive,
and each one found in the open data."""

import csv
import io
from collections import defaultdict
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.utils import translation

from commitments import figures
from commitments.models import Activity, ActivityType, District, Indicator, Measure
from commitments.tertials import Tertial

from .factories import ActivityFactory, ActivityValueFactory, IndicatorFactory
from .public_urls import body

pytestmark = pytest.mark.django_db
NBSP = "\xa0"


class _Tables(HTMLParser):
    """The tables of a page: caption and rows of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables, self._cell, self._in_caption = [], None, False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self._in_caption = True
        elif tag == "span" and self._in_caption:
            self._in_caption = False  # the note under a caption is not its name
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[-1]["rows"][-1].append(" ".join(self._cell.split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        elif self._in_caption:
            self.tables[-1]["caption"] += data.strip()


def _tables(html):
    parser = _Tables()
    parser.feed(html)
    return {t["caption"]: t["rows"] for t in parser.tables}


def _log(type_slug, district_slug, day, hours="1", values=()):
    activity = ActivityFactory(
        activity_type=ActivityType.objects.get(slug=type_slug),
        district=District.objects.get(slug=district_slug),
        date=day,
        hours=Decimal(hours),
    )
    for name, value in values:
        ActivityValueFactory(
            activity=activity,
            measure=Measure.objects.get(activity_type=activity.activity_type, name=name),
            value=Decimal(value),
        )
    return activity


@pytest.mark.parametrize(
    "day",
    [
        date(2018, 1, 1),
        date(2018, 4, 30),
        date(2018, 5, 1),
        date(2018, 8, 31),
        date(2018, 9, 1),
        date(2018, 12, 31),
    ],
)
def test_the_database_buckets_dates_by_the_tertial_calendar(eskilstuna, day):
    _log("fotpatrull", "skiftinge", day)
    cells = figures.activity_cells(Activity.objects.all())
    assert [tertial for (_t, _d, tertial) in cells] == [Tertial.of(day)]


def test_a_commitment_table_sums_count_hours_and_each_measure(eskilstuna):
    _log("trafikkontroll", "skiftinge", date(2018, 2, 1), "2.5", [("Kontrollerade fordon", 700)])
    _log("trafikkontroll", "skiftinge", date(2018, 3, 1), "1", [("Kontrollerade fordon", 534.5)])
    _log("trafikkontroll", "froslunda", date(2018, 6, 1), "3", [("Ordningsböter", 2)])
    commitment = eskilstuna.commitments.get(number=1)
    tables = figures.activity_tables(
        figures.activity_cells(Activity.objects.public()),
        activity_types=commitment.activity_types.filter(slug="trafikkontroll"),
        districts=list(eskilstuna.districts.all()),
        tertials=figures.promise_tertials(eskilstuna),
    )
    (table,) = tables
    first = table.rows[0]
    assert (first.tertial, first.district.slug, first.count, first.hours) == (
        Tertial(2018, 1),
        "skiftinge",
        2,
        Decimal("3.5"),
    )
    assert first.values == [Decimal("1234.5"), 0, 0]
    assert table.total.count == 3
    with translation.override("sv"):
        assert figures.display(first.values[0]) == f"1{NBSP}234,5"
    with translation.override("en"):
        assert figures.display(first.values[0]) == "1,234.5"


def test_small_sensitive_counts_are_fewer_than_3_on_the_page_and_in_the_json(client, eskilstuna):
    for day in (date(2018, 2, 1), date(2018, 3, 1)):
        _log("social-insatsgrupp", "skiftinge", day)
    page = body(client.get("/loften/eskilstuna-2018/atagande/3/"))
    rows = _tables(page)["Ärende i social insatsgrupp"]
    assert rows[1][:2] == ["T1 2018", "färre än 3"]
    assert rows[-1][:2] == ["Hela perioden", "färre än 3"]
    data = client.get("/loften/eskilstuna-2018/data/sammanstallning.json").json()
    table = next(
        t
        for t in data["commitments"][2]["activities"]
        if t["activity_type"] == "Ärende i social insatsgrupp"
    )
    assert table["rows"][0]["count"] == {"fewer_than": 3}
    assert "2" not in str(table["rows"][0]["count"])


def test_a_total_that_would_reveal_a_masked_count_is_not_shown(client, eskilstuna):
    for day in [date(2018, 2, 1)] + [date(2018, 6, d) for d in (1, 2, 3, 4)]:
        _log("social-insatsgrupp", "skiftinge", day)
    rows = _tables(body(client.get("/loften/eskilstuna-2018/atagande/3/")))[
        "Ärende i social insatsgrupp"
    ]
    assert rows[1][:2] == ["T1 2018", "färre än 3"]
    assert rows[2][:2] == ["T2 2018", "4"]
    assert rows[-1][:2] == ["Hela perioden", "visas inte"]


def test_staff_figures_are_not_masked(eskilstuna):
    _log("social-insatsgrupp", "skiftinge", date(2018, 2, 1))
    commitment = eskilstuna.commitments.get(number=3)
    (table,) = figures.activity_tables(
        figures.activity_cells(Activity.objects.all()),
        activity_types=commitment.activity_types.filter(slug="social-insatsgrupp"),
        districts=list(eskilstuna.districts.all()),
        tertials=figures.promise_tertials(eskilstuna),
        public=False,
    )
    assert table.total.count == 1


def test_each_figure_on_the_commitment_page_can_be_found_in_the_csv(client, eskilstuna):
    _log("trafikkontroll", "skiftinge", date(2018, 2, 1), "2.5", [("Kontrollerade fordon", 40)])
    _log("trafikkontroll", "skiftinge", date(2018, 2, 9), "1.25", [("Kontrollerade fordon", 2)])
    _log("trafikkontroll", "froslunda", date(2018, 6, 1), "3", [("Ordningsböter", 2)])
    _log("fotpatrull", "centrum", date(2018, 10, 1), "4")
    rows = list(
        csv.DictReader(
            io.StringIO(body(client.get("/loften/eskilstuna-2018/data/aktiviteter.csv"))[1:]),
            delimiter=";",
        )
    )
    sums = defaultdict(lambda: defaultdict(Decimal))
    for row in rows:
        key = (row["aktivitetstyp"], row["tertial"], row["område"])
        sums[key]["count"] += 1
        for column, value in row.items():
            if column == "timmar" or ": " in column:
                sums[key][column] += Decimal(value.replace(",", ".") or 0)
    tables = _tables(body(client.get("/loften/eskilstuna-2018/atagande/1/")))
    checked = 0
    for (type_name, tertial, district), expected in sums.items():
        header, *lines = tables[type_name]
        line = next(r for r in lines if r[:2] == [tertial, district])
        assert line[2] == str(expected["count"])
        assert line[3] == figures.display(expected["timmar"])
        for column, cell in zip(header[4:], line[4:], strict=True):
            measure = f"{type_name}: {column}"
            assert cell == figures.display(expected[measure]), (measure, cell)
        checked += 1
    assert checked == 3


def test_the_counting_rule_names_types_measure_districts_and_source(eskilstuna):
    indicator = IndicatorFactory(
        promise=eskilstuna,
        kind=Indicator.Kind.DERIVED,
        aggregation=Indicator.Aggregation.SUM_MEASURE,
        measure=Measure.objects.get(name="Kontrollerade fordon"),
        unit="fordon",
        source="Portalens aktiviteter",
    )
    indicator.activity_types.set(ActivityType.objects.filter(slug="trafikkontroll"))
    indicator.districts.set(District.objects.filter(slug__in=["skiftinge", "lagersberg"]))
    with translation.override("sv"):
        rule = figures.counting_rule(indicator)
    assert "summan av ”Kontrollerade fordon” (fordon)" in rule
    assert "”Trafikkontroll”" in rule
    assert "Skiftinge och Lagersberg" in rule
    assert "Källa: Portalens aktiviteter." in rule


def test_a_derived_indicator_counts_its_types_in_its_districts_per_tertial(eskilstuna):
    _log("trygghetsvandring", "skiftinge", date(2018, 2, 1))
    _log("trygghetsvandring", "skiftinge", date(2018, 6, 1))
    _log("trygghetsvandring", "centrum", date(2018, 6, 1))  # outside its districts
    indicator = IndicatorFactory(
        promise=eskilstuna,
        kind=Indicator.Kind.DERIVED,
        aggregation=Indicator.Aggregation.COUNT,
        direction=Indicator.Direction.HIGHER,
        target_value=4,
        unit="vandringar",
    )
    indicator.activity_types.set(ActivityType.objects.filter(slug="trygghetsvandring"))
    indicator.districts.set(District.objects.filter(slug="skiftinge"))
    (item,) = figures.for_promise(eskilstuna).indicators
    assert item.indicator == indicator
    assert [p.value for p in item.points] == [1, 1, 0]
    assert item.total == 2
    with translation.override("sv"):
        assert figures.display(item.total) == "2"


def test_swedish_dates_on_the_district_page(client, eskilstuna):
    _log("fotpatrull", "skiftinge", date(2018, 3, 14))
    assert "14 mars 2018" in body(client.get("/loften/eskilstuna-2018/omraden/skiftinge/"))


def test_a_district_page_counts_per_tertial_without_a_district_column(client, eskilstuna):
    _log("fotpatrull", "skiftinge", date(2018, 3, 14), "2")
    _log("fotpatrull", "froslunda", date(2018, 3, 14), "5")
    _log("social-insatsgrupp", "skiftinge", date(2018, 3, 14))
    tables = _tables(body(client.get("/loften/eskilstuna-2018/omraden/skiftinge/")))
    assert tables["Fotpatrullering"] == [
        ["Tertial", "Aktiviteter", "Timmar"],
        ["T1 2018", "1", "2"],
        ["Hela perioden", "1", "2"],
    ]
    assert "Ärende i social insatsgrupp" not in tables
