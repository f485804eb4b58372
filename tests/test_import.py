"""Spreadsheet import of activities: messy real-world files, all or nothing, idempotent, fast."""

import hashlib
import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from commitments.imports import run_import
from commitments.models import (
    Activity,
    ActivityImport,
    ActivityType,
    ActivityValue,
    Measure,
    Organisation,
)

from .factories import ActivityFactory, PromiseFactory

DATA = Path(__file__).parent / "data"
HEADERS = [
    "Id",
    "Datum",
    "Åtagande",
    "Aktivitetstyp",
    "Område",
    "Timmar",
    "Antal personal",
    "Sammanfattning",
    "Intern anteckning",
    "Publik",
    "Kontrollerade fordon",
]


def db_state():
    """Row counts and a checksum of the activity tables: equal means nothing was written."""
    activities = list(Activity.objects.order_by("pk").values_list())
    values = list(ActivityValue.objects.order_by("pk").values_list())
    checksum = hashlib.sha256(repr((activities, values)).encode()).hexdigest()
    return (
        Activity.objects.count(),
        ActivityValue.objects.count(),
        Activity.history.count(),
        ActivityImport.objects.count(),
        checksum,
    )


def xlsx(rows, headers=HEADERS):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_rows(count, start=1):
    lines = [";".join(HEADERS)]
    for n in range(start, start + count):
        day = date(2018, 1, 1).toordinal() + n % 360
        lines.append(
            f"gen-{n};{date.fromordinal(day):%Y-%m-%d};1;Trafikkontroll;Skiftinge;2,5;3;"
            f"Kontroll {n};;ja;{n % 50}"
        )
    return ("\r\n".join(lines) + "\r\n").encode()


@pytest.fixture
def police(eskilstuna):
    return eskilstuna.police_area


@pytest.fixture
def municipal_activity(eskilstuna):
    """An activity of the municipality, with an id the police file must not overwrite."""
    activity_type = ActivityType.objects.get(commitment__promise=eskilstuna, slug="sspf-arendemote")
    return ActivityFactory(
        activity_type=activity_type,
        commitment=activity_type.commitment,
        district=eskilstuna.districts.get(slug="skiftinge"),
        organisation=eskilstuna.municipality,
        external_id="kommun-17",
    )


@pytest.fixture
def before(eskilstuna, municipal_activity):
    """Some activities already there, so that 'nothing written' is checked against data."""
    run_import(
        (DATA / "utf8_bom.csv").read_bytes(),
        file_name="utf8_bom.csv",
        promise=eskilstuna,
        organisation=eskilstuna.police_area,
    )
    return db_state()


def do_import(promise, data, name="file.csv", **kwargs):
    kwargs.setdefault("organisation", promise.police_area)
    return run_import(data, file_name=name, promise=promise, **kwargs)


def test_a_swedish_excel_csv_in_windows_1252_with_decimal_commas_imports(eskilstuna):
    report = do_import(eskilstuna, (DATA / "swedish_excel_cp1252.csv").read_bytes())

    assert report.ok, report.errors
    assert (report.rows, report.new, report.changed, report.unchanged) == (3, 3, 0, 0)
    first = Activity.objects.get(external_id="se-1")
    assert first.hours == Decimal("2.5")
    assert first.date == date(2018, 3, 14)
    assert first.district.name == "Skiftinge"
    assert first.summary == "Trafikkontroll vid Skiftingehus, fokus på mopeder"
    assert first.internal_note == "Återkoppling till närpolis"
    assert {v.measure.name: v.value for v in first.values.all()} == {
        "Kontrollerade fordon": 42,
        "Misstänkt rattfylleri": 1,
    }
    second = Activity.objects.get(external_id="se-2")
    assert (second.date, second.hours) == (date(2018, 3, 14), Decimal("1.75"))
    assert second.is_public is True
    third = Activity.objects.get(external_id="se-3")
    assert (third.date, third.is_public, third.commitment.number) == (date(2018, 4, 15), False, 2)


def test_a_utf8_file_with_bom_and_lowercase_slugs_imports(eskilstuna):
    report = do_import(eskilstuna, (DATA / "utf8_bom.csv").read_bytes())

    assert report.ok, report.errors
    assert report.new == 2
    assert Activity.objects.get(external_id="bom-2").activity_type.slug == "fordonspatrull"


