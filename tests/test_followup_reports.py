"""The tertial report: frozen on publish, corrected by versions, tagged, and the page's figures."""

import hashlib
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from commitments.models import Indicator
from followups import reports
from followups.models import FollowUp

from .factories import (
    ActivityFactory,
    ActivityTypeFactory,
    CommitmentAssessmentFactory,
    FollowUpFactory,
    MeasurementFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return settings


@pytest.fixture
def data(eskilstuna):
    """Activities with distinctive figures in T1 2018, and a measured goal indicator."""
    skiftinge = eskilstuna.districts.get(slug="skiftinge")
    for commitment in eskilstuna.commitments.all():
        activity_type = ActivityTypeFactory(
            commitment=commitment, name=f"Insats {commitment.number}"
        )
        commitment.districts.add(skiftinge)
        for hours in ("40.25", "83.5"):
            ActivityFactory(
                activity_type=activity_type,
                district=skiftinge,
                date=date(2018, 2, 1),
                hours=Decimal(hours),
            )
    indicator = Indicator.objects.create(
        promise=eskilstuna,
        name="Andel otrygga",
        unit="procent",
        direction=Indicator.Direction.LOWER,
        kind=Indicator.Kind.MEASURED,
        baseline_value=Decimal("38.0"),
        target_value=Decimal("30.0"),
        source="Trygghetsmätningen",
    )
    MeasurementFactory(indicator=indicator, value=Decimal("41.7"))
    return eskilstuna


@pytest.fixture
def followup(data):
    followup = FollowUpFactory(promise=data, summary="Tertialen i korthet.")
    for commitment in data.commitments.all():
        CommitmentAssessmentFactory(
            followup=followup,
            commitment=commitment,
            justification=f"Motivering {commitment.number}.",
        )
    return followup


def publish(followup, samordnare, ordforande, lpo_chef, capture):
    followup.submit(by=samordnare)
    followup.approve(by=ordforande)
    followup.approve(by=lpo_chef)
    with capture(execute=True):
        followup.publish(by=lpo_chef)
    followup.refresh_from_db()
    return followup


@pytest.fixture
def published(followup, samordnare, ordforande, lpo_chef, django_capture_on_commit_callbacks):
    return publish(followup, samordnare, ordforande, lpo_chef, django_capture_on_commit_callbacks)


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def squash(text):
    return re.sub(r"\s+", " ", text)


def test_publishing_renders_and_stores_the_report_with_its_sha256(published, client):
    assert published.pdf_status == FollowUp.PdfStatus.READY
    stored = published.pdf.read()
    assert hashlib.sha256(stored).hexdigest() == published.pdf_sha256
    response = client.get("/loften/eskilstuna-2018/uppfoljningar/2018-t1/rapport.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == stored
    page = client.get("/loften/eskilstuna-2018/uppfoljningar/2018-t1/")
    assert published.pdf_sha256 in page.text
    assert "rapport.pdf" in page.text


def test_the_published_report_never_changes_when_the_data_change(published, client):
    before = published.pdf_sha256
    ActivityFactory(
        activity_type=published.promise.commitments.first().activity_types.first(),
        district=published.promise.districts.get(slug="skiftinge"),
        date=date(2018, 3, 1),
        hours=Decimal("999"),
    )
    reports.render_and_store(published)
    published.refresh_from_db()
    assert published.pdf_sha256 == before
    body = b"".join(
        client.get("/loften/eskilstuna-2018/uppfoljningar/2018-t1/rapport.pdf").streaming_content
    )
    assert hashlib.sha256(body).hexdigest() == before


def test_the_report_holds_the_texts_and_the_same_figures_as_the_page(published, client):
    pdf = published.pdf.read()
    text = squash(pdf_text(pdf))
    page = client.get("/loften/eskilstuna-2018/uppfoljningar/2018-t1/").text
    for commitment in published.promise.commitments.all():
        assert squash(commitment.text) in text
        assert f"Motivering {commitment.number}." in text
    # 40,25 + 83,5 hours of two activities in Skiftinge, per commitment; the survey's 41,7.
    for figure in ("123,75", "41,7", "38", "30"):
        assert figure in text
        assert figure in page
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert f"Sida 1 av {pages}" in text
    assert f"Sida {pages} av {pages}" in text


def test_the_report_is_tagged_swedish_and_titled(published):
    reader = PdfReader(io.BytesIO(published.pdf.read()))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "sv"
    assert "Tertialuppföljning" in reader.metadata.title


def test_a_correction_makes_version_2_and_version_1_stays_readable(
    published, samordnare, ordforande, lpo_chef, client, django_capture_on_commit_callbacks
):
    first_pdf = published.pdf.read()
    correction = published.correct(by=samordnare, reason="Rättad sammanfattning.")
    correction.summary = "Rättad text."
    correction.save()
    publish(correction, samordnare, ordforande, lpo_chef, django_capture_on_commit_callbacks)
    latest = client.get("/loften/eskilstuna-2018/uppfoljningar/2018-t1/")
    assert "Rättad text." in latest.text and "Rättad sammanfattning." in latest.text
    assert "/loften/eskilstuna-2018/uppfoljningar/2018-t1/v1/" in latest.text
    old = client.get("/loften/eskilstuna-2018/uppfoljningar/2018-t1/v1/")
    assert old.status_code == 200 and "Tertialen i korthet." in old.text
    body = client.get("/loften/eskilstuna-2018/uppfoljningar/2018-t1/v1/rapport.pdf")
    assert b"".join(body.streaming_content) == first_pdf
    new_pdf = client.get("/loften/eskilstuna-2018/uppfoljningar/2018-t1/v2/rapport.pdf")
    assert "Rättad text." in pdf_text(b"".join(new_pdf.streaming_content))


def test_the_page_says_the_report_is_being_prepared_until_it_is(
    followup, samordnare, ordforande, lpo_chef, client
):
    followup.submit(by=samordnare)
    followup.approve(by=ordforande)
    followup.approve(by=lpo_chef)
    followup.publish(by=lpo_chef)  # the task runs after commit: not yet, here
    page = client.get("/loften/eskilstuna-2018/uppfoljningar/2018-t1/")
    assert "Rapporten förbereds." in page.text
    assert (
        client.get("/loften/eskilstuna-2018/uppfoljningar/2018-t1/rapport.pdf").status_code == 404
    )


def test_a_failed_rendering_is_shown_to_the_coordinator_and_can_be_retried(
    followup,
    samordnare,
    ordforande,
    lpo_chef,
    client,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker  # storage cannot write under a file
    published = publish(
        followup, samordnare, ordforande, lpo_chef, django_capture_on_commit_callbacks
    )
    assert published.pdf_status == FollowUp.PdfStatus.FAILED
    client.force_login(samordnare)
    page = client.get(published.get_staff_url())
    assert "Det gick inte att förbereda rapporten" in page.text
    settings.MEDIA_ROOT = tmp_path / "media"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/personal/uppfoljningar/{published.pk}/rapport/forsok-igen/")
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.pdf_status == FollowUp.PdfStatus.READY and published.pdf_sha256


def test_coordinators_and_approvers_download_a_draft_marked_utkast_on_every_page(
    followup, samordnare, ordforande, lpo_chef, polis, outsider, client
):
    url = f"/personal/uppfoljningar/{followup.pk}/utkast.pdf"
    for user in (samordnare, ordforande, lpo_chef):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        reader = PdfReader(io.BytesIO(response.content))
        assert all("UTKAST" in page.extract_text() for page in reader.pages)
    client.force_login(polis)
    assert client.get(url).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_a_draft_follow_up_is_not_public(followup, client):
    assert client.get("/loften/eskilstuna-2018/uppfoljningar/2018-t1/").status_code == 404
    assert (
        client.get("/loften/eskilstuna-2018/uppfoljningar/2018-t1/rapport.pdf").status_code == 404
    )


def test_every_row_of_a_figure_table_names_its_tertial_also_after_a_page_break(followup):
    # A label spanning a tertial's rows (rowspan) was missing from the rows that a page break
    # moved to the next page; each row now carries it, in the PDF as on the web page.
    skiftinge_type = followup.promise.commitments.first().activity_types.first()
    ActivityFactory(
        activity_type=skiftinge_type,
        district=followup.promise.districts.get(slug="froslunda"),
        date=date(2018, 2, 1),
        hours=Decimal("2"),
    )
    text = pdf_text(reports.render_pdf(followup, draft=True))
    rows = [
        line
        for line in text.splitlines()
        if re.search(r"^(T[123] 2018 )?(Skiftinge|Fröslunda|Alla områden)( [\d,]+)+$", line)
    ]
    assert any(line.startswith("T1 2018 Fröslunda") for line in rows), rows
    assert all(re.match(r"T[123] 2018 ", line) for line in rows), rows


def test_a_stored_report_whose_bytes_changed_is_never_served(published, client, caplog):
    with published.pdf.open("rb") as handle:
        original = handle.read()
    with open(published.pdf.path, "wb") as handle:
        handle.write(original + b"%changed")
    with pytest.raises(reports.FrozenReportChanged):
        client.get("/loften/eskilstuna-2018/uppfoljningar/2018-t1/rapport.pdf")
    assert "has changed since it was published" in caplog.text


def test_a_report_already_in_the_storage_is_reused_never_written_over(published):
    name, digest = published.pdf.name, published.pdf_sha256
    with published.pdf.open("rb") as handle:
        data = handle.read()
    assert reports.store_once(name, data, digest) == name
    other = b"other bytes"
    assert reports.store_once(name, other, hashlib.sha256(other).hexdigest()) != name
    with published.pdf.storage.open(name, "rb") as handle:
        assert handle.read() == data
