"""The import in the staff area: upload, preview, confirm; templates; the export's round trip."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commitments import roles
from commitments.exports import FORMULA_START
from commitments.imports import run_import
from commitments.models import Activity, ActivityImport, ActivityType, District

from .factories import ActivityFactory, MunicipalityFactory, UserFactory
from .test_exports import prepared_export

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path / "imports"


def upload(client, promise, organisation, name):
    return client.post(
        reverse("staff:import"),
        {
            "promise": promise.pk,
            "organisation": organisation.pk,
            "file": SimpleUploadedFile(name, (DATA / name).read_bytes()),
        },
    )


def confirm_fields(response):
    form = response.context["confirm"]
    return {name: form[name].value() for name in form.fields}


def test_staff_upload_preview_and_confirm_an_import(client, polis, eskilstuna):
    client.force_login(polis)
    assert client.get(reverse("staff:import")).status_code == 200

    preview = upload(client, eskilstuna, eskilstuna.police_area, "swedish_excel_cp1252.csv")

    assert preview.status_code == 200
    assert "Kontrollera importen" in preview.text
    report = preview.context["report"]
    assert (report.new, report.changed, report.unchanged, report.errors) == (3, 0, 0, [])
    assert "Trafikkontroll vid Skiftingehus" in preview.text
    assert "Importera 3 rader" in preview.text
    assert Activity.objects.count() == 0

    response = client.post(reverse("staff:import_confirm"), confirm_fields(preview))

    assert response.status_code == 302
    assert Activity.objects.filter(created_by=polis).count() == 3
    record = ActivityImport.objects.get()
    assert (record.imported_by, record.file_name) == (polis, "swedish_excel_cp1252.csv")
    listing = client.get(response["Location"])
    assert "3 nya, 0 ändrade, 0 oförändrade" in listing.text


def test_a_faulty_file_previews_every_error_and_offers_no_import(
    client, polis, eskilstuna, upload_dir
):
    client.force_login(polis)

    preview = upload(client, eskilstuna, eskilstuna.police_area, "duplicate_id.csv")

    assert preview.context["confirm"] is None
    assert "Inget har importerats" in preview.text
    assert "dup-1" in preview.text
    assert reverse("staff:import_confirm") not in preview.text
    # A file that cannot be imported is not kept.
    assert not upload_dir.exists() or not any(upload_dir.rglob("*"))
    assert Activity.objects.count() == 0


def test_the_kept_upload_is_only_the_uploaders(client, polis, eskilstuna, police_colleague):
    client.force_login(polis)
    preview = upload(client, eskilstuna, eskilstuna.police_area, "utf8_bom.csv")
    client.force_login(police_colleague)

    response = client.post(reverse("staff:import_confirm"), confirm_fields(preview))

    assert response.status_code == 302
    assert response["Location"] == reverse("staff:import")
    assert Activity.objects.count() == 0


@pytest.fixture
def police_colleague(eskilstuna):
    roles.ensure_groups()
    user = UserFactory(username="polis2", organisation=eskilstuna.police_area)
    user.groups.set([Group.objects.get(name=roles.POLICE)])
    return user


def test_a_tampered_hash_imports_nothing(client, polis, eskilstuna):
    client.force_login(polis)
    preview = upload(client, eskilstuna, eskilstuna.police_area, "utf8_bom.csv")
    fields = confirm_fields(preview)
    fields["sha256"] = "../" + fields["sha256"][3:]

    response = client.post(reverse("staff:import_confirm"), fields)

    assert response.status_code == 302
    assert Activity.objects.count() == 0


def test_police_staff_cannot_upload_for_the_municipality(client, polis, eskilstuna):
    client.force_login(polis)

    response = upload(client, eskilstuna, eskilstuna.municipality, "utf8_bom.csv")

    assert response.status_code == 200
    assert "report" not in response.context
    assert response.context["form"].has_error("organisation")
    assert Activity.objects.count() == 0


def test_an_approver_has_no_import_page(client, lpo_chef, eskilstuna):
    client.force_login(lpo_chef)

    assert client.get(reverse("staff:import")).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client, eskilstuna):
    response = client.get(reverse("staff:import"))

    assert response.status_code == 302
    assert reverse("staff:login") in response["Location"]


def test_an_oversized_upload_is_refused_before_it_is_read(client, polis, eskilstuna, settings):
    settings.IMPORT_MAX_BYTES = 1000
    client.force_login(polis)

    response = client.post(
        reverse("staff:import"),
        {
            "promise": eskilstuna.pk,
            "organisation": eskilstuna.police_area.pk,
            "file": SimpleUploadedFile("big.csv", b"x" * 100_000),
        },
    )

    assert response.status_code == 413
    assert "Filen är större än" in response.text


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_template_has_the_columns_and_two_example_rows_that_import(
    client, polis, eskilstuna, fmt
):
    client.force_login(polis)

    response = client.get(
        reverse(f"staff:import_template_{fmt}", kwargs={"promise": eskilstuna.slug})
    )

    assert response.status_code == 200
    data = response.content
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    else:
        assert data.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:10] == [
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
    ]
    assert "Kontrollerade fordon" in rows[0]
    assert len(rows) == 3
    report = run_import(
        data,
        file_name=f"mall.{fmt}",
        promise=eskilstuna,
        organisation=eskilstuna.police_area,
    )
    assert report.ok, report.errors
    assert report.new == 2


@pytest.fixture
def logged(eskilstuna):
    """Activities entered in the form, without external ids, some text formula-like."""
    traffic = ActivityType.objects.get(commitment__promise=eskilstuna, slug="trafikkontroll")
    patrol = ActivityType.objects.get(commitment__promise=eskilstuna, slug="fotpatrull")
    skiftinge = District.objects.get(promise=eskilstuna, slug="skiftinge")
    first = ActivityFactory(
        activity_type=traffic,
        district=skiftinge,
        hours=Decimal("2.25"),
        summary="=HYPERLINK(1)",
        internal_note="-2 grader, halt",
    )
    first.set_values(
        {
            traffic.measures.get(name="Kontrollerade fordon"): Decimal(40),
            traffic.measures.get(name="Ordningsböter"): Decimal("1.5"),
        }
    )
    ActivityFactory(activity_type=patrol, district=skiftinge, is_public=False, external_id="e-7")
    ActivityFactory(activity_type=patrol, district=skiftinge, summary="@torget\tkväll")
    return Activity.objects.all()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_reimports_without_changes(client, polis, eskilstuna, logged, fmt):
    client.force_login(polis)
    if fmt == "csv":
        data = b"".join(client.get(reverse("staff:activities_csv")).streaming_content)
    else:
        data = prepared_export(client, "xlsx")
    history = Activity.history.count()

    report = run_import(
        data, file_name=f"export.{fmt}", promise=eskilstuna, organisation=eskilstuna.police_area
    )

    assert report.ok, report.errors
    assert (report.new, report.changed, report.unchanged) == (0, 0, 3)
    assert Activity.history.count() == history


def test_the_xlsx_export_neutralises_formulas_and_keeps_numbers_and_dates(
    client, samordnare, logged
):
    client.force_login(samordnare)

    sheet = openpyxl.load_workbook(io.BytesIO(prepared_export(client, "xlsx"))).active
    rows = [list(row) for row in sheet.iter_rows()]
    header = [cell.value for cell in rows[0]]
    for row in rows[1:]:
        for cell in row:
            assert cell.data_type != "f"
            if isinstance(cell.value, str):
                assert not cell.value.startswith(FORMULA_START)
    by_summary = {row[header.index("Publik sammanfattning")].value: row for row in rows[1:]}
    first = by_summary["'=HYPERLINK(1)"]
    assert first[header.index("Intern anteckning")].value == "'-2 grader, halt"
    assert first[header.index("Timmar")].value == 2.25
    assert first[header.index("Kontrollerade fordon (fordon)")].value == 40
    assert first[header.index("Datum")].is_date
    assert "'@torget\tkväll" in by_summary


def test_the_xlsx_export_follows_the_filters_and_visibility(client, polis, kommun, logged):
    client.force_login(kommun)

    sheet = openpyxl.load_workbook(io.BytesIO(prepared_export(client, "xlsx"))).active
    assert sheet.max_row == 1


def test_coordinators_read_the_import_record_in_the_admin_and_outsiders_do_not(
    client, samordnare, polis, eskilstuna
):
    run_import(
        (DATA / "utf8_bom.csv").read_bytes(),
        file_name="veckolista.csv",
        promise=eskilstuna,
        organisation=eskilstuna.police_area,
        user=polis,
    )
    other = UserFactory(username="samordnare-vasteras", organisation=MunicipalityFactory())
    other.groups.set([Group.objects.get(name=roles.COORDINATOR)])
    for user in [samordnare, other]:  # made staff here: only operators are (issue 17)
        user.is_staff = True
        user.save()

    client.force_login(samordnare)
    response = client.get("/admin/commitments/activityimport/")
    assert response.status_code == 200
    assert "veckolista.csv" in response.text

    client.force_login(other)
    response = client.get("/admin/commitments/activityimport/")
    assert response.status_code == 200
    assert "veckolista.csv" not in response.text