def test_a_comma_separated_file_with_english_headers_imports(eskilstuna):
    report = do_import(eskilstuna, (DATA / "english_comma.csv").read_bytes())

    assert report.ok, report.errors
    activity = Activity.objects.get(external_id="en-1")
    assert activity.summary == "Traffic control, city centre"
    assert activity.hours == Decimal("2.5")
    assert activity.values.get().value == 30
    assert Activity.objects.get(external_id="en-2").is_public is False


def test_an_xlsx_workbook_with_real_date_cells_imports(eskilstuna):
    control = ["x-1", datetime(2018, 3, 14), 1, "Trafikkontroll", "Skiftinge", 2.5, 4]
    patrol = ["x-2", date(2018, 9, 1), 1, "fotpatrull", "Centrum", 3, 2, "Patrull"]
    data = xlsx([[*control, "Kontroll", "", True, 12], [*patrol, "", "nej", None]])

    report = do_import(eskilstuna, data, name="aktiviteter.xlsx")

    assert report.ok, report.errors
    assert report.new == 2
    activity = Activity.objects.get(external_id="x-1")
    assert (activity.date, activity.hours, activity.is_public) == (
        date(2018, 3, 14),
        Decimal("2.5"),
        True,
    )
    assert activity.values.get().value == 12


def test_headers_match_ignoring_case_and_spaces(eskilstuna):
    data = "  datum ;ÅTAGANDE;aktivitetstyp;  område\n2018-03-14;1;Fotpatrullering;Skiftinge\n"

    report = do_import(eskilstuna, data.encode())

    assert report.ok, report.errors
    assert report.new == 1


@pytest.mark.parametrize(
    ("file_name", "row", "column", "code"),
    [
        ("unknown_district.csv", 2, "Område", "unknown_district"),
        ("near_miss_type.csv", 2, "Aktivitetstyp", "unknown_type"),
        ("impossible_date.csv", 2, "Datum", "impossible_date"),
        ("outside_period.csv", 2, "Datum", "outside_period"),
        ("negative_value.csv", 2, "Kontrollerade fordon", "min_value"),
        ("measure_of_other_type.csv", 2, "Kontrollerade fordon", "measure_of_other_type"),
        ("personal_number.csv", 2, "Sammanfattning", "personal_number"),
        ("duplicate_id.csv", 3, "Id", "duplicate_id"),
        ("id_of_other_organisation.csv", 2, "Id", "foreign_id"),
        ("empty.csv", None, "", "empty"),
        ("headers_only.csv", None, "", "headers_only"),
        ("wrong_columns.csv", 1, "Typ av aktivitet", "unknown_column"),
    ],
)
def test_a_faulty_file_reports_the_row_and_column_and_writes_nothing(
    eskilstuna, before, file_name, row, column, code
):
    report = do_import(eskilstuna, (DATA / file_name).read_bytes(), name=file_name)

    assert not report.ok
    assert code in report.codes, report.errors
    error = report.errors[report.codes.index(code)]
    assert (error.row, error.column) == (row, column)
    assert report.record is None
    assert db_state() == before


def test_messages_are_swedish_and_suggest_the_near_miss(eskilstuna):
    report = do_import(eskilstuna, (DATA / "near_miss_type.csv").read_bytes())

    assert str(report.errors[0]) == (
        "row 2, column Aktivitetstyp: Okänd aktivitetstyp ”Fotpatrulering”. "
        "Menade du ”Fotpatrullering”?"
    )


def test_personal_data_is_refused_per_cell_with_the_row_column_and_what_was_found(
    eskilstuna, before
):
    header = (DATA / "personal_number.csv").read_bytes().split(b"\r\n", 1)[0]
    rows = [
        "pd-1;2018-03-14;1;Fotpatrullering;Skiftinge;2;2;Ring 070-123 45 67;;ja;;;",
        "pd-2;2018-03-14;1;Fotpatrullering;Skiftinge;2;2;Patrull;Gällde 81.12.18-9876;ja;;;",
        # Staff only: the internal note may hold a duty phone, never a personnummer.
        "pd-3;2018-03-14;1;Fotpatrullering;Skiftinge;2;2;Patrull;Vakthavande 070-123 45 67;ja;;;",
    ]
    data = b"\r\n".join([header, *(row.encode() for row in rows)]) + b"\r\n"

    report = do_import(eskilstuna, data)

    assert [str(error) for error in report.errors] == [
        "row 2, column Sammanfattning: ”Publik sammanfattning” innehåller något som ser ut som "
        "ett telefonnummer (070-123 45 67). Portalen lagrar inga personuppgifter: ta bort det.",
        "row 3, column Intern anteckning: ”Intern anteckning” innehåller något som ser ut som "
        "ett personnummer (81.12.18-9876). Portalen lagrar inga personuppgifter: ta bort det.",
    ]
    assert report.codes == ["phone", "personal_number"]
    assert db_state() == before


