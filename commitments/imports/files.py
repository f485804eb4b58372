"""Reading an uploaded activity file, and keeping it between preview and confirmation.

The bytes are checked before any row is read: XLSX (read-only, zip bomb refused from the zip
directory) or CSV (UTF-8 with or without BOM, else Windows-1252; semicolon or comma). Rows come
out as lists of cells, streamed; run.py maps and imports them.
"""

import codecs
import csv
import hashlib
import io
import re
import zipfile

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format


class FileRefused(Exception):
    """The file cannot be read at all; nothing of it is imported."""

    def __init__(self, message, code):
        super().__init__(message)
        self.code = code


class Formula:
    """An XLSX cell that holds a formula: its value is Excel's to compute, not ours to trust."""

    def __init__(self, text):
        self.text = text

    def __str__(self):
        return self.text


# Reading the file.


def _decode(data):
    """The text encoding of a CSV file: UTF-8 (with or without BOM), else Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), 65536):
            decoder.decode(data[start : start + 65536])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        # What Swedish Excel writes for "CSV (semikolonavgränsad)".
        return "cp1252"
    return "utf-8"


def _delimiter(first_line):
    counts = {sep: first_line.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


class CsvTable:
    def __init__(self, data):
        self.data = data
        self.encoding = _decode(data)
        sample = data[:65536].decode(self.encoding, errors="replace")
        self.delimiter = _delimiter(sample.lstrip("\ufeff").split("\n", 1)[0])

    def rows(self):
        stream = io.TextIOWrapper(
            io.BytesIO(self.data), encoding=self.encoding, errors="replace", newline=""
        )
        try:
            yield from csv.reader(stream, delimiter=self.delimiter)
        except csv.Error as error:
            message = _("The file could not be read as CSV: %(error)s") % {"error": error}
            raise FileRefused(message, "not_csv") from None

    def count_rows(self, count):
        return count()

    def close(self):
        pass


class XlsxTable:
    def __init__(self, data):
        check_zip(data)
        import openpyxl

        try:
            self.workbook = openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=False
            )
        except Exception:
            raise FileRefused(
                _("The file could not be read as an Excel workbook (XLSX)."), "not_xlsx"
            ) from None
        self.sheet = self.workbook.worksheets[0]
        self.declared_rows = self.sheet.max_row
        # Some programs write a wrong size into the sheet; read every row there is.
        self.sheet.reset_dimensions()

    def count_rows(self, count):
        """The data rows the sheet declares (header excluded), without reading them."""
        if self.declared_rows is None or self.declared_rows <= 1:
            return None
        return self.declared_rows - 1

    def rows(self):
        for cells in self.sheet.iter_rows():
            yield [
                Formula(cell.value) if getattr(cell, "data_type", None) == "f" else cell.value
                for cell in cells
            ]

    def close(self):
        self.workbook.close()


def check_zip(data):
    """Refuse a zip bomb before anything is unpacked: sizes from the archive's directory."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise FileRefused(
            _("The file could not be read as an Excel workbook (XLSX)."), "not_xlsx"
        ) from None
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    ratio_limit = settings.IMPORT_MAX_COMPRESSION_RATIO
    if (
        unpacked > settings.IMPORT_MAX_UNCOMPRESSED_BYTES
        or unpacked > ratio_limit * max(packed, 1)
        or any(m.file_size > ratio_limit * max(m.compress_size, 1) for m in members)
    ):
        raise FileRefused(
            _(
                "The workbook would unpack to %(size)s MB, far more than its data can need: "
                "it is refused unopened. Save the sheet again from Excel, or as CSV."
            )
            % {"size": round(unpacked / 1_000_000)},
            "zip_bomb",
        )


def open_table(data, file_name):
    name = (file_name or "").lower()
    if data.startswith(_XLSX_MAGIC):
        return XlsxTable(data)
    if data.startswith(_OLE_MAGIC) or name.endswith((".xls", ".xlsx", ".xlsm")):
        raise FileRefused(
            _("Only XLSX workbooks and CSV files can be imported: save the file as one of them."),
            "file_type",
        )
    return CsvTable(data)


# Between preview and confirmation. The upload is kept in the file storage (shared by every
# app process: the confirmation may reach another process or host than the preview) under the
# uploader's user id and its own SHA-256: the confirm form carries only the hash, a user can
# reach only their own uploads, and the bytes are hashed again before import, so what is
# imported is exactly what was previewed. Files are removed after import and, if abandoned,
# by `manage.py run_jobs` after IMPORT_UPLOAD_HOURS (commitments/stored_files.py).

UPLOADS = "imports"


def _stash_name(user, digest):
    return f"{UPLOADS}/{user.pk}/{digest}"


def stash(data, user):
    """Keep an upload for the user's confirmation; returns its SHA-256."""
    digest = hashlib.sha256(data).hexdigest()
    name = _stash_name(user, digest)
    # The same bytes uploaded again are the same file: keep the one there (refreshed below).
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, ContentFile(data))
    return digest


def unstash(digest, user):
    """The user's kept upload with this SHA-256, or None (expired, or never theirs)."""
    if not re.fullmatch(r"[0-9a-f]{64}", digest or ""):
        return None
    try:
        with default_storage.open(_stash_name(user, digest), "rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError):
        return None
    return data if hashlib.sha256(data).hexdigest() == digest else None


def discard(digest, user):
    if re.fullmatch(r"[0-9a-f]{64}", digest or ""):
        default_storage.delete(_stash_name(user, digest))
