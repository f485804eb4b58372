"""Archive one promise as a zip of JSON and CSV files, and restore it into an empty database.

Everything of a promise goes in: the promise and every row that leads to it through foreign
keys, in both apps (commitments and followups, their audit history included), found from the
models themselves so that a new model is archived without a change here. Rows those rows point
to that belong to no promise (organisations, users) come along; users without their password
hashes, groups or permissions. Files of FileFields (the follow-ups' PDFs) are stored as they are.

The zip holds, per model, `data/<app>.<model>.json` (Django's serializer format; what the
restore reads) and `csv/<app>.<model>.csv` (the same rows for people and spreadsheets), the
files under `files/`, and `manifest.json`: row counts and the SHA-256 of every other member.
A restore checks every checksum before it reads a row, then writes all rows and files in one
transaction: everything or nothing.
"""

import csv
import datetime
import hashlib
import io
import json
import zipfile
from collections import deque
from pathlib import PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from commitments.models import Promise

FORMAT = 1
APPS = ("commitments", "followups")
MANIFEST = "manifest.json"
# Archived users can never log in with it: Django treats a leading "!" as no password.
NO_PASSWORD = "!archived"  # noqa: S105 (not a password: the mark of none)
# A fixed time for every zip member, so that the same rows give the same bytes.
ZIP_TIME = (2000, 1, 1, 0, 0, 0)


class ArchiveError(Exception):
    """The archive cannot be written or restored; nothing was changed."""


class ArchiveEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (Django's drops them)."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        return super().default(o)


# Derived from the rest for the public pages' speed, not a record: rebuilt after a restore.
NOT_ARCHIVED = {"commitments.publicsummary", "commitments.summarystate"}


def archived_models():
    return [
        model
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.label_lower not in NOT_ARCHIVED
    ]


def promise_lookup(model, candidates):
    """The shortest foreign-key path from `model` to Promise, as a filter keyword; None if none."""
    if model is Promise:
        return "pk"
    if getattr(model, "instance_type", None) is Promise:
        return "id"  # the promise's own history (django-simple-history keeps its id, no key)
    queue = deque([(model, "")])
    seen = {model}
    while queue:
        current, prefix = queue.popleft()
        for field in current._meta.concrete_fields:
            if not (field.many_to_one or field.one_to_one):
                continue
            path = prefix + field.name
            if field.related_model is Promise:
                return path
            if field.related_model in candidates and field.related_model not in seen:
                seen.add(field.related_model)
                queue.append((field.related_model, path + "__"))
    return None


def label(model):
    return model._meta.label_lower


def relations(model):
    """(field, target model, is many-to-many) of every relation the model holds itself."""
    for field in model._meta.get_fields():
        if field.concrete and (field.many_to_one or field.one_to_one or field.many_to_many):
            yield field, field.related_model, field.many_to_many


# A promise's public version numbers its renderings in one installation's page cache: not part
# of the record. A restore starts it afresh (and touches the promise, see import_archive).
NOT_ARCHIVED_FIELDS = {"commitments.promise": ("public_version", "public_changed_at")}


def serialize(model, queryset):
    rows = serializers.serialize("python", queryset.order_by("pk"))
    if model is apps.get_model(settings.AUTH_USER_MODEL):
        for row in rows:
            row["fields"].update(password=NO_PASSWORD, groups=[], user_permissions=[])
    for row in rows:
        for name in NOT_ARCHIVED_FIELDS.get(model._meta.label_lower, ()):
            row["fields"].pop(name, None)
    return rows


def collect(promise):
    """{model: serialized rows} of everything of the promise, and of what those rows point to."""
    candidates = set(archived_models())
    lookups = {model: promise_lookup(model, candidates) for model in candidates}
    bound = {model for model, lookup in lookups.items() if lookup}
    rows = {
        model: serialize(model, model._base_manager.filter(**{lookups[model]: promise.pk}))
        for model in bound
    }
    kept = {model: {row["pk"] for row in rows[model]} for model in bound}

    # A reference to another promise's row (the previous promise) is cut, not followed.
    for model in bound:
        for field, target, many in relations(model):
            if target not in bound:
                continue
            for row in rows[model]:
                value = row["fields"].get(field.name)
                if many:
                    row["fields"][field.name] = [pk for pk in value if pk in kept[target]]
                elif value is not None and value not in kept[target]:
                    if not field.null:
                        raise ArchiveError(f"{label(model)} {row['pk']}: {field.name} elsewhere")
                    row["fields"][field.name] = None

    # Rows of no promise that the archived rows point to, until nothing new turns up.
    wanted = {}
    pending = list(bound)
    while pending:
        model = pending.pop()
        for field, target, many in relations(model):
            if target in bound or target not in candidates:
                continue
            values = {
                pk
                for row in rows[model]
                for pk in (row["fields"].get(field.name) if many else [row["fields"][field.name]])
                if pk is not None
            } - wanted.get(target, set())
            if values:
                wanted.setdefault(target, set()).update(values)
                rows[target] = serialize(target, target._base_manager.filter(pk__in=wanted[target]))
                pending.append(target)
    return rows


def load_order(models_):
    """Models ordered so that each comes after the models its foreign keys point to."""
    remaining = sorted(models_, key=label)
    ordered = []
    while remaining:
        for model in remaining:
            needs = {
                target
                for field, target, many in relations(model)
                if not many and target in remaining and target is not model
            }
            if not needs:
                break
        else:
            model = remaining[0]  # A cycle: deferred constraints take care of it.
        ordered.append(model)
        remaining.remove(model)
    return ordered


def csv_text(rows):
    """The rows as CSV; text that a spreadsheet would run as a formula is quoted with '."""
    names = list(rows[0]["fields"]) if rows else []
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["pk", *names])
    for row in rows:
        writer.writerow([row["pk"], *(csv_cell(row["fields"][name]) for name in names)])
    return out.getvalue()


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, cls=ArchiveEncoder)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def file_names(model, rows):
    fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
    return {row["fields"][name] for row in rows for name in fields if row["fields"][name]}


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def export_promise(promise, target):
    """Writes the archive of `promise` to the path or file `target`; returns the manifest."""
    rows = collect(promise)
    members = {}
    counts = {}
    files = set()
    for model in load_order(rows):
        name = label(model)
        data = json.dumps(rows[model], ensure_ascii=False, indent=1, cls=ArchiveEncoder)
        members[f"data/{name}.json"] = data.encode()
        members[f"csv/{name}.csv"] = csv_text(rows[model]).encode()
        counts[name] = len(rows[model])
        files |= file_names(model, rows[model])
    for name in sorted(files):
        if not default_storage.exists(name):
            raise ArchiveError(f"The file {name} is missing from the media storage.")
        with default_storage.open(name, "rb") as handle:
            members[f"files/{name}"] = handle.read()
    manifest = {
        "format": FORMAT,
        "promise": promise.slug,
        "exported_at": timezone.now().isoformat(),
        "migrations": latest_migrations(),
        "models": counts,
        "files": {member: sha256(data) for member, data in members.items()},
    }
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member, data in [*members.items(), (MANIFEST, json.dumps(manifest, indent=1).encode())]:
            archive.writestr(zipfile.ZipInfo(member, ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    return manifest


def latest_migrations():
    """The last applied migration of each archived app: which schema wrote the archive."""
    applied = MigrationRecorder(connection).applied_migrations()
    return {app: max((n for a, n in applied if a == app), default=None) for app in APPS}


def read_verified(source):
    """The manifest and members of an archive, after every checksum matched."""
    with zipfile.ZipFile(source) as archive:
        names = set(archive.namelist())
        if MANIFEST not in names:
            raise ArchiveError("The archive has no manifest.json.")
        manifest = json.loads(archive.read(MANIFEST))
        if manifest.get("format") != FORMAT:
            raise ArchiveError(f"Unknown archive format {manifest.get('format')!r}.")
        listed = set(manifest["files"])
        if names - listed - {MANIFEST}:
            raise ArchiveError(
                f"Members not in the manifest: {sorted(names - listed - {MANIFEST})}"
            )
        if listed - names:
            raise ArchiveError(f"Members missing from the archive: {sorted(listed - names)}")
        members = {}
        for member, expected in manifest["files"].items():
            path = PurePosixPath(member)
            if path.is_absolute() or ".." in path.parts:
                raise ArchiveError(f"Unsafe member name {member}.")
            data = archive.read(member)
            if sha256(data) != expected:
                raise ArchiveError(f"Checksum mismatch: {member}.")
            members[member] = data
    return manifest, members


def unique_identity(model, obj):
    return {f.name: getattr(obj, f.attname) for f in model._meta.concrete_fields if f.unique}


def import_archive(source):
    """Restores an archive into a database without its rows; returns {model label: rows}."""
    manifest, members = read_verified(source)
    candidates = set(archived_models())
    restored = {}
    written = []
    promises = []
    try:
        with transaction.atomic(), connection.constraint_checks_disabled():
            for name in manifest["models"]:
                model = apps.get_model(name)
                restored[name] = 0
                data = members[f"data/{name}.json"].decode()
                for item in serializers.deserialize("json", data, ignorenonexistent=True):
                    obj = item.object
                    existing = model._base_manager.filter(pk=obj.pk).first()
                    if existing is not None:
                        shared = promise_lookup(model, candidates) is None
                        if shared and unique_identity(model, existing) == unique_identity(
                            model, obj
                        ):
                            continue  # The same organisation or user is already here.
                        raise ArchiveError(
                            f"{name} {obj.pk} already exists: restore into an empty database."
                        )
                    if model is apps.get_model(settings.AUTH_USER_MODEL) and not obj.is_superuser:
                        obj.is_staff = False  # only operators are (issue 17), whatever it says
                    item.save()
                    restored[name] += 1
                    if model is Promise:
                        promises.append(obj.pk)
            for member, data in members.items():
                if member.startswith("files/"):
                    written.extend(restore_file(member.removeprefix("files/"), data))
            tables = [apps.get_model(name)._meta.db_table for name in manifest["models"]]
            connection.check_constraints(table_names=tables)
            reset_sequences([apps.get_model(name) for name in manifest["models"]])
            # What citizens see of the restored promises is new here: render it afresh.
            for promise in Promise.objects.filter(pk__in=promises):
                promise.touch()
    except Exception:
        for name in written:
            default_storage.delete(name)
        raise
    return restored


def restore_file(name, data):
    """Writes a file under its own name; an identical one already there is left alone."""
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as handle:
            if handle.read() == data:
                return []
        raise ArchiveError(f"A different file {name} already exists in the media storage.")
    saved = default_storage.save(name, ContentFile(data))
    if saved != name:
        default_storage.delete(saved)
        raise ArchiveError(f"The file {name} could not be stored under its own name.")
    return [saved]


def reset_sequences(models_):
    """New rows after a restore must not reuse the restored ids (PostgreSQL sequences)."""
    statements = connection.ops.sequence_reset_sql(no_style(), models_)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