def test_a_near_miss_district_is_suggested(eskilstuna):
    data = (DATA / "unknown_district.csv").read_bytes().replace(b"Tunafors", b"Lagersbergg")

    report = do_import(eskilstuna, data)

    assert "Menade du ”Lagersberg”?" in report.errors[0].message


def test_wrong_columns_name_the_unknown_and_the_missing(eskilstuna):
    report = do_import(eskilstuna, (DATA / "wrong_columns.csv").read_bytes())

    assert sorted(report.codes) == [
        "missing_column",
        "missing_column",
        "unknown_column",
        "unknown_column",
    ]
    assert {e.column for e in report.errors if e.code == "missing_column"} == {
        "Aktivitetstyp",
        "Område",
    }


def test_every_error_of_a_file_is_reported_not_just_the_first(eskilstuna, before):
    data = b"".join(
        (DATA / name).read_bytes().split(b"\r\n", 1)[1]
        for name in ["impossible_date.csv", "personal_number.csv", "outside_period.csv"]
    )
    header = (DATA / "impossible_date.csv").read_bytes().split(b"\r\n", 1)[0] + b"\r\n"
    good = b"ok-1;2018-03-14;1;Fotpatrullering;Skiftinge;2;2;Patrull;;ja;;;\r\n"

    report = do_import(eskilstuna, header + good + data)

    assert [(e.row, e.code) for e in report.errors] == [
        (3, "impossible_date"),
        (4, "personal_number"),
        (5, "outside_period"),
    ]
    assert db_state() == before


def test_an_xlsx_formula_cell_is_refused(eskilstuna, before):
    data = xlsx(
        [["f-1", "2018-03-14", 1, "Trafikkontroll", "Skiftinge", 2, 2, "=1+1", "", "ja", 3]]
    )

    report = do_import(eskilstuna, data, name="formel.xlsx")

    assert [(e.row, e.column, e.code) for e in report.errors] == [(2, "Sammanfattning", "formula")]
    assert db_state() == before


def test_a_csv_cell_that_looks_like_a_formula_is_kept_as_text(eskilstuna):
    report = do_import(eskilstuna, (DATA / "formula.csv").read_bytes())

    assert report.ok, report.errors
    summary = Activity.objects.get(external_id="fx-1").summary
    assert summary == '=HYPERLINK("http://example.com";"klicka")'


def test_an_oversized_file_is_refused_unread(eskilstuna, before, settings):
    data = csv_rows(10) + b" " * settings.IMPORT_MAX_BYTES

    report = do_import(eskilstuna, data)

    assert report.codes == ["too_large"]
    assert report.errors[0].message == "Filen är 5,0 MB; högst 5 MB kan importeras åt gången."
    assert db_state() == before


def _zip_bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 30_000_000)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(eskilstuna, before):
    data = _zip_bomb()
    assert len(data) < 100_000

    report = do_import(eskilstuna, data, name="bomb.xlsx")

    assert report.codes == ["zip_bomb"]
    assert db_state() == before


