"""export_archive and import_archive: everything of a promise out to a zip and back, intact."""

import hashlib
import io
import json
import re
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from commitments.models import Activity, Organisation, Promise, User
from followups.archive import MANIFEST, archived_models
from followups.demo import seed
from followups.models import FollowUp

PDF = b"%PDF-1.7\n% a published tertial report\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def archived_promise(transactional_db, media):
    """The demo promise with a published report PDF and a corrected second version in draft."""
    promise, _users, _created = seed("demo-password-1")
    first = FollowUp.objects.get(promise=promise, year=2018, tertial=1, version=1)
    first.pdf.save("eskilstuna-2018-t1-v1.pdf", ContentFile(PDF))
    first.pdf_sha256 = hashlib.sha256(PDF).hexdigest()
    first.save()
    FollowUp.objects.create(
        promise=promise, year=2018, tertial=1, version=2, correction_reason="Fel antal."
    )
    return promise


def counts():
    return {m._meta.label_lower: m._base_manager.count() for m in archived_models()}


def members(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def empty_the_database(media):
    call_command("flush", "--noinput")
    for path in media.rglob("*"):
        if path.is_file():
            path.unlink()


def test_a_promise_survives_export_and_import_with_the_same_rows_checksums_and_pdf(
    archived_promise, media, tmp_path
):
    before = counts()
    archive = tmp_path / "eskilstuna.zip"
    call_command("export_archive", "eskilstuna-2018", str(archive))
    manifest = json.loads(members(archive)[MANIFEST])
    # Every table of both apps that holds rows of this promise is in, audit history included.
    assert manifest["models"]["commitments.activity"] == before["commitments.activity"]
    assert manifest["models"]["commitments.historicalactivity"] > 0
    assert manifest["models"]["followups.followup"] == 4
    assert manifest["models"]["followups.historicalfollowup"] > 0
    assert manifest["models"]["followups.approval"] > 0
    assert "files/reports/eskilstuna-2018-t1-v1.pdf" in manifest["files"]
    assert "csv/commitments.activity.csv" in manifest["files"]

    empty_the_database(media)
    assert Promise.objects.count() == 0
    call_command("import_archive", str(archive))

    assert counts() == before
    restored = FollowUp.objects.get(year=2018, tertial=1, version=1)
    assert restored.pdf.read() == PDF
    assert Activity.objects.exclude(internal_note="").exists()
    again = tmp_path / "again.zip"
    call_command("export_archive", "eskilstuna-2018", str(again))
    assert json.loads(members(again)[MANIFEST])["files"] == manifest["files"]


def test_after_a_restore_new_rows_get_new_ids_and_archived_users_cannot_log_in(
    archived_promise, media, tmp_path
):
    # An archive made before issue 17, when coordinators were staff: only operators are now.
    User.objects.filter(username="samordnare").update(is_staff=True)
    archive = tmp_path / "eskilstuna.zip"
    call_command("export_archive", "eskilstuna-2018", str(archive))
    users = members(archive)["data/commitments.user.json"]
    assert b"pbkdf2" not in users
    archived = {row["fields"]["username"]: row["fields"] for row in json.loads(users)}
    assert archived["samordnare"]["is_staff"]
    empty_the_database(media)
    call_command("import_archive", str(archive))
    highest = Organisation.objects.order_by("-pk").first().pk
    assert Organisation.objects.create(name="Ny", slug="ny", kind="other").pk > highest
    restored = User.objects.get(username="samordnare")
    assert not restored.has_usable_password()
    assert not restored.is_staff


def rewritten(source, target, member, change):
    """A copy of the archive with one member changed and its checksum made to match."""
    content = members(source)
    content[member] = change(content[member])
    manifest = json.loads(content[MANIFEST])
    manifest["files"][member] = hashlib.sha256(content[member]).hexdigest()
    content[MANIFEST] = json.dumps(manifest).encode()
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in content.items():
            archive.writestr(name, data)
    return target


def by_unknown_user(data):
    approvals = json.loads(data)
    approvals[-1]["fields"]["approved_by"] = 99999
    return json.dumps(approvals).encode()


def test_a_tampered_archive_is_refused_before_anything_is_restored(
    archived_promise, media, tmp_path
):
    archive = tmp_path / "eskilstuna.zip"
    call_command("export_archive", "eskilstuna-2018", str(archive))
    content = members(archive)
    activities = content["data/commitments.activity.json"]
    content["data/commitments.activity.json"] = activities.replace(b"Demodata", b"Andrad")
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(tampered, "w") as out:
        for name, data in content.items():
            out.writestr(name, data)
    empty_the_database(media)
    with pytest.raises(CommandError, match=r"Checksum mismatch: data/commitments\.activity\.json"):
        call_command("import_archive", str(tampered))
    assert Promise.objects.count() == 0


def test_a_failing_restore_leaves_no_row_and_no_file(archived_promise, media, tmp_path):
    archive = tmp_path / "eskilstuna.zip"
    call_command("export_archive", "eskilstuna-2018", str(archive))
    # An approval by a user who is not in the archive: the last check fails, after every row.
    broken = rewritten(
        archive, tmp_path / "broken.zip", "data/followups.approval.json", by_unknown_user
    )
    empty_the_database(media)
    with pytest.raises(IntegrityError):
        call_command("import_archive", str(broken))
    assert sum(counts().values()) == 0
    assert not default_storage.exists("reports/eskilstuna-2018-t1-v1.pdf")


def test_a_restore_into_a_database_that_has_the_promise_is_refused(
    archived_promise, media, tmp_path
):
    archive = tmp_path / "eskilstuna.zip"
    call_command("export_archive", "eskilstuna-2018", str(archive))
    before = counts()
    with pytest.raises(CommandError, match="already exists: restore into an empty database"):
        call_command("import_archive", str(archive))
    assert counts() == before


def test_an_archive_goes_to_the_file_storage_and_comes_back_from_it(archived_promise, media):
    before = counts()
    out = io.StringIO()
    call_command("export_archive", "eskilstuna-2018", "--to-storage", stdout=out)
    name = re.search(r"Wrote (archives/eskilstuna-2018-\S+\.zip):", out.getvalue())[1]
    with default_storage.open(name, "rb") as handle:
        data = handle.read()
    empty_the_database(media)
    default_storage.save(name, ContentFile(data))
    call_command("import_archive", name, "--from-storage", stdout=io.StringIO())
    assert counts() == before
    with FollowUp.objects.get(version=1, tertial=1, year=2018).pdf.open("rb") as handle:
        assert handle.read() == PDF