def test_a_workbook_over_the_unpacked_size_limit_is_refused(eskilstuna, settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 1000

    report = do_import(eskilstuna, xlsx([]), name="tiny.xlsx")

    assert report.codes == ["zip_bomb"]


def test_a_file_over_the_row_limit_is_refused_before_any_row_is_imported(eskilstuna, before):
    report = do_import(eskilstuna, csv_rows(20_001))

    assert report.codes == ["too_many_rows"]
    assert "20001" in report.errors[0].message
    assert db_state() == before


def test_reimporting_the_same_file_changes_nothing(eskilstuna):
    data = (DATA / "swedish_excel_cp1252.csv").read_bytes()
    do_import(eskilstuna, data)
    state = db_state()[:3]

    report = do_import(eskilstuna, data)

    assert (report.new, report.changed, report.unchanged) == (0, 0, 3)
    assert db_state()[:3] == state


def test_a_changed_row_updates_only_its_activity_with_history(eskilstuna, polis):
    data = (DATA / "swedish_excel_cp1252.csv").read_bytes()
    do_import(eskilstuna, data)
    untouched = {a.external_id: (a.updated_at, a.version) for a in Activity.objects.all()}

    changed = data.replace(b";42;1;", b";50;;")
    report = do_import(eskilstuna, changed, user=polis)

    assert (report.new, report.changed, report.unchanged) == (0, 1, 2)
    activity = Activity.objects.get(external_id="se-1")
    assert {v.measure.name: v.value for v in activity.values.all()} == {"Kontrollerade fordon": 50}
    assert activity.version == 2
    latest = activity.history.first()
    assert latest.history_type == "~"
    assert latest.history_user == polis
    assert latest.history_change_reason == f"import {report.record.pk}: file.csv"
    value_history = {
        (record.measure.name, record.history_type, record.value)
        for record in ActivityValue.history.filter(activity_id=activity.pk, history_user=polis)
    }
    assert value_history == {
        ("Kontrollerade fordon", "~", 50),
        ("Misstänkt rattfylleri", "-", 1),
    }
    for other in Activity.objects.exclude(external_id="se-1"):
        assert (other.updated_at, other.version) == untouched[other.external_id]


def test_an_import_is_recorded_with_who_when_file_hash_and_counts(eskilstuna, polis):
    data = (DATA / "swedish_excel_cp1252.csv").read_bytes()

    report = do_import(eskilstuna, data, name="lista.csv", user=polis)

    record = ActivityImport.objects.get()
    assert record == report.record
    assert (record.imported_by, record.file_name, record.sha256) == (
        polis,
        "lista.csv",
        hashlib.sha256(data).hexdigest(),
    )
    assert (record.rows, record.created_count, record.updated_count) == (3, 3, 0)
    assert Activity.history.filter(history_type="+", history_user=polis).count() == 3
    assert ActivityValue.history.filter(history_type="+", history_user=polis).count() == 3
    assert Activity.objects.filter(created_by=polis).count() == 3


def test_a_dry_run_reports_the_counts_and_writes_nothing(eskilstuna, before):
    report = do_import(eskilstuna, (DATA / "swedish_excel_cp1252.csv").read_bytes(), dry_run=True)

    assert report.ok
    assert (report.new, report.changed, report.unchanged) == (3, 0, 0)
    assert [line["status"] for line in report.preview] == ["new", "new", "new"]
    assert db_state() == before


def test_an_id_used_by_the_organisation_in_another_promise_is_refused(eskilstuna):
    other = PromiseFactory(
        police_area=eskilstuna.police_area,
        slug="eskilstuna-2019",
        start_date=date(2019, 1, 1),
        end_date=date(2019, 12, 31),
    )
    other_type = ActivityType.objects.create(
        commitment=other.commitments.create(number=1, title="Ett", text="Text."),
        name="Patrull",
        slug="patrull",
    )
    ActivityFactory(activity_type=other_type, external_id="bom-1")

    report = do_import(eskilstuna, (DATA / "utf8_bom.csv").read_bytes())

    assert report.codes == ["foreign_id"]
    assert report.errors[0].row == 2


def test_a_measure_shared_by_name_goes_to_the_rows_type(eskilstuna):
    walk = ActivityType.objects.get(commitment__promise=eskilstuna, slug="trygghetsvandring")
    Measure.objects.create(activity_type=walk, name="Kontrollerade fordon", unit="st")
    data = xlsx([["m-1", "2018-03-14", 1, "Trygghetsvandring", "Skiftinge", 2, 2, "", "", "", 7]])

    report = do_import(eskilstuna, data, name="m.xlsx")

    assert report.ok, report.errors
    assert Activity.objects.get(external_id="m-1").values.get().measure.activity_type == walk


# Permissions.


def test_police_staff_import_for_their_own_organisation(eskilstuna, polis):
    report = do_import(eskilstuna, (DATA / "utf8_bom.csv").read_bytes(), user=polis)

    assert report.ok


def test_police_staff_cannot_import_for_the_municipality(eskilstuna, polis, before):
    with pytest.raises(PermissionDenied):
        do_import(
            eskilstuna,
            (DATA / "utf8_bom.csv").read_bytes(),
            user=polis,
            organisation=eskilstuna.municipality,
        )
    assert db_state() == before


def test_a_coordinator_imports_for_an_organisation_of_the_promise(eskilstuna, samordnare):
    report = do_import(eskilstuna, (DATA / "utf8_bom.csv").read_bytes(), user=samordnare)

    assert report.ok
    assert Activity.objects.filter(organisation=eskilstuna.police_area).count() == 2


def test_nobody_imports_for_an_organisation_outside_the_promise(eskilstuna, samordnare, outsider):
    with pytest.raises(PermissionDenied):
        do_import(
            eskilstuna,
            (DATA / "utf8_bom.csv").read_bytes(),
            user=samordnare,
            organisation=Organisation.objects.get(slug="lpo-vasteras"),
        )
    with pytest.raises(PermissionDenied):
        do_import(eskilstuna, (DATA / "utf8_bom.csv").read_bytes(), user=outsider)


def test_an_approver_cannot_import(eskilstuna, lpo_chef):
    with pytest.raises(PermissionDenied):
        do_import(eskilstuna, (DATA / "utf8_bom.csv").read_bytes(), user=lpo_chef)


# Speed: a bounded number of queries, whatever the number of rows.


def test_an_import_costs_at_most_a_tenth_of_a_query_per_row(
    eskilstuna, django_assert_max_num_queries
):
    data = csv_rows(300)

    with django_assert_max_num_queries(30):
        report = do_import(eskilstuna, data)
    assert report.new == 300

    changed = data.replace(b";ja;", b";nej;")
    with django_assert_max_num_queries(30):
        report = do_import(eskilstuna, changed)
    assert report.changed == 300


# The command.


def test_the_command_imports_and_ends_with_a_summary(eskilstuna, capsys):
    call_command(
        "import_activities",
        str(DATA / "swedish_excel_cp1252.csv"),
        promise="eskilstuna-2018",
        organisation="lpo-eskilstuna",
    )

    assert "3 rows: 3 new, 0 changed, 0 unchanged, 0 errors" in capsys.readouterr().out
    assert Activity.objects.count() == 3


def test_the_command_prints_each_error_and_exits_1(eskilstuna, before, capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command(
            "import_activities",
            str(DATA / "near_miss_type.csv"),
            promise="eskilstuna-2018",
            organisation="lpo-eskilstuna",
        )

    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "row 2, column Aktivitetstyp: Okänd aktivitetstyp ”Fotpatrulering”." in err
    assert db_state() == before


def test_the_command_dry_run_writes_nothing(eskilstuna, before, capsys):
    call_command(
        "import_activities",
        str(DATA / "swedish_excel_cp1252.csv"),
        "--dry-run",
        promise="eskilstuna-2018",
        organisation="lpo-eskilstuna",
    )

    assert "dry run" in capsys.readouterr().out
    assert db_state() == before


def test_a_workbook_over_the_row_limit_is_refused(eskilstuna, before, settings):
    settings.IMPORT_MAX_ROWS = 5
    row = ["w", "2018-03-14", 1, "Fotpatrullering", "Skiftinge", 2, 2, "", "", "ja", None]
    data = xlsx([[f"w-{n}", *row[1:]] for n in range(6)])

    report = do_import(eskilstuna, data, name="lang.xlsx")

    assert report.codes == ["too_many_rows"]
    assert db_state() == before


def _with_dimension(data, ref):
    """The workbook with its sheet's declared size rewritten, as some programs get it wrong."""
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(
                    rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), content
                )
            archive.writestr(item, content)
    return target.getvalue()


def test_rows_beyond_the_declared_size_still_count(eskilstuna, before, settings):
    settings.IMPORT_MAX_ROWS = 5
    row = ["w", "2018-03-14", 1, "Fotpatrullering", "Skiftinge", 2, 2, "", "", "ja", None]
    data = _with_dimension(xlsx([[f"w-{n}", *row[1:]] for n in range(6)]), "A1:K2")
    assert openpyxl.load_workbook(io.BytesIO(data), read_only=True).active.max_row == 2

    report = do_import(eskilstuna, data, name="lang.xlsx")

    assert report.codes == ["too_many_rows"]
    assert db_state() == before


def test_an_xlsx_with_headers_only_is_refused(eskilstuna):
    report = do_import(eskilstuna, xlsx([]), name="tom.xlsx")

    assert report.codes == ["headers_only"]
